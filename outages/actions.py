"""Every change to outages: keyword-only, atomic, one event each.

Planned: outage_plan → outage_approve (notices go out) → outage_start → outage_end, or
outage_merge / outage_avoid / outage_cancel. Fault: fault_report (from an operator or the
OMS/SCADA API) → outage_progress → outage_restore (partial or full). A fault opens one
repair order; damage by others is referred with referral_make.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import Division, User
from core import events
from core.errors import Conflict, InvalidInput, invalid
from outages import notices, queries
from outages.models import (
    AvoidedOutage,
    Cause,
    Customer,
    Feeder,
    Interruption,
    Kind,
    Outage,
    OutageScope,
    Referral,
    RepairOrder,
    Transformer,
)
from outages.reliability import seconds

TZ = ZoneInfo("Asia/Shanghai")
MAX_SCOPES = 200


def epoch(moment: datetime) -> int:
    """Epoch seconds of the local wall time (the clock of `outages.reliability`)."""
    return seconds(moment.astimezone(TZ))


_SCOPE_NAMES = {"feeder": "线路", "transformer": "变压器", "customer": "客户"}


def _text(field: str, value: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, "必填")
    if len(value) > limit or "\x00" in value:
        raise invalid(field, f"最多 {limit} 个字，且不能含空字符")
    return value


def _scopes(county: Division, scopes: Iterable[tuple[str, str]]) -> list[OutageScope]:
    """(scope_type, code) pairs → unsaved OutageScope rows; every element must be in the county."""
    out = []
    scopes = list(scopes)
    if not scopes:
        raise invalid("scopes", "至少指明一条线路、一台变压器或一位客户")
    if len(scopes) > MAX_SCOPES:
        raise invalid("scopes", f"最多 {MAX_SCOPES} 项")
    models = {"feeder": Feeder, "transformer": Transformer, "customer": Customer}
    for i, (scope_type, code) in enumerate(scopes):
        model = models.get(scope_type)
        if model is None:
            raise invalid(f"scopes.{i}.type", "应为线路、变压器或客户")
        element = model.objects.filter(code=code).first()
        if element is None:
            raise invalid(f"scopes.{i}.code", f"找不到编号为 {code} 的{_SCOPE_NAMES.get(scope_type, scope_type)}")
        if element.county_id != county.id:
            raise invalid(f"scopes.{i}.code", f"{_SCOPE_NAMES.get(scope_type, scope_type)} {code} 不在{county.name}")
        out.append(OutageScope(**{scope_type: element}))
    return out


def _require_lawful_basis(cause: str, lawful_basis: str) -> str:
    # The seeds forbid arbitrary 拉闸断电: a shortage cut follows an approved 有序用电 plan.
    basis = _text("lawful_basis", lawful_basis, 200)
    if cause == Cause.SUPPLY_SHORTAGE and not basis:
        raise InvalidInput(
            "lawful_basis: 系统电源不足停电须注明经批准的有序用电方案",
            fields={"lawful_basis": "系统电源不足停电须注明经批准的有序用电方案"}, code="no_lawful_basis")
    return basis


def _lead_time_check(*, outage: Outage, now: datetime, urgent_reason: str) -> str:
    """Refuse a plan noticed later than the national lead time, unless an urgent reason is given."""
    lead = queries.notice_lead(outage.county)
    if outage.planned_start - now >= lead:
        return ""
    if not urgent_reason:
        raise InvalidInput(
            f"planned_start: 计划停电须提前 {lead.days} 天通知客户"
            f"（{queries.NOTICE_LEAD_CITATION}）；如确需晚于此时限发布，请填写紧急原因",
            fields={"planned_start": f"须提前{lead.days}天通知；如确需紧急停电，请填写紧急原因",
                    "urgent_reason": "通知晚于规定时限时必填"}, code="lead_time")
    return urgent_reason


@transaction.atomic
def outage_plan(*, by: User, county: Division, title: str, cause: str, planned_start: datetime,
                planned_end: datetime, scopes: Iterable[tuple[str, str]], reason: str = "",
                urgent_reason: str = "", lawful_basis: str = "") -> Outage:
    """A planned outage, proposed for the supervisor's approval."""
    access.require(by, "outage.plan")
    if not access.scope(by, Division.objects.filter(pk=county.pk), division_field="id").exists():
        raise invalid("county", "不在您的管辖范围内")
    if cause not in Cause.values:
        raise invalid("cause", f"可选：{'、'.join(Cause.values)}")
    if timezone.is_naive(planned_start) or timezone.is_naive(planned_end):
        raise invalid("planned_start", "应为带时区的时间")
    if planned_end <= planned_start:
        raise invalid("planned_end", "应晚于计划开始时间")
    if planned_start <= timezone.now():
        raise invalid("planned_start", "应为将来的时间")
    if (planned_end - planned_start).days > 7:
        raise invalid("planned_end", "计划停电最长 7 天；更长的工作请分次安排")
    outage = Outage(kind=Kind.PLANNED, cause=cause, status=Outage.Status.PROPOSED, county=county,
                    title=_text("title", title, 120, required=True), reason=_text("reason", reason, 2000),
                    planned_start=planned_start, planned_end=planned_end,
                    lawful_basis=_require_lawful_basis(cause, lawful_basis),
                    urgent_reason=_text("urgent_reason", urgent_reason, 2000), created_by=by)
    scope_rows = _scopes(county, scopes)
    outage.save()
    for row in scope_rows:
        row.outage = outage
    OutageScope.objects.bulk_create(scope_rows)
    outage.customers_affected = queries.affected_customers(outage).count()
    outage.save(update_fields=["customers_affected"])
    events.record(actor=by, verb="outage.planned", subject=outage,
                  data={"county": county.code, "start": planned_start, "end": planned_end, "cause": cause,
                        "customers": outage.customers_affected,
                        "scopes": [f"{s.scope_type}:{s.target.code}" for s in scope_rows]})
    return outage


@transaction.atomic
def outage_approve(*, outage: Outage, by: User, urgent_reason: str = "") -> Outage:
    """Supervisor approval (after 先算后停): published, and every affected customer is noticed."""
    access.require(by, "outage.approve")
    outage = Outage.objects.select_for_update().get(pk=outage.pk)
    if outage.status != Outage.Status.PROPOSED:
        raise Conflict(f"停电当前为“{outage.get_status_display()}”，不在待审批状态", fields={"status": outage.status})
    now = timezone.now()
    urgent = _lead_time_check(outage=outage, now=now,
                              urgent_reason=_text("urgent_reason", urgent_reason, 2000) or outage.urgent_reason)
    assessment = queries.assess(outage)
    outage.status = Outage.Status.APPROVED
    outage.approved_by = by
    outage.urgent_reason = urgent
    outage.customers_affected = assessment["customers"]
    outage.save(update_fields=["status", "approved_by", "urgent_reason", "customers_affected"])
    sent = notices.notify(outage=outage, kind="planned_outage", event="planned")
    events.record(actor=by, verb="outage.approved", subject=outage,
                  data={"customers": assessment["customers"], "customer_hours": assessment["customer_hours"],
                        "saidi_effect_hours": assessment["saidi_effect_hours"],
                        "budget_remaining_after": assessment["budget"]["remaining_after"],
                        "urgent_reason": urgent, "late_notice": bool(urgent), "notices": sent})
    return outage


@transaction.atomic
def outage_merge(*, outage: Outage, into: Outage, by: User) -> Outage:
    """一停多用: do this work inside another planned outage's window; its scopes join that outage."""
    access.require(by, "outage.approve")
    outage = Outage.objects.select_for_update().get(pk=outage.pk)
    into = Outage.objects.select_for_update().get(pk=into.pk)
    if outage.pk == into.pk:
        raise invalid("into", "应为另一次停电")
    if outage.status != Outage.Status.PROPOSED or outage.kind != Kind.PLANNED:
        raise Conflict("只有待审批的计划停电可以合并", fields={"status": outage.status})
    if into.kind != Kind.PLANNED or into.status not in (Outage.Status.PROPOSED, Outage.Status.APPROVED):
        raise invalid("into", "应为待审批或已批准的计划停电")
    if into.county_id != outage.county_id:
        raise invalid("into", "应为同一区县的停电")
    existing = {(s.feeder_id, s.transformer_id, s.customer_id) for s in into.scopes.all()}
    added = [OutageScope(outage=into, feeder_id=s.feeder_id, transformer_id=s.transformer_id, customer_id=s.customer_id)
             for s in outage.scopes.all() if (s.feeder_id, s.transformer_id, s.customer_id) not in existing]
    OutageScope.objects.bulk_create(added)
    before = into.customers_affected
    into.customers_affected = queries.affected_customers(into).count()
    into.reason = (into.reason + f"\n合并：{outage.title}").strip()[:2000]
    into.save(update_fields=["customers_affected", "reason"])
    outage.status = Outage.Status.MERGED
    outage.merged_into = into
    outage.save(update_fields=["status", "merged_into"])
    if into.status == Outage.Status.APPROVED and into.customers_affected > before:
        # Customers newly inside an approved window get their notice too (once each).
        notices.notify(outage=into, kind="planned_outage", event="planned")
    events.record(actor=by, verb="outage.merged", subject=outage,
                  data={"into": into.pk, "customers_saved": outage.customers_affected})
    return outage


@transaction.atomic
def outage_avoid(*, by: User, county: Division, method: str, day: date, customers: int, hours: str | Decimal,
                 note: str = "", outage: Outage | None = None) -> AvoidedOutage:
    """能转必转、能带不停: record work done by live working or load transfer; a proposed or approved
    outage it replaces is cancelled (its customers were never cut)."""
    access.require(by, "outage.plan")
    if method not in AvoidedOutage.Method.values:
        raise invalid("method", f"可选：{'、'.join(AvoidedOutage.Method.values)}")
    if not isinstance(customers, int) or not 0 < customers <= 1_000_000:
        raise invalid("customers", "应为 1 到 1000000 之间的整数")
    try:
        hours = Decimal(str(hours))
    except InvalidOperation:
        raise invalid("hours", "应为小时数") from None
    if not Decimal("0") < hours <= Decimal("168"):
        raise invalid("hours", "应大于 0 且不超过 168")
    if outage is not None:
        outage = Outage.objects.select_for_update().get(pk=outage.pk)
        if outage.status not in (Outage.Status.PROPOSED, Outage.Status.APPROVED):
            raise invalid("outage", "应为尚未开始的计划停电")
        outage.status = Outage.Status.CANCELLED
        outage.save(update_fields=["status"])
    avoided = AvoidedOutage.objects.create(county=county, outage=outage, method=method, day=day,
                                           customers=customers, hours=hours, note=_text("note", note, 200),
                                           recorded_by=by)
    events.record(actor=by, verb="outage.avoided", subject=avoided,
                  data={"method": method, "customers": customers, "hours": hours,
                        "outage": outage.pk if outage else None})
    return avoided


def _open_interruptions(outage: Outage, customers, start: datetime) -> int:
    start_s = epoch(start)
    rows = [Interruption(outage=outage, customer_id=c["id"], county_id=c["county_id"], area=c["area"],
                         kind=outage.kind, cause=outage.cause, start_s=start_s)
            for c in customers.values("id", "county_id", "area")]
    Interruption.objects.bulk_create(rows, batch_size=2000)
    queries.refresh_reach(r.customer_id for r in rows)
    return len(rows)


@transaction.atomic
def outage_start(*, outage: Outage, by: User) -> Outage:
    """The approved planned outage begins: its customers' interruptions start now."""
    access.require(by, "outage.operate")
    outage = Outage.objects.select_for_update().get(pk=outage.pk)
    if outage.kind != Kind.PLANNED or outage.status != Outage.Status.APPROVED:
        raise Conflict("只有已批准的计划停电可以开始", fields={"status": outage.status})
    now = timezone.now()
    outage.status = Outage.Status.ACTIVE
    outage.started_at = now
    outage.customers_affected = _open_interruptions(outage, queries.affected_customers(outage), now)
    outage.save(update_fields=["status", "started_at", "customers_affected"])
    events.record(actor=by, verb="outage.started", subject=outage, data={"customers": outage.customers_affected})
    return outage


@transaction.atomic
def fault_report(*, by: User | str, county: Division, cause: str, scopes: Iterable[tuple[str, str]], title: str = "",
                 started_at: datetime | None = None, estimated_restoration: datetime | None = None,
                 lawful_basis: str = "", source: str = "operator", external_id: str = "",
                 crew: str = "") -> tuple[Outage, bool]:
    """A fault outage from an operator or an OMS/SCADA system. The same (source, external_id) twice
    returns the first outage (False): systems retry. Opens the grid cell's repair order."""
    if isinstance(by, User):
        access.require(by, "outage.operate")
    external_id = _text("external_id", external_id, 64)
    source = _text("source", source, 32, required=True)
    if external_id:
        existing = Outage.objects.filter(source=source, external_id=external_id).first()
        if existing is not None:
            return existing, False
    if cause not in Cause.values:
        raise invalid("cause", f"可选：{'、'.join(Cause.values)}")
    now = timezone.now()
    started_at = started_at or now
    if timezone.is_naive(started_at):
        raise invalid("started_at", "应为带时区的时间")
    if started_at > now:
        raise invalid("started_at", "不能晚于现在")
    if (now - started_at).days > 2:
        raise invalid("started_at", "应在最近 2 天内（更早的故障请导入，不在此报送）")
    if estimated_restoration is not None and estimated_restoration <= started_at:
        raise invalid("estimated_restoration", "应晚于停电开始时间")
    basis = _require_lawful_basis(cause, lawful_basis)
    scope_rows = _scopes(county, scopes)
    outage = Outage.objects.create(
        kind=Kind.FAULT, cause=cause, status=Outage.Status.ACTIVE, county=county,
        title=_text("title", title, 120) or f"{county.name}故障停电", started_at=started_at,
        estimated_restoration=estimated_restoration, lawful_basis=basis, source=source, external_id=external_id,
        created_by=by if isinstance(by, User) else None)
    for row in scope_rows:
        row.outage = outage
    OutageScope.objects.bulk_create(scope_rows)
    outage.customers_affected = _open_interruptions(outage, queries.affected_customers(outage), started_at)
    outage.save(update_fields=["customers_affected"])
    RepairOrder.objects.create(outage=outage, county=county, opened_at=now,
                               crew=_text("crew", crew, 64) or queries.grid_cell_crew(county, scope_rows))
    sent = notices.notify(outage=outage, kind="fault_outage", event="fault")
    events.record(actor=by if isinstance(by, User) else f"system:{source}", verb="outage.fault_reported",
                  subject=outage, data={"county": county.code, "cause": cause, "customers": outage.customers_affected,
                                        "source": source, "external_id": external_id, "notices": sent})
    return outage, True


@transaction.atomic
def outage_progress(*, outage: Outage, by: User | str, progress: str = "",
                    estimated_restoration: datetime | None = None) -> Outage:
    """Repair progress and the estimated restoration; customers still off hear of each change."""
    if isinstance(by, User):
        access.require(by, "outage.operate")
    outage = Outage.objects.select_for_update().get(pk=outage.pk)
    if outage.status != Outage.Status.ACTIVE:
        raise Conflict("该停电不在进行中", fields={"status": outage.status})
    progress = _text("progress", progress, 200)
    if estimated_restoration is not None and outage.started_at and estimated_restoration <= outage.started_at:
        raise invalid("estimated_restoration", "应晚于停电开始时间")
    if progress == outage.progress and estimated_restoration in (None, outage.estimated_restoration):
        return outage  # nothing changed: nobody is messaged twice for the same news
    outage.progress = progress or outage.progress
    outage.estimated_restoration = estimated_restoration or outage.estimated_restoration
    outage.save(update_fields=["progress", "estimated_restoration"])
    revision = events.record(actor=by if isinstance(by, User) else f"system:{by}", verb="outage.progress_updated",
                             subject=outage, data={"progress": outage.progress,
                                                   "estimated_restoration": outage.estimated_restoration})
    notices.notify(outage=outage, kind="outage_progress", event=f"progress:{revision.seq}", still_off_only=True)
    return outage


@transaction.atomic
def outage_restore(*, outage: Outage, by: User | str, scopes: Iterable[tuple[str, str]] | None = None) -> Outage:
    """Restore supply: to the customers of `scopes` (a partial restoration), or to everyone (the end)."""
    if isinstance(by, User):
        access.require(by, "outage.operate")
    outage = Outage.objects.select_for_update().get(pk=outage.pk)
    if outage.status != Outage.Status.ACTIVE:
        raise Conflict("该停电不在进行中", fields={"status": outage.status})
    now = timezone.now()
    open_rows = Interruption.objects.filter(outage=outage, end_s__isnull=True)
    partial = scopes is not None
    if partial:
        restored = queries.customers_in(_scopes(outage.county, scopes))
        open_rows = open_rows.filter(customer__in=restored)
    restored_ids = list(open_rows.values_list("customer_id", flat=True))
    if partial and not restored_ids:
        raise invalid("scopes", "这些客户在本次停电中都已复电")
    open_rows.update(end_s=max(epoch(now), epoch(outage.started_at) if outage.started_at else 0))
    queries.refresh_reach(restored_ids)
    still_off = Interruption.objects.filter(outage=outage, end_s__isnull=True).exists()
    if not still_off:
        outage.status = Outage.Status.ENDED
        outage.ended_at = now
        outage.save(update_fields=["status", "ended_at"])
        repair = RepairOrder.objects.filter(outage=outage).first()
        if repair is not None and repair.restored_at is None:
            repair.restored_at = now
            repair.status = RepairOrder.Status.CLOSED
            repair.repaired_at = repair.repaired_at or now
            repair.save(update_fields=["restored_at", "status", "repaired_at"])
    notices.notify(outage=outage, kind="outage_restored", event="restored", only=restored_ids)
    events.record(actor=by if isinstance(by, User) else f"system:{by}",
                  verb="outage.partially_restored" if still_off else "outage.ended", subject=outage,
                  data={"customers_restored": len(restored_ids)})
    return outage


@transaction.atomic
def outage_cancel(*, outage: Outage, by: User, reason: str) -> Outage:
    access.require(by, "outage.approve")
    outage = Outage.objects.select_for_update().get(pk=outage.pk)
    if outage.status not in (Outage.Status.PROPOSED, Outage.Status.APPROVED):
        raise Conflict("只有尚未开始的停电可以取消", fields={"status": outage.status})
    outage.status = Outage.Status.CANCELLED
    outage.save(update_fields=["status"])
    events.record(actor=by, verb="outage.cancelled", subject=outage, data={"reason": _text("reason", reason, 200,
                                                                                          required=True)})
    return outage


REPAIR_STEPS = {
    "dispatch": (RepairOrder.Status.OPEN, RepairOrder.Status.DISPATCHED, "dispatched_at", "repair.dispatched"),
    "arrive": (RepairOrder.Status.DISPATCHED, RepairOrder.Status.ON_SITE, "arrived_at", "repair.arrived"),
    "repaired": (RepairOrder.Status.ON_SITE, RepairOrder.Status.REPAIRED, "repaired_at", "repair.repaired"),
}


@transaction.atomic
def repair_advance(*, repair: RepairOrder, by: User, step: str, crew: str = "") -> RepairOrder:
    """One step of the repair order: dispatch → arrive → repaired (restoration ends the outage)."""
    access.require(by, "outage.operate")
    if step not in REPAIR_STEPS:
        raise invalid("step", f"可选：{'、'.join(REPAIR_STEPS)}")
    before, after, field, verb = REPAIR_STEPS[step]
    repair = RepairOrder.objects.select_for_update().get(pk=repair.pk)
    if repair.status != before:
        raise Conflict(f"抢修单当前为“{repair.get_status_display()}”，不能进行这一步", fields={"step": step})
    repair.status = after
    setattr(repair, field, timezone.now())
    if crew:
        repair.crew = _text("crew", crew, 64)
    repair.save()
    events.record(actor=by, verb=verb, subject=repair, data={"outage": repair.outage_id, "crew": repair.crew})
    return repair


@transaction.atomic
def referral_make(*, by: User, county: Division, kind: str, authority: str, description: str,
                  evidence: list[str] | None = None, outage: Outage | None = None) -> Referral:
    """Refer third-party damage or a violation to the authority responsible, with evidence."""
    access.require(by, "outage.operate")
    if kind not in Referral.Kind.values:
        raise invalid("kind", f"可选：{'、'.join(Referral.Kind.values)}")
    evidence = [_text(f"evidence.{i}", e, 200, required=True) for i, e in enumerate(evidence or [])]
    if not evidence:
        raise invalid("evidence", "至少提供一张照片或一份文件编号")
    if len(evidence) > 20:
        raise invalid("evidence", "最多 20 项")
    referral = Referral.objects.create(
        outage=outage, county=county, kind=kind, authority=_text("authority", authority, 64, required=True),
        description=_text("description", description, 2000, required=True), evidence=evidence,
        referred_at=timezone.now(), referred_by=by)
    events.record(actor=by, verb="referral.made", subject=referral,
                  data={"kind": kind, "authority": referral.authority, "outage": outage.pk if outage else None})
    return referral


@transaction.atomic
def referral_update(*, referral: Referral, by: User, status: str, outcome: str = "") -> Referral:
    access.require(by, "outage.operate")
    if status not in (Referral.Status.ACCEPTED, Referral.Status.CLOSED):
        raise invalid("status", "应为已受理或已关闭")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status == Referral.Status.CLOSED:
        raise Conflict("该转办已关闭", fields={"status": referral.status})
    referral.status = status
    referral.outcome = _text("outcome", outcome, 200, required=status == Referral.Status.CLOSED)
    if status == Referral.Status.CLOSED:
        referral.closed_at = timezone.now()
    referral.save()
    events.record(actor=by, verb="referral.updated", subject=referral, data={"status": status})
    return referral


@transaction.atomic
def scheme_connect(*, scheme, by: User, feeder: str, transformer: str = ""):
    """Record where a supply scheme connects (a transformer for LV, else a feeder); when the
    application is energised, its site becomes a customer there (the energised hook)."""
    from outages.models import SchemeConnection

    access.require(by, "scheme.propose")
    feeder_row = Feeder.objects.filter(code=feeder, county_id=scheme.application.county_id).first()
    if feeder_row is None:
        raise invalid("feeder", f"{scheme.application.county.name}没有线路 {feeder}")
    transformer_row = None
    if transformer:
        transformer_row = Transformer.objects.filter(code=transformer, feeder=feeder_row).first()
        if transformer_row is None:
            raise invalid("transformer", f"线路 {feeder} 上没有变压器 {transformer}")
    connection, _ = SchemeConnection.objects.update_or_create(
        scheme=scheme, defaults={"feeder": feeder_row, "transformer": transformer_row})
    events.record(actor=by, verb="scheme.connected", subject=scheme.application,
                  data={"scheme": scheme.label, "feeder": feeder, "transformer": transformer or None})
    return connection
