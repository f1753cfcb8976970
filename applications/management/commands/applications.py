"""getpower applications list [--overdue] [--county X] [--status S] [--json]"""
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts import queries as account_queries
from applications import queries
from applications.models import Stage, Status, current_stage
from core.commands import to_json


class Command(BaseCommand):
    help = "Operators' view of applications (all counties; for what a user may see use the web or API)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="list applications")
        listing.add_argument("--overdue", action="store_true", help="only those with an overdue stage")
        listing.add_argument("--county", help="county division code, e.g. 610113")
        listing.add_argument("--status", choices=Status.values)
        listing.add_argument("--json", action="store_true")
        sweep = sub.add_parser("check-deadlines", help="run the warning/overdue/督办 sweep now")
        sweep.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        if options["action"] == "check-deadlines":
            from applications.actions import stages_check_deadlines

            counts = stages_check_deadlines()
            self.stdout.write(to_json(counts) if options["json"] else
                              " ".join(f"{k}={v}" for k, v in counts.items()))
            return
        county = options.get("county")
        if county and account_queries.division_by_code(county) is None:
            raise CommandError(f"--county: unknown county {county!r}", returncode=2)
        today = timezone.localdate(timezone.now())
        qs = queries.every_application(county=county, status=options.get("status"),
                                       overdue=True if options["overdue"] else None, today=today)
        rows = []
        for application in qs:
            current = current_stage(application.stages.all())
            rows.append({
                "number": application.number, "status": application.status, "county": application.county.code,
                "category": application.category, "applicant": application.applicant_name,
                "submitted": timezone.localdate(application.submitted_at).isoformat(),
                "stage": current.code if current else None,
                "due": current.due_date.isoformat() if current and current.due_date else None,
                "overdue": bool(current and current.due_date and current.due_date < today
                                and current.state == Stage.State.ACTIVE),
            })
        if options["json"]:
            self.stdout.write(to_json(rows, indent=2))
            return
        for r in rows:
            flag = " 超期" if r["overdue"] else ""
            self.stdout.write(f"{r['number']}  {r['status']:<11} {r['county']}  {r['category']:<18} "
                              f"{r['stage'] or '-':<22} {r['due'] or '-'}{flag}  {r['applicant']}")
        self.stdout.write(f"{len(rows)} application(s)")
