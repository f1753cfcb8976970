"""getpower sharing serve-reference | fetch | public-key — government data sharing for operators."""
from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.commands import serve_until_interrupted, to_json
from core.errors import DomainError
from sharing import reference, signing
from sharing.actions import shared_fetch
from sharing.connectors import CONNECTORS


class Command(BaseCommand):
    help = "Government data sharing: run the reference service, fetch through a connector, show the public key."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{serve-reference,fetch,public-key}")
        serve = actions.add_parser("serve-reference", help="run the local reference service (signed JSON, demo data)")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=8108)
        fetch = actions.add_parser("fetch", help="fetch one record through a connector (logged)")
        fetch.add_argument("connector", choices=sorted(CONNECTORS), metavar="CONNECTOR")
        fetch.add_argument("key", metavar="KEY")
        fetch.add_argument("--purpose", required=True, help="why (kept in the access log)")
        fetch.add_argument("--json", action="store_true")
        actions.add_parser("public-key", help="the Ed25519 key answers are verified with")

    def handle(self, *args, action: str, **options):
        if action == "public-key":
            self.stdout.write(signing.public_key_b64(settings.SHARING_SIGNING_SEED))
            return
        if action == "serve-reference":
            if not 0 < options["port"] < 65536:
                raise CommandError("--port: 1 to 65535", returncode=2)
            server = reference.make_server(options["host"], options["port"], seed=settings.SHARING_SIGNING_SEED)
            self.stdout.write(f"reference data-sharing service on http://{options['host']}:{options['port']}/v1/ "
                              f"(connectors: {', '.join(sorted(reference.DATA))}); Ctrl-C stops it")
            serve_until_interrupted(server)
            return
        try:
            shared = shared_fetch(connector=options["connector"], key=options["key"], by=None,
                                  purpose=options["purpose"])
        except DomainError as exc:
            field = next(iter(exc.fields), "")
            raise CommandError(f"{'--' + field if field == 'purpose' else field.upper() or 'error'}: {exc.message}",
                               returncode=2 if exc.status in (404, 422) else 1) from exc
        body = {"connector": shared.connector.code, "source": shared.connector.source, "data": shared.data,
                "fetched_at": shared.fetched_at.isoformat(), "from_cache": shared.from_cache}
        self.stdout.write(to_json(body, indent=2 if options["json"] else None))
