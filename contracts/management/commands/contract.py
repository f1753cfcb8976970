"""getpower contract verify FILE [--number HT...] [--json]

Exit 0: the file is byte for byte a contract the platform signed and the SM2 signature holds.
Exit 1: it is a PDF but not an authentic, unchanged signed contract.
Exit 2: bad input (no such file, not a PDF)."""
from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contracts import signing
from core.commands import to_json


class Command(BaseCommand):
    help = "Supply contracts: verify whether a PDF is an authentic, unchanged signed contract."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check a contract PDF against the signatures on record")
        verify.add_argument("file", help="path to the contract PDF")
        verify.add_argument("--number", default="", help="the contract number it claims to be (optional)")
        verify.add_argument("--json", action="store_true", dest="as_json", help="print the verdict as JSON")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"file: no such file {path}", returncode=2)
        try:
            verdict = signing.verify_document(path.read_bytes(), number=options["number"])
        except signing.BadDocument as exc:
            raise CommandError(f"file: {exc}", returncode=2) from None
        if options["as_json"]:
            self.stdout.write(to_json(verdict.as_dict()))
        else:
            label = "AUTHENTIC 真实有效" if verdict.authentic else "NOT AUTHENTIC 验证未通过"
            self.stdout.write(f"{label}: {verdict.number or '-'} — {verdict.reason}")
        if not verdict.authentic:
            # Exit 1 is the answer "not authentic", not an error of the command.
            sys.exit(1)
