"""getpower changepassword USERNAME — set a user's password at the console, with the event
Django's own command does not write (accounts.actions.user_password_set). Replaces
django.contrib.auth's command: `accounts` comes first in INSTALLED_APPS for that.

The password is asked twice without echo; an unknown user or a refused password exits 2
naming what is wrong."""
from __future__ import annotations

import getpass

from django.core.management.base import BaseCommand, CommandError

from accounts import actions
from accounts import queries as account_queries
from core.errors import DomainError

OPERATOR = "job:cli"
ATTEMPTS = 3


class Command(BaseCommand):
    help = "Change a user's password (asked twice, never echoed); writes the event."
    requires_migrations_checks = True

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = account_queries.any_user(username)
        if user is None:
            raise CommandError(f"username: no user {username!r}", returncode=2)
        self.stdout.write(f"为用户 {user.username} 设置新密码")
        for _attempt in range(ATTEMPTS):
            first, second = getpass.getpass("新密码: "), getpass.getpass("再输一次: ")
            if first != second:
                self.stderr.write("两次输入的密码不一致，请重试。")
                continue
            try:
                actions.user_password_set(user=user, password=first, by=OPERATOR)
            except DomainError as refused:
                self.stderr.write(refused.fields.get("password", refused.message))
                continue
            self.stdout.write(f"用户 {user.username} 的密码已修改。")
            return
        raise CommandError(f"password: not changed after {ATTEMPTS} attempts", returncode=2)
