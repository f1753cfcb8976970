"""State changes of monitoring: refreshing the fact table and taking snapshots."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from applications.models import ONLINE_CHANNELS, Application, Pause, Stage, Status
from core import events
from monitoring import facts as pure
from monitoring import push
from monitoring.models import ApplicationFact, Report, Snapshot, StageFact
from workdays import clock
from workdays.schedule import get_schedule

FINAL = {Status.ENERGISED, Status.REJECTED, Status.WITHDRAWN}
CHUNK = 2000


def _local(moment) -> date | None:
    return None if moment is None else timezone.localdate(moment)


def _limit_value(node: dict | None) -> int | None:
    return None if not node else int(node["value"])


def facts_refresh(*, full: bool = False, by=None) -> int:
    """Bring the fact table up to date: every application without a fact, and every fact
    whose application was still open when it was taken (closed cases never change).
    Returns how many facts were written. Bounded memory: works in chunks."""
    stale = Application.objects.exclude(fact__status__in=[s.value for s in FINAL]) if not full else Application.objects.all()
    ids = list(stale.order_by("id").values_list("id", flat=True))
    schedule = get_schedule()
    written = 0
    for offset in range(0, len(ids), CHUNK):
        written += _refresh_chunk(ids[offset:offset + CHUNK], schedule)
    if written:
        with transaction.atomic():
            events.record(actor=by, verb="indicators.facts_refreshed", subject_type="monitoring.applicationfact",
                          subject_id="all", data={"written": written, "full": full})
    return written


def _refresh_chunk(ids: list[int], schedule: clock.Schedule) -> int:
    apps = list(Application.objects.filter(id__in=ids).select_related("county", "policy_version"))
    stages_by_app: dict[int, list[Stage]] = defaultdict(list)
    for stage in Stage.objects.filter(application_id__in=ids).order_by("application_id", "seq"):
        stages_by_app[stage.application_id].append(stage)
    pauses: dict[int, list[pure.PauseSpan]] = defaultdict(list)
    for pause in Pause.objects.filter(stage__application_id__in=ids).only("stage_id", "started_at", "ended_at"):
        pauses[pause.stage_id].append(pure.PauseSpan(_local(pause.started_at), _local(pause.ended_at)))
    escalations = dict(Application.objects.filter(id__in=ids).annotate(n=Count("stages__escalations"))
                       .values_list("id", "n"))
    customer_paid = dict(Application.objects.filter(id__in=ids).annotate(paid=Sum("fees__amount", filter=Q(fees__works=True)))
                         .values_list("id", "paid"))
    ratings = dict(Application.objects.filter(id__in=ids, rating__isnull=False).values_list("id", "rating__score"))
    now = timezone.now()
    with transaction.atomic():
        StageFact.objects.filter(fact_id__in=ids).delete()
        ApplicationFact.objects.filter(application_id__in=ids).delete()
        facts, stage_facts = [], []
        for app in apps:
            fact, stage_rows = fact_rows(app, stages_by_app[app.id], pauses=pauses, schedule=schedule, now=now,
                                         escalations=escalations.get(app.id, 0), paid=customer_paid.get(app.id),
                                         rating=ratings.get(app.id))
            facts.append(fact)
            stage_facts += stage_rows
        ApplicationFact.objects.bulk_create(facts, batch_size=500)
        StageFact.objects.bulk_create(stage_facts, batch_size=1000)
    return len(facts)


def fact_rows(app: Application, stages: list[Stage], *, pauses, schedule, now, escalations: int, paid, rating):
    """One application's fact and stage facts, from its rows: the one place facts are computed
    (the refresh above, and the synthetic generator's bulk path)."""
    fact, done = _fact(app, stages, pauses, schedule, now)
    fact.escalations = escalations
    fact.zero_investment = None if not app.zero_investment else not paid
    fact.rating = rating
    fact.works_charged = bool(paid)
    return fact, [StageFact(fact_id=app.id, region=app.region, county_id=app.county_id, category=app.category,
                            code=s.code, unit=s.unit, limit=s.limit, held=s.held(s.unit), within=s.within,
                            ended_on=s.end) for s in done]


def _fact(app: Application, stages: list[Stage], pauses, schedule, now) -> tuple[ApplicationFact, list[pure.StageTimes]]:
    category = (app.policy_version.document.get("categories", {}).get(app.category, {})
                if app.policy_version_id else {})
    done = [
        pure.StageTimes(code=s.code, unit=s.unit, limit=s.limit, start=s.start_date, end=_local(s.ended_at),
                        due=s.due_date, workdays_held=s.grid_workdays or 0, pauses=tuple(pauses.get(s.id, ())))
        for s in stages if s.ended_at is not None and s.start_date is not None
    ]
    submitted, energised = _local(app.first_submitted_at), _local(app.energised_at)
    finished = app.status == Status.ENERGISED and energised is not None
    full_days = (energised - submitted).days if finished else None
    full_workdays = clock.count(submitted, energised, schedule) if finished and energised > submitted else (
        0 if finished else None)
    county = app.county
    return ApplicationFact(
        application_id=app.id, region=app.region, county_id=app.county_id,
        city_id=county.parent_id if county.level == "county" else None, utility_id=app.utility_id,
        category=app.category, unit=category.get("unit", "workday"), status=app.status,
        residential=app.residential, sanling=app.sanling, no_works=app.no_works, voltage_kv=app.voltage_kv, capacity_kva=app.capacity_kva,
        area_category=app.area_category, enterprise_size=app.enterprise_size, online=app.channel in ONLINE_CHANNELS, submitted_on=submitted,
        energised_on=energised if finished else None,
        grid_side_days=pure.grid_side(done, "day") if finished else None,
        grid_side_workdays=pure.grid_side(done, "workday") if finished else None,
        full_process_days=full_days, full_process_workdays=full_workdays,
        grid_side_limit=_limit_value(category.get("grid_side_limit")),
        grid_side_limit_unit=(category.get("grid_side_limit") or {}).get("unit", ""),
        full_process_limit=_limit_value(category.get("full_process_limit")),
        full_process_limit_unit=(category.get("full_process_limit") or {}).get("unit", ""),
        stage_count=len(stages), stage_cap=_limit_value(category.get("max_stages")), stages_late=sum(1 for s in done if s.within is False),
        escalations=0, refreshed_at=now,
    ), done


@dataclass(frozen=True)
class SnapshotResult:
    stored: int
    corrected: int
    unchanged: int


def snapshots_take(*, region: str, period: str, county: str | None = None, by=None) -> SnapshotResult:
    """Store what every indicator shows for a period. A row that differs from the stored one
    supersedes it (the old row is kept, `current` cleared) and the correction is logged."""
    from monitoring import queries  # reads live values; actions may read, queries never write

    facts_refresh(by=by)
    parsed = queries.period_from(period)
    scope = queries.scope_for(region=region, period=parsed, county=county)
    county_code = county or ""
    now = timezone.now()
    stored = corrected = unchanged = 0
    changes: list[push.Change] = []
    with transaction.atomic():
        existing = {(s.code, s.dimension): s for s in Snapshot.objects.select_for_update().filter(
            region=region, county_code=county_code, period=parsed.label, current=True)}
        for measure in queries.measures(scope):
            old = existing.get((measure.code, measure.dimension))
            if old is not None and (old.value, old.target, old.status) == (measure.value, measure.target, measure.status):
                unchanged += 1
                continue
            if old is not None:
                old.current = False
                old.save(update_fields=["current"])
            new = Snapshot.objects.create(
                region=region, county_code=county_code, period=parsed.label, code=measure.code,
                dimension=measure.dimension, value=measure.value, target=measure.target, unit=measure.unit,
                direction=measure.direction, status=measure.status, source=measure.source[:500], taken_at=now,
                supersedes=old)
            changes.append(push.Change(new, None if old is None else old.value, old is not None))
            if old is not None:
                corrected += 1
                events.record(actor=by, verb="indicators.corrected", subject=new,
                              data={"code": measure.code, "dimension": measure.dimension, "period": parsed.label,
                                    "before": old.value, "after": measure.value, "status": measure.status})
            else:
                stored += 1
        pushed = push.changes_enqueue(region=region, county_code=county_code, period=parsed.label, changes=changes)
        events.record(actor=by, verb="indicators.snapshot_taken", subject_type="monitoring.snapshot",
                      subject_id=f"{region}:{county_code}:{parsed.label}",
                      data={"stored": stored, "corrected": corrected, "unchanged": unchanged, "pushed": pushed})
    return SnapshotResult(stored, corrected, unchanged)


def report_generate(*, kind: str, period: str, fmt: str, region: str | None = None, by=None) -> Report:
    """Build a report, keep the file, log it, and send it to the energy bureau and the regulator
    through the outbox (the message row is the receipt)."""
    from django.core.files.base import ContentFile

    from accounts.models import User
    from accounts.roles import Role
    from core import outbox
    from core.errors import invalid
    from monitoring import reports

    if kind == Report.Kind.MONTHLY:
        if fmt != "xlsx":
            raise invalid("format", "月度统计为 Excel（xlsx）")
        content = reports.monthly_workbook(month=period, region=region)
    elif kind == Report.Kind.QUARTERLY:
        content = reports.quarterly_document(quarter=period, fmt=fmt, region=region)
    elif kind == Report.Kind.ANNUAL:
        from monitoring import annual

        content = annual.document(year=period, fmt=fmt, region=region)
    else:
        raise invalid("kind", "报告种类应为 monthly、quarterly 或 annual")
    digest = hashlib.sha256(content).hexdigest()
    # A region's report goes to that region's bureau and regulator; an all-region one to every one.
    where = {"memberships__organisation__division__policy_region": region} if region else {}
    recipients = User.objects.filter(is_active=True, memberships__role__in=[Role.ENERGY_BUREAU, Role.REGULATOR],
                                     **where).distinct()
    with transaction.atomic():
        report = Report(kind=kind, region=region or "", period=period, format=fmt, sha256=digest,
                        generated_at=timezone.now())
        report.file.save(f"{kind}-{region or 'all'}-{period}.{fmt}", ContentFile(content), save=False)
        report.save()
        label = Report.Kind(kind).label
        for user in recipients:
            outbox.enqueue(kind="report_ready", user=user, key=f"report:{report.pk}:{user.pk}", subject=report,
                           text=f"{period} {label}报告已生成，可在指标监测页面下载。")
        report.recipients = recipients.count()
        report.save(update_fields=["recipients"])
        events.record(actor=by, verb="report.generated", subject=report,
                      data={"kind": kind, "period": period, "format": fmt, "region": region or "", "sha256": digest})
    return report


# Oversight (通报, 抽查, 检查与约谈, scheduled reports): actions kept in their own module.
from monitoring.oversight_actions import (  # noqa: E402,F401
    bulletin_issue,
    follow_up_close,
    inspection_record,
    reports_deliver_due,
    spot_check_draw,
    spot_check_finding_record,
)
