"""getpower approvals route — which approval route a power-access works takes, and why.

Bad input (a negative or absurd number, an unknown crossing, region or date) exits 2 with
one line naming the argument.
"""
from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand

from approvals.labels import label
from approvals.routing import route_works
from core.commands import date_argument, refused, to_json
from core.errors import DomainError


def _number(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got '{value}'") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"expected a finite number, got '{value}'")
    return number


class Command(BaseCommand):
    help = "Power-access approvals (电力接入工程审批): route a works under the policy in force."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{route}")
        r = actions.add_parser("route", help="the routes, departments, limits and due date of a works")
        r.add_argument("--region", required=True, help="e.g. zaozhuang, zhejiang, shaanxi")
        r.add_argument("--on", required=True, type=date_argument, metavar="YYYY-MM-DD", help="policy version in force on this date")
        r.add_argument("--voltage-kv", required=True, type=_number, metavar="V")
        r.add_argument("--kw", required=True, type=_number, metavar="N", help="capacity in kW")
        r.add_argument("--length-m", required=True, type=_number, metavar="N", help="line length in metres")
        r.add_argument("--sanling", action="store_true", help="a 三零 service works")
        r.add_argument("--interested-parties", action="store_true", help="there are interested third parties")
        r.add_argument("--crossing", nargs="+", action="extend", default=[], metavar="CODE", help="what the route crosses")
        r.add_argument("--submitted", type=date_argument, metavar="YYYY-MM-DD", help="counted from (default: --on)")
        r.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, action: str, **options):
        try:
            routing = route_works(
                region=options["region"],
                on=options["on"],
                voltage_kv=options["voltage_kv"],
                kw=options["kw"],
                length_m=options["length_m"],
                sanling=options["sanling"],
                interested_parties=options["interested_parties"],
                crossings=options["crossing"],
                submitted=options["submitted"],
            )
        except DomainError as exc:
            # Every field is the option of the same name: voltage_kv is --voltage-kv.
            raise refused(exc) from exc
        data = routing.as_json()
        if options["json"]:
            self.stdout.write(to_json(data, indent=2))
            return
        routes = "、".join(label("route", r) for r in data["routes"])
        departments = "、".join(label("department", d) for d in data["departments"]) or "无"
        self.stdout.write(f"{data['region']} {data['version']}: {routes}（{'免于行政许可' if data['exempt'] else '需审批'}）")
        self.stdout.write(f"  部门：{departments}")
        for limit in data["limits"]:
            self.stdout.write(f"  时限：{limit['value']} {limit['unit']} → {limit['due']}  ({limit['source']})")
        self.stdout.write(f"  到期：{data['due'] or '—'}  依据：{data['rule']}  {data['source']}")
        for line in data["why"]:
            self.stdout.write(f"  · {line}")
