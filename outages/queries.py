"""Reads of outages: who is affected, 先算后停 assessments, and the reliability report computed
with SQL aggregates (the same numbers as the pure `outages.reliability`)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts import access
from accounts.models import Division
from core.errors import InvalidInput, NotFound, invalid
from outages import reliability
from outages.models import (
    AvoidedOutage,
    Customer,
    Feeder,
    Interruption,
    Kind,
    Outage,
    OutageScope,
    Referral,
    ReliabilityZone,
    RepairOrder,
)
from outages.network import city_group
from outages.reliability import Totals

NOTICE_LEAD_CITATION = "《供电营业规则》第六十七条：计划检修停电应提前七天通知用户或进行公告"
ACTIVE_PLANS = (Outage.Status.PROPOSED, Outage.Status.APPROVED)


def _settings(region: str) -> dict:
    """The `settings` of the region's policy in force today."""
    from policies.queries import version_in_force

    return version_in_force(region=region).document.get("settings") or {}


def notice_lead(county: Division) -> timedelta:
    """The national notice lead time for planned outages (policies/data/national.yaml)."""
    for region in (county.policy_region, "national"):
        try:
            lead = _settings(region).get("outage_notice_lead")
        except NotFound:  # a region with no version in force yet falls back to the national setting
            lead = None
        if lead:
            return timedelta(days=lead["value"])
    raise InvalidInput("全国政策缺少停电通知提前期（settings.outage_notice_lead）；请运行 getpower policy load",
                       fields={"policy": "缺少停电通知提前期"})


def customers_in(scopes) -> QuerySet:
    feeders = [s.feeder_id for s in scopes if s.feeder_id]
    transformers = [s.transformer_id for s in scopes if s.transformer_id]
    customers = [s.customer_id for s in scopes if s.customer_id]
    return Customer.objects.filter(Q(feeder_id__in=feeders) | Q(transformer_id__in=transformers)
                                   | Q(id__in=customers))


def affected_customers(outage: Outage) -> QuerySet:
    """Every customer below the outage's scopes (a feeder takes its transformers' customers too)."""
    return customers_in(list(outage.scopes.all()))


def grid_cell_crew(county: Division, scopes) -> str:
    """The grid cell (网格) crew: one per feeder, named after it."""
    for s in scopes:
        element = s.feeder or (s.transformer.feeder if s.transformer_id else s.customer.feeder)
        return f"{element.name}网格抢修班"
    return f"{county.name}抢修班"


# --- 先算后停 -------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[int, int]:
    return reliability.seconds(datetime(year, 1, 1)), reliability.seconds(datetime(year + 1, 1, 1))


def target_rows(region: str, year: int) -> list[dict]:
    """One row per (city group, area) with the latest SAIDI bound and the latest year-on-year
    bound of a target year ≤ `year` (a target stays the bar until a later one replaces it)."""
    from policies.models import PolicyVersion

    # A later version may list only its new year's targets: gather them from every version.
    targets = {}
    for version in PolicyVersion.objects.filter(region=region, effective_from__lte=date(year, 12, 31)):
        for t in version.document.get("reliability_targets") or []:
            targets[(t["year"], t["city_group"], t["area"])] = t
    merged: dict[tuple[str, str], dict] = {}
    for t in sorted(targets.values(), key=lambda t: t["year"]):
        if t["year"] > year:
            continue
        row = merged.setdefault((t["city_group"], t["area"]),
                                {"city_group": t["city_group"], "area": t["area"], "saidi": None,
                                 "yoy_reduction": None, "year": t["year"]})
        row["year"] = t["year"]
        for bound in ("saidi", "yoy_reduction"):
            if t.get(bound):
                row[bound] = {**t[bound], "year": t["year"]}
    return list(merged.values())


def _target_for(rows: list[dict], group: str, area: str, need: str = "saidi") -> dict | None:
    for key in ((group, area), (group, "all"), ("all", area), ("all", "all")):
        for t in rows:
            if (t["city_group"], t["area"]) == key and t.get(need):
                return t
    return None


def county_budget(county: Division, year: int) -> dict:
    """The county's yearly outage budget in customer-hours: Σ over areas of the SAIDI target of
    its city group × customers of that area. Used = interruptions so far; committed = approved
    plans not yet started."""
    rows = target_rows(county.policy_region, year)
    group = city_group(county)
    per_area = dict(Customer.objects.filter(county=county).values_list("area").annotate(n=Count("id")))
    budget, has_target = 0.0, False
    for area, n in per_area.items():
        t = _target_for(rows, group, area)
        if t and t.get("saidi"):
            budget += t["saidi"]["value"] * n
            has_target = True
    lo, hi = year_bounds(year)
    now_s = reliability.seconds(timezone.localtime())
    used_s = 0
    with connection.cursor() as cur:
        cur.execute(
            "SELECT COALESCE(SUM(CASE WHEN COALESCE(end_s, %s) < %s THEN COALESCE(end_s, %s) ELSE %s END"
            " - CASE WHEN start_s > %s THEN start_s ELSE %s END), 0)"
            f" FROM {Interruption._meta.db_table} WHERE county_id = %s AND start_s < %s AND COALESCE(end_s, %s) > %s",
            [now_s, hi, now_s, hi, lo, lo, county.pk, hi, now_s, lo])
        used_s = float(cur.fetchone()[0] or 0)  # PostgreSQL sums bigints as numeric (Decimal)
    committed = sum(_customer_hours(o) for o in Outage.objects.filter(
        county=county, kind=Kind.PLANNED, status=Outage.Status.APPROVED,
        planned_start__gte=timezone.make_aware(datetime(year, 1, 1)),
        planned_start__lt=timezone.make_aware(datetime(year + 1, 1, 1))))
    used = round(used_s / 3600, 2)
    return {"year": year, "county": county.code, "city_group": group, "customers": sum(per_area.values()),
            "budget_customer_hours": round(budget, 2) if has_target else None,
            "used_customer_hours": used, "committed_customer_hours": round(committed, 2),
            "remaining_customer_hours": round(budget - used - committed, 2) if has_target else None}


def _customer_hours(outage: Outage) -> float:
    hours = (outage.planned_end - outage.planned_start).total_seconds() / 3600
    return hours * (outage.customers_affected or affected_customers(outage).count())


def merge_candidates(outage: Outage) -> QuerySet:
    """一停多用: other plans on an overlapping scope (same feeder) within the merge window."""
    settings_ = _settings("national")
    window = timedelta(days=(settings_.get("outage_merge_window") or {}).get("value", 30))
    feeders = set()
    for s in outage.scopes.select_related("transformer", "customer"):
        feeders.add(s.feeder_id or (s.transformer.feeder_id if s.transformer_id else s.customer.feeder_id))
    same_feeder = (Q(scopes__feeder_id__in=feeders) | Q(scopes__transformer__feeder_id__in=feeders)
                   | Q(scopes__customer__feeder_id__in=feeders))
    return (Outage.objects.filter(same_feeder, kind=Kind.PLANNED, status__in=ACTIVE_PLANS, county=outage.county,
                                  planned_start__gte=outage.planned_start - window,
                                  planned_start__lte=outage.planned_start + window)
            .exclude(pk=outage.pk).distinct().order_by("planned_start"))


def assess(outage: Outage) -> dict:
    """先算后停: the outage's customer-hours, its effect on the county's SAIDI, the budget left
    after it, and the plans it could be merged with."""
    customers = affected_customers(outage).count()
    hours = (outage.planned_end - outage.planned_start).total_seconds() / 3600 if outage.planned_end else 0
    year = timezone.localtime(outage.planned_start).year if outage.planned_start else timezone.localdate().year
    budget = county_budget(outage.county, year)
    county_customers = budget["customers"] or 1
    customer_hours = round(customers * hours, 2)
    remaining = budget["remaining_customer_hours"]
    if remaining is not None and outage.status == Outage.Status.APPROVED:
        remaining += customer_hours  # already counted as committed
    return {
        "customers": customers, "hours": round(hours, 2), "customer_hours": customer_hours,
        "saidi_effect_hours": round(customer_hours / county_customers, 4),
        "budget": {**budget, "remaining_after": None if remaining is None else round(remaining - customer_hours, 2)},
        "merge_with": [{"id": o.pk, "title": o.title, "start": o.planned_start, "end": o.planned_end,
                        "status": o.status} for o in merge_candidates(outage)],
    }


# --- reliability from the database ----------------------------------------------------

# Each view of the interruptions: its name and the rows it keeps.
VIEWS = {
    "all": "1 = 1",
    "excl_external": "cause <> 'external'",
    "excl_shortage": "cause <> 'supply_shortage'",
    "planned": "kind = 'planned'",
    "fault": "kind = 'fault'",
    "planned_excl_external": "kind = 'planned' AND cause <> 'external'",
    "planned_excl_shortage": "kind = 'planned' AND cause <> 'supply_shortage'",
    "fault_excl_external": "kind = 'fault' AND cause <> 'external'",
    "fault_excl_shortage": "kind = 'fault' AND cause <> 'supply_shortage'",
}
# An open interruption reaches "for ever": whatever starts after it while it lasts adds nothing.
OPEN_REACH = 2**62
_LONG = f"end_s IS NOT NULL AND end_s - start_s > {reliability.SHORT_SECONDS}"
_SHORT = f"end_s IS NOT NULL AND end_s > start_s AND end_s - start_s <= {reliability.SHORT_SECONDS}"
_BASE = """
  SELECT customer_id, county_id, area, kind, cause, {reach}
         CASE WHEN start_s > %(lo)s THEN start_s ELSE %(lo)s END AS s,
         CASE WHEN COALESCE(end_s, %(now)s) < %(hi)s THEN COALESCE(end_s, %(now)s) ELSE %(hi)s END AS e
  FROM ({edges}) AS edge_rows
  WHERE start_s < %(hi)s AND COALESCE(end_s, %(now)s) > %(lo)s AND COALESCE(end_s, %(now)s) > start_s{only}"""
# Only the rows the gain columns cannot answer, in three disjoint index ranges: closed rows
# crossing the period's start, closed rows starting inside it and crossing its end (a closed
# row starts at most the longest duration before an end it crosses), and open rows.
_EDGES = """
    SELECT * FROM {table}{by_start} WHERE end_s IS NOT NULL AND start_s >= %(lo)s - %(span)s
      AND start_s <= %(lo)s AND end_s > %(lo)s
    UNION ALL
    SELECT * FROM {table}{by_start} WHERE end_s IS NOT NULL AND start_s >= %(hi)s - %(span)s
      AND start_s > %(lo)s AND start_s < %(hi)s AND end_s > %(hi)s
    UNION ALL
    SELECT * FROM {table}{open_} WHERE end_s IS NULL AND start_s < %(hi)s"""


INSIDE_COLUMNS = ("gain_all", "gain_excl_external", "gain_excl_shortage", "gain_kind", "gain_kind_excl_external",
                  "gain_kind_excl_shortage", "island_all", "island_kind", "short")


# From this many seconds a period is read whole through the covering index on SQLite; a month
# reads its own range of start times and sorts those few rows instead.
WIDE_PERIOD = 92 * 86400


def _inside_sql(table: str, vendor: str, only: str = "", wide: bool = True) -> str:
    """The closed rows wholly inside the period (start after its start, end by its end): plain
    sums of the gain columns `refresh_gains` keeps. On SQLite a covering index in (county, area,
    kind) order lets the groups of a long period be summed without sorting the table (migration
    0004); SQLite has no hash aggregate, PostgreSQL needs no hint."""
    sums = ", ".join(f"SUM({c})" for c in INSIDE_COLUMNS)
    hint = ""
    if vendor == "sqlite" and not only:
        hint = " INDEXED BY interruption_cells_cover" if wide else " INDEXED BY interruption_start"
    return (f"SELECT county_id, area, kind, {sums} FROM {table}{hint}"
            f" WHERE start_s > %(lo)s AND end_s <= %(hi)s{only} GROUP BY county_id, area, kind")


def _sql(table: str, vendor: str, only: str = "") -> tuple[str, str]:
    """(long interruptions, short interruptions) of the rows crossing the period's ends or still
    open: clipped to the period, each one scan with plain sums.

    A row adds what reaches past the earlier rows of its customer and view (`reach_view`,
    kept by `refresh_reach`): e − max(s, reach), or nothing; it starts a new interruption
    when it begins after that reach, or when nothing earlier reaches into the period.
    Touching intervals are one interruption, as in `outages.reliability.merged`."""
    reach = " ".join(f"reach_{name}," for name in VIEWS)
    hints = ({"by_start": " INDEXED BY interruption_start", "open_": " INDEXED BY interruption_open"}
             if vendor == "sqlite" else {"by_start": "", "open_": ""})
    edges = _EDGES.format(table=table, **hints)
    sums = ",\n".join(
        f"  SUM(CASE WHEN {cond} THEN CASE WHEN reach_{name} IS NULL OR reach_{name} <= s THEN e - s"
        f" WHEN reach_{name} < e THEN e - reach_{name} ELSE 0 END ELSE 0 END),\n"
        f"  SUM(CASE WHEN {cond} AND (reach_{name} IS NULL OR s > reach_{name} OR reach_{name} <= %(lo)s)"
        f" THEN 1 ELSE 0 END)"
        for name, cond in VIEWS.items())
    long_sql = f"""
SELECT county_id, area,
{sums}
FROM ({_BASE.format(edges=edges, reach=reach, only=only)}
  AND COALESCE(end_s, %(now)s) - start_s > {reliability.SHORT_SECONDS}) AS long_rows
GROUP BY county_id, area"""
    shorts = ",\n".join(f"  SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)" for cond in VIEWS.values())
    short_sql = f"""
SELECT county_id, area,
{shorts}
FROM ({_BASE.format(edges=edges, reach="", only=only)}
  AND COALESCE(end_s, %(now)s) - start_s <= {reliability.SHORT_SECONDS}) AS short_rows
GROUP BY county_id, area"""
    return long_sql, short_sql


def _customers_where(customer_ids) -> tuple[str, list] | None:
    if customer_ids is None:
        return "", []
    ids = sorted({int(c) for c in customer_ids})
    if not ids:
        return None
    return f"AND customer_id IN ({', '.join(['%s'] * len(ids))})", ids


def refresh_reach(customer_ids=None) -> None:
    """Recompute the reach and gain columns of these customers' interruptions (all when None):
    one window pass per customer in start order. Called by every action that adds or ends rows."""
    where = _customers_where(customer_ids)
    if where is None:
        return
    table = Interruption._meta.db_table
    reaches = ",\n".join(
        f"    MAX(CASE WHEN {cond} THEN COALESCE(end_s, {OPEN_REACH}) END) OVER win AS r_{name}"
        for name, cond in VIEWS.items())
    sets = ", ".join(f"reach_{name} = w.r_{name}" for name in VIEWS)
    sql = f"""
UPDATE {table} SET {sets}
FROM (
  SELECT id, start_s,
{reaches}
  FROM {table}
  WHERE (end_s IS NULL OR end_s - start_s > {reliability.SHORT_SECONDS}) {where[0]}
  WINDOW win AS (PARTITION BY customer_id ORDER BY start_s, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
) AS w
WHERE {table}.id = w.id AND {table}.start_s = w.start_s"""
    with connection.cursor() as cur:
        cur.execute(sql, where[1])
    refresh_gains(customer_ids)


def _gain(reach: str) -> str:
    return (f"CASE WHEN {reach} IS NULL OR {reach} <= start_s THEN end_s - start_s"
            f" WHEN {reach} < end_s THEN end_s - {reach} ELSE 0 END")


def _by_kind(column: str) -> str:
    """`column` with {view} the row's own kind (planned or fault)."""
    return f"CASE WHEN kind = 'planned' THEN {column.format(view='planned')} ELSE {column.format(view='fault')} END"


def gain_assignments() -> list[str]:
    """The SET list of `refresh_gains`: what a closed row wholly inside a period adds."""
    out = []
    for suffix, cond in (("", "1 = 1"), ("_excl_external", "cause <> 'external'"),
                         ("_excl_shortage", "cause <> 'supply_shortage'")):
        out.append(f"gain_all{suffix} = CASE WHEN {_LONG} AND {cond} THEN {_gain(f'reach_all{suffix}')} ELSE 0 END"
                   .replace("gain_all_", "gain_").replace("reach_all_", "reach_"))
        out.append(f"gain_kind{suffix} = CASE WHEN {_LONG} AND {cond} THEN "
                   f"{_by_kind(_gain('reach_{view}' + suffix))} ELSE 0 END")
    out.append(f"island_all = CASE WHEN {_LONG} AND (reach_all IS NULL OR reach_all < start_s) THEN 1 ELSE 0 END")
    out.append(f"island_kind = CASE WHEN {_LONG} AND "
               f"{_by_kind('CASE WHEN reach_{view} IS NULL OR reach_{view} < start_s THEN 1 ELSE 0 END')} = 1"
               f" THEN 1 ELSE 0 END")
    out.append(f"short = CASE WHEN {_SHORT} THEN 1 ELSE 0 END")
    return out


def refresh_gains(customer_ids=None) -> None:
    """The gain, island and short columns from the reach columns (all rows when None)."""
    where = _customers_where(customer_ids)
    if where is None:
        return
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {Interruption._meta.db_table} SET {', '.join(gain_assignments())} WHERE 1 = 1 {where[0]}",
                    where[1])


def _longest_closed() -> int:
    """The longest closed interruption in seconds (an index lookup on interruption_duration)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT MAX(end_s - start_s) FROM {Interruption._meta.db_table} WHERE end_s IS NOT NULL")
        return int(cur.fetchone()[0] or 0)


def _zone_only(zone_id: int | None) -> str:
    """The rows of the customers on the zone's feeders (nothing to add when no zone is asked)."""
    if zone_id is None:
        return ""
    return (f" AND customer_id IN (SELECT c.id FROM {Customer._meta.db_table} c JOIN {Feeder._meta.db_table} f"
            f" ON f.id = c.feeder_id WHERE f.zone_id = %(zone)s)")


def totals(*, lo: int, hi: int, now_s: int | None = None,
           zone_id: int | None = None) -> dict[str, dict[tuple[int, str], list[int]]]:
    """view → (county_id, area) → [seconds, interruptions, short]: the rows inside the period
    summed from their gain columns, the few crossing its ends or still open clipped here.
    With `zone_id`, only the customers of that high-reliability zone."""
    now_s = reliability.seconds(timezone.localtime()) if now_s is None else now_s
    out: dict[str, dict[tuple[int, str], list[int]]] = {v: defaultdict(lambda: [0, 0, 0]) for v in VIEWS}
    table = Interruption._meta.db_table
    only = _zone_only(zone_id)
    long_sql, short_sql = _sql(table, connection.vendor, only)
    params = {"lo": lo, "hi": hi, "now": now_s, "span": _longest_closed(), "zone": zone_id}
    with connection.cursor() as cur:
        cur.execute(_inside_sql(table, connection.vendor, only, wide=hi - lo >= WIDE_PERIOD), params)
        for county_id, area, kind, *sums in cur.fetchall():
            cell = (county_id, area)
            g_all, g_ext, g_short, g_kind, g_kind_ext, g_kind_short, i_all, i_kind, short = (int(x or 0) for x in sums)
            for view, secs in (("all", g_all), ("excl_external", g_ext), ("excl_shortage", g_short), (kind, g_kind),
                               (f"{kind}_excl_external", g_kind_ext), (f"{kind}_excl_shortage", g_kind_short)):
                out[view][cell][0] += secs
            out["all"][cell][1] += i_all
            out[kind][cell][1] += i_kind
            out["all"][cell][2] += short
            out[kind][cell][2] += short
        cur.execute(long_sql, params)
        for row in cur.fetchall():
            cell = (row[0], row[1])
            for i, view in enumerate(VIEWS):
                out[view][cell][0] += int(row[2 + 2 * i] or 0)
                out[view][cell][1] += int(row[3 + 2 * i] or 0)
        cur.execute(short_sql, params)
        for row in cur.fetchall():
            cell = (row[0], row[1])
            for i, view in enumerate(VIEWS):
                out[view][cell][2] += int(row[2 + i] or 0)
    return out


def customer_counts(region: str | None) -> dict[tuple[int, str], int]:
    qs = Customer.objects.all()
    if region:
        qs = qs.filter(county__policy_region=region)
    return {(c, a): n for c, a, n in qs.values_list("county_id", "area").annotate(n=Count("id"))}


def _group_totals(view_totals, counts, key, prefix: str = "") -> dict[str, Totals]:
    """Sum the (county, area) cells into groups named by key(county_id, area); `prefix` picks
    the planned_/fault_ views."""
    out: dict[str, Totals] = {}
    for cell, n in counts.items():
        k = key(*cell)
        if k is None:
            continue
        all_ = view_totals[prefix.rstrip("_") or "all"].get(cell)
        ext = view_totals[f"{prefix}excl_external"].get(cell)
        short_ = view_totals[f"{prefix}excl_shortage"].get(cell)
        t = Totals(n, all_[0] if all_ else 0, all_[1] if all_ else 0, ext[0] if ext else 0,
                   short_[0] if short_ else 0, all_[2] if all_ else 0)
        out[k] = reliability.add(out.get(k, Totals(0)), t)
    return out


def indices_doc(*, lo: int, hi: int, region: str | None, now_s: int | None = None) -> dict:
    """The same document as `reliability.report`, from SQL aggregates (county keys are division codes)."""
    view_totals = totals(lo=lo, hi=hi, now_s=now_s)
    counts = customer_counts(region)
    divisions = {d.pk: d for d in Division.objects.filter(pk__in={c for c, _ in counts})}
    period = hi - lo
    whole = _group_totals(view_totals, counts, lambda c, a: "all").get("all", Totals(0))
    doc = reliability.indices(whole, period)
    doc["by_area"] = {k: reliability.indices(t, period)
                      for k, t in sorted(_group_totals(view_totals, counts, lambda c, a: a).items())}
    doc["by_county"] = {k: reliability.indices(t, period) for k, t in sorted(
        _group_totals(view_totals, counts, lambda c, a: divisions[c].code).items())}
    for kind in reliability.KINDS:
        doc[kind] = reliability.indices(
            _group_totals(view_totals, counts, lambda c, a: "all", prefix=f"{kind}_").get("all", Totals(0)), period)
    doc["_cells"] = (view_totals, counts, divisions)
    return doc


def reliability_report(*, year: int, region: str | None = None) -> dict:
    """`getpower reliability report --year Y [--region R] --json` and the reliability page."""
    from policies.queries import known_regions

    if region and region not in known_regions():
        raise invalid("region", f"没有地区 {region}；可选：{'、'.join(known_regions())}")
    lo, hi = year_bounds(year)
    doc = indices_doc(lo=lo, hi=hi, region=region)
    view_totals, counts, divisions = doc.pop("_cells")
    period = hi - lo
    groups = {pk: city_group(d) for pk, d in divisions.items()}
    doc = {"year": year, "region": region, **doc}
    doc["county_names"] = {d.code: d.name for d in divisions.values()}
    doc["by_city_group"] = {k: reliability.indices(t, period) for k, t in sorted(
        _group_totals(view_totals, counts, lambda c, a: f"{divisions[c].policy_region}.{groups[c]}").items())}
    by_month = {}
    for month in range(1, 13):
        m_lo = reliability.seconds(datetime(year, month, 1))
        m_hi = reliability.seconds(datetime(year + (month == 12), month % 12 + 1, 1))
        m = indices_doc(lo=m_lo, hi=m_hi, region=region)
        m.pop("_cells")
        by_month[f"{year}-{month:02d}"] = {k: m[k] for k in ("saidi_hours", "saifi", "short_interruptions")} | {
            "by_area": {a: v["saidi_hours"] for a, v in m["by_area"].items()},
            "planned_saidi_hours": m["planned"]["saidi_hours"], "fault_saidi_hours": m["fault"]["saidi_hours"]}
    doc["by_month"] = by_month
    doc["targets"] = _targets(year=year, region=region, view_totals=view_totals, counts=counts, divisions=divisions,
                              groups=groups)
    doc["zones"] = zone_rows(year=year, region=region)
    doc["avoided"] = avoided_summary(year=year, region=region)
    doc["repair"] = repair_summary(year=year, region=region)
    doc["referrals"] = referral_summary(year=year, region=region)
    return doc


def _targets(*, year, region, view_totals, counts, divisions, groups) -> list[dict]:
    """Each (region, city group, area) against the policy target for the year and −N % year on year."""
    regions = sorted({d.policy_region for d in divisions.values()})
    lo, hi = year_bounds(year - 1)
    previous = None
    rows_out = []
    for reg in regions:
        rows = target_rows(reg, year)
        if not rows:
            continue
        if previous is None:
            prev_doc = indices_doc(lo=lo, hi=hi, region=region)
            previous = _group_totals(*prev_doc.pop("_cells")[:2], lambda c, a: (
                divisions[c].policy_region if c in divisions else None, groups.get(c), a))
        here = {cell: n for cell, n in counts.items() if divisions[cell[0]].policy_region == reg}
        for t in rows:
            def match(c, a, t=t):
                if t["city_group"] != "all" and groups[c] != t["city_group"]:
                    return None
                if t["area"] != "all" and a != t["area"]:
                    return None
                return "x"
            now_t = _group_totals(view_totals, here, match).get("x")
            if now_t is None:
                continue
            prev_secs = prev_n = 0
            for (r, g, a), pt in previous.items():
                if r == reg and (t["city_group"] in ("all", g)) and (t["area"] in ("all", a)):
                    prev_secs += pt.seconds
                    prev_n += pt.customers
            saidi = now_t.seconds / 3600 / now_t.customers
            prev_saidi = prev_secs / 3600 / prev_n if prev_n and prev_secs else None
            verdict = reliability.target_met(
                saidi_hours=round(saidi, 6), target_hours=(t.get("saidi") or {}).get("value"),
                previous_hours=None if prev_saidi is None else round(prev_saidi, 6),
                yoy_percent=(t.get("yoy_reduction") or {}).get("value"))
            rows_out.append({"region": reg, "city_group": t["city_group"], "area": t["area"],
                             "target_year": t["year"], "customers": now_t.customers,
                             "saidi_hours": round(saidi, 6),
                             "source": (t.get("saidi") or t.get("yoy_reduction") or {}).get("source"), **verdict})
    return rows_out


def zone_rows(*, year: int, region: str | None, now_s: int | None = None) -> list[dict]:
    """Each high-reliability zone (高可靠性供电示范区) of the region: its customers' SAIDI for the
    year against the policy's `high_reliability_zones` bound of the zone's region."""
    from policies.queries import version_in_force

    lo, hi = year_bounds(year)
    zones = ReliabilityZone.objects.select_related("county").order_by("county__code", "code")
    if region:
        zones = zones.filter(county__policy_region=region)
    bounds: dict[str, dict] = {}  # per policy region: its zones share one bound
    out = []
    for zone in zones:
        zone_region = zone.county.policy_region
        if zone_region not in bounds:
            try:
                document = version_in_force(region=zone_region, on=date(year, 12, 31)).document
            except NotFound:  # no version of the region by the year's end: no bound to judge by
                document = {}
            bounds[zone_region] = (document.get("high_reliability_zones") or {}).get("saidi") or {}
        bound = bounds[zone_region]
        customers = Customer.objects.filter(feeder__zone=zone).count()
        view_totals = totals(lo=lo, hi=hi, now_s=now_s, zone_id=zone.pk)
        seconds_ = sum(secs for secs, _, _ in view_totals["all"].values())
        interruptions = sum(n for _, n, _ in view_totals["all"].values())
        saidi = round(seconds_ / 3600 / customers, 6) if customers else None
        verdict = reliability.target_met(saidi_hours=saidi or 0.0, target_hours=bound.get("value"),
                                         previous_hours=None, yoy_percent=None) if customers else {}
        out.append({"code": zone.code, "name": zone.name, "county": zone.county.code, "county_name": zone.county.name,
                    "region": zone.county.policy_region, "customers": customers, "saidi_hours": saidi,
                    "saifi": round(interruptions / customers, 6) if customers else None,
                    "target_hours": bound.get("value"), "source": bound.get("source", ""),
                    "met": verdict.get("met")})
    return out


def targets_for_counties(*, region: str, year: int, customers, doc: dict) -> list[dict]:
    """For `reliability compute --region`: each county of the file (by division code or name)
    and area against the policy target of its city group."""
    rows = target_rows(region, year)
    if not rows:
        raise invalid("region", f"{region} 没有 {year} 年及以前的供电可靠性目标")
    divisions = {}
    for d in Division.objects.filter(policy_region=region, level=Division.Level.COUNTY):
        divisions[d.code] = divisions[d.name] = d
    out = []
    for county, v in doc["by_county"].items():
        division = divisions.get(county)
        group = city_group(division) if division else "other"
        t = _target_for(rows, group, "all")
        out.append({"county": county, "city_group": group, "saidi_hours": v["saidi_hours"],
                    **reliability.target_met(saidi_hours=v["saidi_hours"],
                                             target_hours=(t or {}).get("saidi", {}).get("value") if t else None,
                                             previous_hours=None, yoy_percent=None)})
    return out


def avoided_summary(*, year: int, region: str | None) -> dict:
    qs = AvoidedOutage.objects.filter(day__year=year)
    if region:
        qs = qs.filter(county__policy_region=region)
    out = {m: {"count": 0, "customer_hours": 0.0} for m in AvoidedOutage.Method.values}
    for a in qs:
        out[a.method]["count"] += 1
        out[a.method]["customer_hours"] = round(out[a.method]["customer_hours"] + a.customer_hours, 2)
    return out


def repair_summary(*, year: int, region: str | None) -> dict:
    """Per county: orders, mean minutes to arrive and to restore."""
    qs = RepairOrder.objects.filter(opened_at__year=year).select_related("county")
    if region:
        qs = qs.filter(county__policy_region=region)
    per: dict[str, dict] = {}
    for r in qs:
        p = per.setdefault(r.county.code, {"orders": 0, "arrive": [], "restore": []})
        p["orders"] += 1
        if r.arrived_at:
            p["arrive"].append((r.arrived_at - r.opened_at).total_seconds() / 60)
        if r.restored_at:
            p["restore"].append((r.restored_at - r.opened_at).total_seconds() / 60)
    return {code: {"orders": p["orders"],
                   "arrive_minutes_avg": round(sum(p["arrive"]) / len(p["arrive"]), 1) if p["arrive"] else None,
                   "restore_minutes_avg": round(sum(p["restore"]) / len(p["restore"]), 1) if p["restore"] else None}
            for code, p in sorted(per.items())}


def referral_summary(*, year: int, region: str | None) -> dict:
    qs = Referral.objects.filter(referred_at__year=year)
    if region:
        qs = qs.filter(county__policy_region=region)
    out: dict[str, dict[str, int]] = {}
    for kind, status, n in qs.values_list("kind", "status").annotate(n=Count("id")):
        out.setdefault(kind, {})[status] = n
    return out


# --- what people see ------------------------------------------------------------------


def visible_outages(user) -> QuerySet:
    return access.scope(user, Outage.objects.select_related("county"), division_field="county")


def outage_for(user, pk, *, related: tuple[str, ...] = ("county",)) -> Outage:
    """One outage the user may see (else NotFound), with `related` joined."""
    return access.get_visible(user, Outage.objects.select_related(*related), pk=pk, what="outage",
                              division_field="county")


def notice_counts(outage: Outage) -> list[dict]:
    """How many notices of each kind went out about the outage."""
    from outages.models import Notice

    return list(Notice.objects.filter(outage=outage).values("kind").annotate(n=Count("id")))


def repair_of(outage: Outage) -> RepairOrder | None:
    return RepairOrder.objects.filter(outage=outage).first()


def public_counties() -> QuerySet[Division]:
    """The counties that have a planned outage on the public notice board, by code."""
    return Division.objects.filter(level=Division.Level.COUNTY,
                                   pk__in=public_planned().values("county_id")).order_by("code")


def county_in_jurisdiction(user, code: str) -> Division | None:
    from accounts import queries as account_queries

    return account_queries.counties_for(user).filter(code=code).first()


def public_planned(*, county_code: str | None = None) -> QuerySet:
    """Planned outages the public may see: approved, not yet over, by area."""
    qs = (Outage.objects.filter(kind=Kind.PLANNED, status__in=(Outage.Status.APPROVED, Outage.Status.ACTIVE),
                                planned_end__gte=timezone.now())
          .select_related("county", "county__parent").prefetch_related("scopes__feeder", "scopes__transformer")
          .order_by("planned_start"))
    if county_code:
        qs = qs.filter(county__code=county_code)
    return qs


def my_outages(user) -> QuerySet:
    """A portal user's outages: through the customers they are the contact of."""
    customers = Customer.objects.filter(user=user)
    scopes = OutageScope.objects.filter(Q(customer__in=customers) | Q(transformer__customers__in=customers)
                                        | Q(feeder__customers__in=customers))
    return (Outage.objects.filter(pk__in=scopes.values("outage_id"))
            .exclude(status__in=(Outage.Status.MERGED, Outage.Status.PROPOSED))
            .order_by("-planned_start", "-started_at"))


def repeated_faults(*, n: int, days: int, today: date | None = None) -> list[dict]:
    """Planners' list: feeders or transformers with at least n faults in the last `days` days."""
    if not 2 <= n <= 100 or not 1 <= days <= 366:
        raise invalid("n", "n 应在 2 到 100 之间，days 应在 1 到 366 之间")
    since = timezone.now() - timedelta(days=days)
    faults = OutageScope.objects.filter(outage__kind=Kind.FAULT, outage__started_at__gte=since)
    out = []
    for field in ("feeder", "transformer"):
        for row in (faults.exclude(**{f"{field}__isnull": True}).values(f"{field}__code", f"{field}__name")
                    .annotate(n=Count("outage", distinct=True)).filter(n__gte=n).order_by("-n")):
            out.append({"type": field, "code": row[f"{field}__code"], "name": row[f"{field}__name"], "faults": row["n"]})
    return out


def overloaded(*, threshold: float = 100.0, since: datetime | None = None) -> list[dict]:
    from outages.models import Reading

    qs = Reading.objects.filter(quantity="load", value__gt=threshold)
    if since:
        qs = qs.filter(at__gte=since)
    out = []
    for field in ("transformer", "feeder"):
        for row in (qs.exclude(**{f"{field}__isnull": True}).values(f"{field}__code", f"{field}__name")
                    .annotate(n=Count("id")).order_by("-n")):
            out.append({"type": field, "code": row[f"{field}__code"], "name": row[f"{field}__name"],
                        "readings_over": row["n"]})
    return out


def low_voltage(*, floor: float = 198.0, since: datetime | None = None) -> list[dict]:
    """短时低电压: transformers with LV readings below 220 V − 10 % (GB/T 12325)."""
    from outages.models import Reading

    qs = Reading.objects.filter(quantity="voltage", value__lt=floor, transformer__isnull=False)
    if since:
        qs = qs.filter(at__gte=since)
    return [{"type": "transformer", "code": r["transformer__code"], "name": r["transformer__name"],
             "readings_low": r["n"]}
            for r in qs.values("transformer__code", "transformer__name").annotate(n=Count("id")).order_by("-n")]
