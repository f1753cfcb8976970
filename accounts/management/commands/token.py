"""getpower token issue | revoke | list — API tokens for the regulator's systems and scripts.

    getpower token issue --user rita [--days 90] [--name 监管系统] [--json]   prints the token once
    getpower token revoke --id 7            (or --user rita --all)
    getpower token list [--user rita] [--json]

Exit 2 with the field named on bad input."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import actions
from accounts import queries as account_queries
from accounts.models import ApiToken, User
from core.commands import named_user, refused, to_json
from core.errors import DomainError

OPERATOR = "job:cli"


def _user(username: str) -> User:
    return named_user(username, argument="--user")


def _row(token: ApiToken, now) -> dict:
    state = "revoked" if token.revoked else ("expired" if token.expires_at <= now else "active")
    return {"id": token.pk, "user": token.user.username, "name": token.name, "created_at": token.created_at.isoformat(),
            "expires_at": token.expires_at.isoformat(), "last_used_at": token.last_used_at and token.last_used_at.isoformat(),
            "state": state}


class Command(BaseCommand):
    help = "Issue, revoke and list API tokens (a token is shown once, at issue)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue a token and print it once")
        issue.add_argument("--user", required=True)
        issue.add_argument("--days", type=int, default=actions.API_TOKEN_DAYS,
                           help=f"lifetime in days (1-{actions.API_TOKEN_MAX_DAYS}, default {actions.API_TOKEN_DAYS})")
        issue.add_argument("--name", default="cli", help="what the token is for (shown in lists)")
        issue.add_argument("--json", action="store_true")
        revoke = sub.add_parser("revoke", help="stop a token now")
        revoke.add_argument("--id", type=int)
        revoke.add_argument("--user")
        revoke.add_argument("--all", action="store_true", help="with --user: every token of that user")
        listing = sub.add_parser("list", help="tokens with their state (never the token itself)")
        listing.add_argument("--user")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise refused(exc) from None

    def _issue(self, *, user, days, name, json: bool, **_):
        token, record = actions.api_token_issue(user=_user(user), name=name, days=days, by=OPERATOR)
        if json:
            self.stdout.write(to_json({"token": token, "id": record.pk, "expires_at": record.expires_at.isoformat()}))
        else:
            self.stdout.write(token)
            self.stderr.write(f"token #{record.pk} for {record.user.username}, valid until "
                              f"{timezone.localtime(record.expires_at):%Y-%m-%d %H:%M}; it is not shown again")

    def _revoke(self, *, id, user, all, **_):
        if id is not None:
            token = account_queries.api_token(id)
            if token is None:
                raise CommandError(f"--id: no token #{id}", returncode=2)
            tokens = [token]
        elif user and all:
            tokens = list(account_queries.api_tokens(user=_user(user), revoked=False))
        else:
            raise CommandError("give --id N, or --user U --all", returncode=2)
        for token in tokens:
            actions.api_token_revoke(token=token, by=OPERATOR)
        self.stdout.write(f"revoked {len(tokens)} token(s)")

    def _list(self, *, user, json: bool, **_):
        tokens = account_queries.api_tokens(user=_user(user) if user else None)
        now = timezone.now()
        rows = [_row(token, now) for token in tokens]
        if json:
            self.stdout.write(to_json(rows))
            return
        for row in rows:
            self.stdout.write(f"#{row['id']} {row['user']} {row['name']} {row['state']} until {row['expires_at']}")
