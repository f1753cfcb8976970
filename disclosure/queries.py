"""What the public pages show, read from the policy in force and the stored documents.
Names, never codes: every label is resolved here or by the policy's own names."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from disclosure.models import GoodPractice, PublishedDocument, ViolationReport
from outages import queries as outage_queries
from outages.models import Customer, Reading, Transformer
from policies import queries as policy_queries
from policies.labels import FLAT as POLICY_LABELS
from policies.labels import UNITS
from policies.present import ordered_approval_limits, ordered_categories
from policies.schema import PolicyDocument, Quantity

PLANNED_OUTAGES_SHOWN = 200
# Our settings: the load history a capacity figure is based on, and the headroom (share of
# rated capacity) at or below which a transformer is listed as restricted.
CAPACITY_LOOKBACK = timedelta(days=365)
RESTRICTED_HEADROOM = Decimal("0.1")

HOTLINES = [
    ("95598", "供电服务热线", "报装咨询、进度查询、故障报修、投诉建议"),
    ("12398", "能源监管热线", "举报“三指定”、违规收费、办电不规范等问题，由能源监管机构受理"),
]


def amount(q: Quantity | None) -> str:
    if q is None:
        return "—"
    value = f"{q.value:g}" if isinstance(q.value, float) else str(q.value)
    if q.value_max is not None:
        value += f"–{q.value_max:g}" if isinstance(q.value_max, float) else f"–{q.value_max}"
    unit = UNITS.get(q.unit, q.unit)
    return f"{value}{unit}" if q.unit == "percent" else f"{value} {unit}"


@dataclass
class Feed:
    """A section fed by another app (outages, monitoring); None rows: not published yet."""

    kind: str  # which table the page draws: capacity | outages | reliability
    title: str
    rows: list | None
    missing: str


def _process(doc: PolicyDocument) -> list[dict]:
    out = []
    for _, category in ordered_categories(doc):
        if not category.stages:
            continue
        out.append({
            "name": category.name,
            "unit": UNITS.get(category.unit, category.unit),
            "stages": [{"name": s.name, "limit": amount(s.limit) if s.limit else "",
                        "only_important": s.when == "important"} for s in category.stages],
            "grid_side": amount(category.grid_side_limit) if category.grid_side_limit else "",
            "full_process": amount(category.full_process_limit) if category.full_process_limit else "",
            "documents": [
                {"stage": s.name, "names": [doc.document_types[d].name for d in s.documents.required]}
                for s in category.stages if s.documents is not None
            ],
        })
    return out


def _approvals(doc: PolicyDocument) -> list[dict]:
    return [
        {"name": limit.name, "routes": "、".join(POLICY_LABELS.get(r, r) for r in limit.routes),
         "limits": "；".join(amount(q) for q in limit.limits) or "—", "note": limit.note or ""}
        for _, limit in ordered_approval_limits(doc)
    ]


def _zero_investment(doc: PolicyDocument) -> list[dict]:
    if doc.zero_investment is None:
        return []
    return [
        {"name": scope.name,
         "thresholds": "；".join(f"{POLICY_LABELS.get(g, g)} {amount(q)}及以下" for g, q in scope.thresholds.items())}
        for scope in doc.zero_investment.scope.values()
    ]


def _documents(region: str, today: date) -> dict:
    docs = list(PublishedDocument.objects.filter(region=region, withdrawn_at__isnull=True))
    tariffs = [d for d in docs if d.kind == PublishedDocument.Kind.TARIFF]
    return {
        "policy_library": [d for d in docs if d.kind != PublishedDocument.Kind.TARIFF],
        "tariffs_in_force": [d for d in tariffs if d.effective_from <= today],
        "tariffs_upcoming": [d for d in tariffs if d.effective_from > today],
    }


def _planned_outages(region: str) -> list[dict]:
    rows = []
    for outage in outage_queries.public_planned().filter(county__policy_region=region)[:PLANNED_OUTAGES_SHOWN]:
        scopes = [s.feeder.name if s.feeder else s.transformer.name if s.transformer else "个别用户"
                  for s in outage.scopes.all()]
        rows.append({"county": outage.county.name, "start": outage.planned_start, "end": outage.planned_end,
                     "scope": "、".join(scopes), "work": outage.title})
    return rows


def _open_capacity(region: str, today: date) -> list[dict]:
    """Public distribution transformers by county and area: rated capacity, the capacity still
    open at the recent peak load (rated × (1 − peak load rate)), and the transformers with no
    headroom left (受限). A transformer with no load reading counts as rated, not as open."""
    since = datetime.combine(today - CAPACITY_LOOKBACK, time.min, tzinfo=timezone.get_current_timezone())
    peaks = dict(Reading.objects.filter(quantity=Reading.Quantity.LOAD, at__gte=since, transformer__isnull=False)
                 .values("transformer").annotate(peak=Max("value")).values_list("transformer", "peak"))
    cells: dict[tuple[str, str], dict] = {}
    transformers = (Transformer.objects.filter(county__policy_region=region, ownership=Transformer.Ownership.PUBLIC)
                    .select_related("county").order_by("county__code", "area", "code"))
    for t in transformers:
        cell = cells.setdefault((t.county.name, t.area), {
            "county": t.county.name, "area": POLICY_LABELS.get(t.area, t.area), "transformers": 0, "rated_kva": 0,
            "measured": 0, "open_kva": 0, "restricted": []})
        cell["transformers"] += 1
        cell["rated_kva"] += t.capacity_kva
        peak = peaks.get(t.pk)
        if peak is None:
            continue
        cell["measured"] += 1
        headroom = max(Decimal(0), 1 - peak / 100)
        cell["open_kva"] += int(t.capacity_kva * headroom)
        if headroom <= RESTRICTED_HEADROOM:
            cell["restricted"].append(t.name)
    return list(cells.values())


def _reliability(region: str, today: date, city_groups: dict[str, str]) -> list[dict] | None:
    """This year's SAIDI by month against the region's targets, from the outage records."""
    if not Customer.objects.filter(county__policy_region=region).exists():
        return None
    report = outage_queries.reliability_report(year=today.year, region=region)
    months = [{"month": month, "saidi": row["saidi_hours"]} for month, row in report["by_month"].items()
              if month <= f"{today:%Y-%m}"]
    targets = [{"group": city_groups.get(t["city_group"], "全省（市）"), "area": POLICY_LABELS.get(t["area"], t["area"]),
                "saidi": t["saidi_hours"], "met": t.get("met")} for t in report["targets"]]
    return [{"months": months, "targets": targets}]


def _feeds(region: str, today: date, city_groups: dict[str, str]) -> list[Feed]:
    return [
        Feed("capacity", "配电网可开放容量与受限区域", _open_capacity(region, today) or None, "配电网可开放容量数据尚未发布。"),
        Feed("outages", "计划停电信息", _planned_outages(region), "计划停电信息尚未发布。"),
        # monitoring/ is not on main yet: application indicators join this section when it is.
        Feed("reliability", "月度供电可靠性指标", _reliability(region, today, city_groups), "月度指标数据尚未发布。"),
    ]


def region_page(region: str, today: date) -> dict:
    version = policy_queries.version_in_force(region=region, on=today)
    doc = version.policy()
    rules = doc.rules
    return {
        "region": region,
        "name": doc.name,
        "title": doc.title,
        "version": version,
        "process": _process(doc),
        "approvals": _approvals(doc),
        "exemption": doc.approvals.exemption if doc.approvals else None,
        "zero_investment": _zero_investment(doc),
        "fees": doc.fees,
        "fee_rule": rules.get("fees"),
        "designation_rule": rules.get("no_three_designations"),
        "channel_rule": rules.get("channel_choice"),
        "hotlines": HOTLINES,
        **_documents(region, today),
        "practices": list(GoodPractice.objects.filter(region=region, state=GoodPractice.State.PUBLISHED)
                          .select_related("organisation")),
        "feeds": _feeds(region, today, doc.city_groups),
        "today": today,
    }


def regions(today: date) -> list[tuple[str, str]]:
    """Regions with a policy in force and a parent (the national root is not a region page)."""
    out = []
    for row in policy_queries.policy_list(on=today):
        if row["parent"] and row["in_force"]:
            out.append((row["region"], row["name"]))
    return out


def practices_submitted(region: str) -> QuerySet[GoodPractice]:
    """Good practices of the region waiting for review."""
    return (GoodPractice.objects.filter(region=region, state=GoodPractice.State.SUBMITTED)
            .select_related("organisation", "submitted_by"))


def practice(region: str, pk) -> GoodPractice | None:
    return GoodPractice.objects.filter(region=region, pk=pk).first()


def violation_reports(region: str) -> QuerySet[ViolationReport]:
    """The region's 三指定 / 违规收费 reports, open ones first, soonest due first."""
    return ViolationReport.objects.filter(region=region).order_by("state", "due_date", "id")


def violation_counts(*, region: str, start: date, end: date) -> dict[str, int]:
    """Reports received in [start, end], for the indicators (三指定 / 违规收费 counts)."""
    rows = ViolationReport.objects.filter(region=region, received_at__date__gte=start, received_at__date__lte=end)
    return rows.aggregate(
        designation=Count("id", filter=Q(kind="designation")),
        irregular_fee=Count("id", filter=Q(kind="irregular_fee")),
        substantiated=Count("id", filter=Q(substantiated=True)),
        closed_late=Count("id", filter=Q(state="closed", closed_at__date__gt=F("due_date"))),
    )
