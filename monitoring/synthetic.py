"""`getpower demo generate --applications N`: a synthetic province at scale, for the indicator
benchmark (bench/indicators.py) and for trying the dashboard on a realistic volume.

`getpower demo load` runs every step through the real actions with time travelled; that
takes seconds per hundred applications, so a million would take days. This generator
writes the same rows in bulk instead, computing each value with the code the actions use:

bulk-loaded (bulk_create, in batches, one transaction per batch):
- `Application`: category from `rules.resolve_category` and the policy version in force on
  the submission day (`rules.version_in_force`), zero investment and boundary from
  `rules.investment`, number in the action's format (region, submission day, id); channel,
  enterprise size, area and county drawn from fixed weights;
- `Stage`: the policy's stage plan (`rules.stage_plan`), each started the day the previous
  one ended, due dates from `deadlines.stage_due`, working days held from
  `deadlines.workdays_between` (the same `finish_stage` arithmetic), marked overdue when late;
- `ApplicationFact` and `StageFact`: from those rows by `monitoring.actions.fact_rows`, the
  function `facts_refresh` itself uses, so a later refresh rewrites nothing.

not generated (documented, not pretended): the per-step events of the log (one
`synthetic.generated` event records the run: seed, counts, ranges), pauses, escalations,
documents, fees and messages. Divisions and organisations are created through the
accounts actions. Application ids are assigned here (contiguous) so stages can point to
them without a read-back; on PostgreSQL the id sequence is moved past them afterwards.

Deterministic for a given seed. Refuses to run twice into the same province."""
from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts import actions as accounts
from accounts.models import Division, Organisation
from applications import deadlines, rules
from applications.demo import PROFILES, REGION_PROFILES
from applications.models import Application, Stage, Status
from core import events, pii
from core.errors import Conflict, invalid
from monitoring.actions import fact_rows
from monitoring.models import ApplicationFact, StageFact
from workdays.schedule import get_schedule

TZ = ZoneInfo("Asia/Shanghai")
BATCH = 5_000
MAX_APPLICATIONS = 5_000_000
# The synthetic province's cities; each has COUNTIES_PER_CITY counties.
CITIES = ["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水"]
COUNTIES_PER_CITY = 8
# How often each profile is filed (LV homes dominate, as in every province's ledger).
PROFILE_WEIGHTS = {"lv_residential": 60, "lv_residential_noworks": 10, "lv_sanling": 12, "lv_nonresidential": 8,
                   "hv10_single": 6, "hv10_dual": 2, "hv35_single": 1, "hv35_dual": 0.5, "hv_conditional": 0.5}
SIZE_WEIGHTS = {"large": 5, "medium": 15, "small": 40, "micro": 40}
AREA_WEIGHTS = {"city_core": 15, "urban": 35, "town": 30, "rural": 20}
ONLINE_SHARE = 0.85
LATE_SHARE = 0.12  # stages finished after their limit
REJECTED_SHARE = 0.02
SYNTHETIC_USCC = "91350100M000100Y43"  # a well-formed 统一社会信用代码 (check digit valid)


@dataclass(frozen=True)
class Generated:
    applications: int
    stages: int
    counties: int
    first_day: date
    last_day: date


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _province(region: str, code: str, by=None) -> list[Division]:
    """The province, its cities and counties with one utility organisation each (through the actions)."""
    if Division.objects.filter(code=code).exists():
        raise Conflict(f"合成省份 {code} 已生成", fields={"region": "already generated"})
    province = accounts.division_create(code=code, name="合成数据省", level="province", policy_region=region)
    root = accounts.organisation_create(code=f"{code}-grid", name="合成数据省电力公司", kind=Organisation.Kind.UTILITY,
                                        division=province)
    counties = []
    for c, city_name in enumerate(CITIES, start=1):
        city = accounts.division_create(code=f"{code}{c:02d}", name=f"{city_name}市（合成）", level="city",
                                        parent=province)
        city_org = accounts.organisation_create(code=f"{code}{c:02d}-grid", name=f"{city_name}供电公司（合成）",
                                                kind=Organisation.Kind.UTILITY, division=city, parent=root)
        for k in range(1, COUNTIES_PER_CITY + 1):
            county = accounts.division_create(code=f"{code}{c:02d}{k:02d}", name=f"{city_name}第{k}区（合成）",
                                              level="county", parent=city)
            accounts.organisation_create(code=f"{code}{c:02d}{k:02d}-grid", name=f"{city_name}第{k}区供电公司（合成）",
                                         kind=Organisation.Kind.UTILITY, division=county, parent=city_org)
            counties.append(county)
    return counties


class _Policy:
    """Per-day and per-profile look-ups of the policy, cached (a few hundred distinct keys)."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.version = functools.cache(lambda day: rules.version_in_force(region, day))
        self.schedule = get_schedule()

    @functools.cache  # noqa: B019 (one instance per run)
    def category(self, version, profile: str):
        data = SimpleNamespace(**{"supply": "single", "important": False, "sanling": False, "residential": False,
                                  "conditional": False, "no_works": False, **PROFILES[profile]})
        return rules.resolve_category(version, data=data, voltage_kv=data.voltage_kv, capacity_kva=data.capacity_kva)

    @functools.cache  # noqa: B019
    def plan(self, version, category: str, profile: str):
        p = PROFILES[profile]
        shape = SimpleNamespace(important=p.get("important", False), no_works=p.get("no_works", False),
                                voltage_kv=p["voltage_kv"], is_hv=float(p["voltage_kv"]) >= 1)
        return rules.stage_plan(version, category, application=shape)

    @functools.cache  # noqa: B019
    def due(self, start: date, limit: int | None, unit: str):
        return deadlines.stage_due(start=start, limit=limit, unit=unit, schedule=self.schedule)

    @functools.cache  # noqa: B019
    def held(self, start: date, end: date) -> int:
        return deadlines.workdays_between(start, end, schedule=self.schedule)

    @functools.cache  # noqa: B019
    def end_after(self, start: date, workdays: int) -> date:
        from workdays import clock

        return clock.add(start, workdays, clock.Unit.WORKDAY, self.schedule) if workdays else start

    @functools.cache  # noqa: B019
    def investment(self, version, category: str, area: str, profile: str, day: date):
        shape = SimpleNamespace(category=category, area_category=area, capacity_kva=PROFILES[profile]["capacity_kva"],
                                in_park=False)
        return rules.investment(version, shape, day)


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(8 + rng.randrange(9), rng.randrange(60)), tzinfo=TZ)


def generate(*, applications: int, region: str = "zhejiang", year: int | None = None, seed: int = 20261201,
             code: str = "SYN", stdout=None) -> Generated:
    """Write `applications` synthetic applications submitted over `year` (default: last year)."""
    if not 1 <= applications <= MAX_APPLICATIONS:
        raise invalid("applications", f"1 到 {MAX_APPLICATIONS}")
    today = timezone.localdate()
    year = year or today.year - 1
    first_day, last_day = date(year, 1, 1) - timedelta(days=45), min(date(year, 12, 31), today - timedelta(days=1))
    if last_day < first_day:
        raise invalid("year", "须为已开始的年份")
    rng = random.Random(seed)
    with transaction.atomic():
        counties = _province(region, code)
    orgs = {o.division_id: o for o in Organisation.objects.filter(division__in=counties)}
    policy = _Policy(region)
    profiles = {k: w for k, w in PROFILE_WEIGHTS.items() if k in REGION_PROFILES.get(region, PROFILES)}
    span = (last_day - first_day).days
    cutoff = last_day  # what has not ended by then is still in progress
    next_id = (Application.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    id_number = pii.encrypt("11010519491231002X", key=settings.PII_KEY)  # one synthetic ID, encrypted once
    stages_written = 0
    now = timezone.now()
    for start in range(0, applications, BATCH):
        apps, stages = [], {}
        for offset in range(min(BATCH, applications - start)):
            app_id = next_id + start + offset
            app, app_stages = _one(rng, policy, app_id, counties, orgs, profiles, first_day, span, cutoff, id_number)
            apps.append(app)
            stages[app_id] = app_stages
        facts, stage_facts = [], []
        for app in apps:
            fact, rows = fact_rows(app, stages[app.id], pauses={}, schedule=policy.schedule, now=now,
                                   escalations=0, paid=None, rating=None)
            facts.append(fact)
            stage_facts += rows
        with transaction.atomic():
            _insert(Application, apps)
            _insert(Stage, [s for rows in stages.values() for s in rows])
            _insert(ApplicationFact, facts)
            _insert(StageFact, stage_facts)
        stages_written += sum(len(rows) for rows in stages.values())
        if stdout is not None:
            stdout.write(f"  {start + len(apps)} / {applications}\n")
    _reset_sequence()
    result = Generated(applications, stages_written, len(counties), first_day, last_day)
    with transaction.atomic():
        events.record(actor=None, verb="synthetic.generated", subject_type="accounts.division", subject_id=code,
                      data={"applications": applications, "stages": stages_written, "seed": seed, "region": region,
                            "first_day": first_day, "last_day": last_day})
    return result


def _one(rng, policy: _Policy, app_id: int, counties, orgs, profiles, first_day: date, span: int, cutoff: date,
         id_number: str) -> tuple[Application, list[Stage]]:
    profile = _weighted(rng, profiles)
    p = PROFILES[profile]
    county = counties[int(rng.triangular(0, len(counties) - 1, 0))]  # a few big counties, many small
    org = orgs[county.id]
    submitted_day = first_day + timedelta(days=rng.randrange(span + 1))
    submitted = _moment(submitted_day, rng)
    version = policy.version(submitted_day)
    category = policy.category(version, profile)
    area = _weighted(rng, AREA_WEIGHTS)
    person = p["applicant_kind"] == "person"
    app = Application(
        id=app_id, number=f"{county.policy_region[:2].upper()}{submitted_day:%Y%m%d}{app_id:06d}",
        region=county.policy_region, county=county, utility=org.utility_root, handling_org=org,
        applicant_kind=p["applicant_kind"], applicant_name=f"合成用户{app_id}", uscc="" if person else SYNTHETIC_USCC,
        enterprise_size="" if person else _weighted(rng, SIZE_WEIGHTS), id_number_enc=id_number if person else "",
        site_address=f"{county.name}合成路{app_id}号", site_digest=f"{app_id:064x}", area_category=area,
        voltage_kv=Decimal(p["voltage_kv"]), capacity_kva=Decimal(p["capacity_kva"]), supply=p.get("supply", "single"),
        residential=p.get("residential", False), important=p.get("important", False), sanling=p.get("sanling", False),
        no_works=p.get("no_works", False), conditional=p.get("conditional", False), category=category.code,
        category_name=category.name, channel="online" if rng.random() < ONLINE_SHARE else "hall",
        submitted_at=submitted, first_submitted_at=submitted, status=Status.SUBMITTED)
    # application_create lays out the acceptance stage from the version in force on submission.
    acceptance = policy.plan(version, category.code, profile)[0]
    stage, end_day = _stage(rng, policy, app_id, 1, acceptance, submitted_day, submitted_day, submitted, cutoff)
    if end_day > cutoff:
        return app, [stage]
    if rng.random() < REJECTED_SHARE:
        app.status, app.closed_at, app.closing_reason = Status.REJECTED, stage.ended_at, "资料不符合受理条件（合成）"
        stage.state, stage.ended_at, stage.grid_workdays, stage.alert = Stage.State.CANCELLED, None, None, Stage.Alert.NONE
        return app, [stage]
    # application_accept pins the version in force on the day of acceptance and lays out the rest from it.
    version = policy.version(end_day)
    category = policy.category(version, profile)
    app.policy_version, app.category, app.category_name = version, category.code, category.name
    app.zero_investment, app.investment_boundary = policy.investment(version, category.code, area, profile, end_day)
    app.accepted_at, app.status = stage.ended_at, Status.IN_PROGRESS
    stages = [stage]
    rest = policy.plan(version, category.code, profile)[1:]
    day, moment = end_day, stage.ended_at
    for seq, step in enumerate(rest, start=2):
        stage, end_day = _stage(rng, policy, app_id, seq, step, day, day if step.own_limit else submitted_day, moment,
                               cutoff)
        stages.append(stage)
        if end_day > cutoff:  # still being worked on: the stages after it wait
            stages += [Stage(application_id=app_id, seq=n, code=s.code, name=s.name, limit=s.limit, unit=s.unit,
                             own_limit=s.own_limit) for n, s in enumerate(rest[seq - 1:], start=seq + 1)]
            return app, stages
        day, moment = end_day, stage.ended_at
    app.status, app.energised_at, app.closed_at = Status.ENERGISED, moment, moment
    return app, stages


def _stage(rng, policy: _Policy, app_id: int, seq: int, step, day: date, counts_from: date,
           after: datetime, cutoff: date) -> tuple[Stage, date]:
    """One stage started on `day`: finished within its limit most of the time, late sometimes;
    active (not finished) when its end falls after the generated range."""
    due = policy.due(counts_from, step.limit, step.unit)
    limit = max(step.limit or 3, 1)
    if seq == 1:
        held = rng.randrange(2)
    elif rng.random() < LATE_SHARE:
        held = limit + rng.randrange(1, limit + 1)
    else:
        held = rng.randrange(1, limit + 1)
    end_day = policy.end_after(day, held) if step.unit == "workday" else day + timedelta(days=held)
    stage = Stage(application_id=app_id, seq=seq, code=step.code, name=step.name, limit=step.limit, unit=step.unit,
                  own_limit=step.own_limit, state=Stage.State.ACTIVE, start_date=day, started_at=after,
                  counts_from=counts_from, base_due=due and due.base_due, due_date=due and due.due_date,
                  provisional=bool(due and due.provisional))
    if end_day > cutoff:
        return stage, end_day
    ended = max(_moment(end_day, rng), after)
    # finish_stage: done, working days held from the start day, overdue when past the due date.
    stage.state, stage.ended_at = Stage.State.DONE, ended
    stage.grid_workdays = policy.held(day, end_day)
    if stage.due_date is not None and end_day > stage.due_date:
        stage.alert = Stage.Alert.OVERDUE
    return stage, end_day


@functools.cache
def _columns(model) -> tuple[str, list]:
    """INSERT statement and per-field converters of a model: the conversions Django's own
    bulk_create applies (dates, datetimes to UTC, decimals), chosen once per field instead of
    once per value, which is what makes a million rows take minutes instead of an hour."""
    ops, quote = connection.ops, connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.get_internal_type() == "BigAutoField")
              or model is Application]
    converters = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            converters.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            converters.append(ops.adapt_datefield_value)
        elif kind == "DecimalField":
            converters.append(functools.partial(_decimal, f))
        else:
            converters.append(None)
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    return sql, [(f.attname, c) for f, c in zip(fields, converters, strict=True)]


def _decimal(field, value):
    return None if value is None else connection.ops.adapt_decimalfield_value(field.to_python(value), field.max_digits,
                                                                             field.decimal_places)


def _insert(model, objects: list) -> None:
    sql, columns = _columns(model)
    rows = [tuple(getattr(o, name) if convert is None else convert(getattr(o, name)) for name, convert in columns)
            for o in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _reset_sequence() -> None:
    """PostgreSQL: move the id sequence past the ids assigned here (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Application]):
            cursor.execute(sql)
