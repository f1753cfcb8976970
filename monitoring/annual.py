"""年度总结: the annual summary for the energy bureau. Per region: the year's indicators with a
narrative against the year before and the monthly chart (as in the quarterly analysis), the
业绩考核 of its county utilities, and what oversight did (通报, 抽查, 检查与约谈, 整改)."""
from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from core.errors import invalid
from monitoring import oversight_queries, periods, queries, reports
from monitoring.oversight_models import Bulletin, FollowUp, Inspection, SpotCheck, SpotCheckItem


def _oversight(region: str, period: periods.Period) -> list[tuple[str, int]]:
    inside = {"gte": period.start, "lt": period.end}
    items = SpotCheckItem.objects.filter(spot_check__region=region, spot_check__drawn_at__date__gte=inside["gte"],
                                         spot_check__drawn_at__date__lt=inside["lt"])
    inspections = Inspection.objects.filter(region=region, held_on__gte=inside["gte"], held_on__lt=inside["lt"])
    kinds = dict(inspections.values_list("kind").annotate(n=Count("pk")))
    follow_ups = FollowUp.objects.filter(inspection__in=inspections).aggregate(
        n=Count("pk"), closed=Count("pk", filter=Q(closed_at__isnull=False)),
        overdue=Count("pk", filter=Q(closed_at__isnull=True, due_on__lt=timezone.localdate())))
    return [
        ("发布通报（期）", Bulletin.objects.filter(region=region, period__startswith=str(period.year)).count()),
        ("抽查区县次数", SpotCheck.objects.filter(region=region, drawn_at__date__gte=inside["gte"],
                                                drawn_at__date__lt=inside["lt"]).count()),
        ("抽查案例数", items.count()),
        ("抽查发现问题案例数", items.filter(verdict=SpotCheckItem.Verdict.PROBLEM).count()),
        ("监督检查次数", kinds.get(Inspection.Kind.INSPECTION, 0)),
        ("约谈次数", kinds.get(Inspection.Kind.INTERVIEW, 0)),
        ("整改事项", follow_ups["n"]),
        ("已办结整改事项", follow_ups["closed"]),
        ("逾期未办结整改事项", follow_ups["overdue"]),
    ]


def sections(*, year: str, region: str | None = None) -> list[dict]:
    period = queries.period_from(year)
    if period.kind != "year":
        raise invalid("year", "年份格式应为 2026")
    out = []
    for code, name in reports._regions(region).items():  # period_section refreshes the facts first
        section = reports.period_section(code=code, name=name, period=period)
        table = oversight_queries.appraisal_table(region=code, year=period.year, user=None)
        section["appraisal_items"] = [f"{item.name}（{item.weight:g}）" for item in table["scheme"].items]
        section["appraisal"] = table["rows"]
        section["appraisal_name"] = table["scheme"].name
        section["oversight"] = _oversight(code, period)
        out.append(section)
    return out


def document(*, year: str, fmt: str, region: str | None = None) -> bytes:
    reports.check_format(fmt)
    parts = sections(year=year, region=region)

    def appraisal_and_oversight(doc) -> None:
        for part in parts:
            doc.add_heading(f"{part['region']} · {part['appraisal_name']}", level=1)
            reports.docx_table(doc, ["名次", "区县", "供电企业", "总分", *part["appraisal_items"]],
                               [[r["rank"], r["county"], r["utility"], r["score"], *r["items"]] for r in part["appraisal"]])
            doc.add_heading(f"{part['region']} · 监督检查与通报", level=1)
            reports.docx_table(doc, ["事项", "数量"], [list(pair) for pair in part["oversight"]])

    return reports.render_document(title=f"获得电力工作年度总结（{queries.period_from(year).chinese}）",
                                   template="monitoring/report_annual.html", sections=parts, fmt=fmt,
                                   more_docx=appraisal_and_oversight)
