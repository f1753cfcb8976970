"""Every change behind the public pages: publishing documents, good practices and their
review, and the public's reports of 三指定 / irregular fees with the regulator's clock."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from accounts.models import Organisation, User
from applications import deadlines
from core import events, outbox, pii
from core.bounds import stripped_text
from core.errors import Conflict, Forbidden, invalid
from disclosure.models import GoodPractice, PublishedDocument, ViolationReport
from policies import queries as policy_queries
from workdays.schedule import get_schedule

DATA_DIR = Path(__file__).resolve().parent / "data"
PHONE_CHARS = set("0123456789-+ ")


def _region(region: str) -> str:
    policy_queries.version_in_force(region=region)  # NotFound naming the region
    return region


def _may_publish(by: User, region: str) -> None:
    access.require(by, "practice.review")
    j = access.jurisdiction(by)
    if j.everything:
        return
    regions = set(Organisation.objects.filter(memberships__user=by).values_list("division__policy_region", flat=True))
    if region not in regions:
        raise Forbidden("不在你的管辖地区", fields={"region": region})


# ---------------------------------------------------------------- documents

def document_publish(*, region: str, by: User | None, kind: str, title: str, number: str = "", issuer: str,
                     issued_on: date, published_on: date | None = None, effective_from: date | None = None,
                     summary: str = "", url: str = "", source: str = "") -> PublishedDocument:
    """Publish a policy or tariff document. A tariff change must be public before it takes
    effect (提前向社会公布)."""
    if by is not None:
        _may_publish(by, region)
    _region(region)
    if kind not in PublishedDocument.Kind.values:
        raise invalid("kind", f"应为 {', '.join(PublishedDocument.Kind.values)} 之一")
    title = stripped_text("title", title, max_length=200)
    number = stripped_text("number", number, max_length=64, required=False)
    issuer = stripped_text("issuer", issuer, max_length=128)
    summary = stripped_text("summary", summary, max_length=2000, required=False)
    url = stripped_text("url", url, max_length=300, required=False)
    if url and not url.startswith(("https://", "http://")):
        raise invalid("url", "应以 http:// 或 https:// 开头")
    published_on = published_on or timezone.localdate()
    if published_on < issued_on:
        raise invalid("published_on", "公开日期不能早于印发日期")
    if kind == PublishedDocument.Kind.TARIFF:
        if effective_from is None:
            raise invalid("effective_from", "电价文件须写明执行日期")
        if effective_from <= published_on:
            raise invalid("effective_from", "电价调整须在执行日之前向社会公布")
    with transaction.atomic():
        document, created = PublishedDocument.objects.get_or_create(
            region=region, kind=kind, title=title, number=number,
            defaults={"issuer": issuer, "issued_on": issued_on, "published_on": published_on,
                      "effective_from": effective_from, "summary": summary, "url": url, "source": source,
                      "published_by": by},
        )
        if created:
            events.record(actor=by, verb="disclosure.document_published", subject=document,
                          data={"region": region, "kind": kind, "title": title, "number": number})
    return document


def documents_load(*, directory: Path = DATA_DIR) -> int:
    """Publish the bundled documents (the seeds themselves and what they cite); idempotent."""
    created = 0
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in data["documents"]:
            before = PublishedDocument.objects.count()
            document_publish(region=data["region"], by=None, **entry)
            created += PublishedDocument.objects.count() - before
    return created


# ---------------------------------------------------------------- good practices

def practice_submit(*, region: str, by: User, title: str, body: str) -> GoodPractice:
    access.require(by, "practice.submit")
    org = Organisation.objects.filter(memberships__user=by, division__policy_region=region).first()
    if org is None:
        raise Forbidden("你所在单位不在该地区", fields={"region": region})
    title = stripped_text("title", title, max_length=100)
    body = stripped_text("body", body, max_length=4000)
    with transaction.atomic():
        practice = GoodPractice.objects.create(region=region, title=title, body=body, organisation=org,
                                               submitted_by=by, submitted_at=timezone.now())
        events.record(actor=by, verb="disclosure.practice_submitted", subject=practice,
                      data={"region": region, "title": title, "organisation": org.code})
    return practice


def practice_review(*, practice: GoodPractice, by: User, publish: bool, note: str = "") -> GoodPractice:
    _may_publish(by, practice.region)
    note = stripped_text("note", note, max_length=500, required=not publish)
    if practice.state != GoodPractice.State.SUBMITTED:
        raise Conflict("该经验做法已审核", fields={"state": practice.state})
    if practice.submitted_by_id == by.pk:
        raise Conflict("不能审核自己报送的经验做法", fields={"by": "self review"})
    with transaction.atomic():
        practice.state = GoodPractice.State.PUBLISHED if publish else GoodPractice.State.RETURNED
        practice.reviewed_by, practice.reviewed_at, practice.review_note = by, timezone.now(), note
        practice.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])
        events.record(actor=by, verb="disclosure.practice_published" if publish else "disclosure.practice_returned",
                      subject=practice, data={"note": note})
    return practice


# ---------------------------------------------------------------- reports of 三指定 / irregular fees

def violation_report(*, region: str, kind: str, description: str, application_number: str = "",
                     reporter_name: str = "", reporter_phone: str = "", idempotency_key: str = "") -> ViolationReport:
    """Anyone may report, without logging in; the report queues for the regulator with the
    region's handling limit counted on the legal clock from the day it is received."""
    _region(region)
    if kind not in ViolationReport.Kind.values:
        raise invalid("kind", "请选择举报类型")
    description = stripped_text("description", description, max_length=2000)
    application_number = stripped_text("application_number", application_number, max_length=32, required=False)
    reporter_name = stripped_text("reporter_name", reporter_name, max_length=64, required=False)
    reporter_phone = stripped_text("reporter_phone", reporter_phone, max_length=20, required=False)
    if reporter_phone and not set(reporter_phone) <= PHONE_CHARS:
        raise invalid("reporter_phone", "只能包含数字、空格、+ 和 -")
    key = stripped_text("idempotency_key", idempotency_key, max_length=64, required=False)
    if key:
        replay = ViolationReport.objects.filter(idempotency_key=key).first()
        if replay is not None:
            return replay
    fees = policy_queries.version_in_force(region=region).policy().fees
    if fees is None:
        raise invalid("region", "该地区政策未规定举报处理时限，请拨打 12398 能源监管热线")
    now = timezone.now()
    due = deadlines.stage_due(start=timezone.localdate(now), limit=int(fees.report_limit.value),
                              unit=fees.report_limit.unit, schedule=get_schedule())
    try:
        with transaction.atomic():
            report = ViolationReport.objects.create(
                region=region, kind=kind, description=description, application_number=application_number,
                reporter_name=reporter_name,
                reporter_phone_enc=pii.encrypt(reporter_phone, key=settings.PII_KEY) if reporter_phone else "",
                received_at=now, due_date=due.due_date, provisional=due.provisional, idempotency_key=key,
            )
            events.record(actor=None, verb="disclosure.violation_reported", subject=report,
                          data={"region": region, "kind": kind, "due": due.due_date,
                                "application": application_number})
    except IntegrityError:
        replay = ViolationReport.objects.filter(idempotency_key=key).first() if key else None
        if replay is None:
            raise
        return replay
    return report


def violation_close(*, report: ViolationReport, by: User, substantiated: bool, finding: str) -> ViolationReport:
    access.require(by, "fee_report.handle")
    finding = stripped_text("finding", finding, max_length=2000)
    if report.state != ViolationReport.State.OPEN:
        raise Conflict("该举报已办结", fields={"state": report.state})
    with transaction.atomic():
        report.state, report.handled_by, report.closed_at = ViolationReport.State.CLOSED, by, timezone.now()
        report.finding, report.substantiated = finding, bool(substantiated)
        report.save(update_fields=["state", "handled_by", "closed_at", "finding", "substantiated"])
        events.record(actor=by, verb="disclosure.violation_closed", subject=report,
                      data={"substantiated": report.substantiated, "late": timezone.localdate() > report.due_date})
        if report.reporter_phone_enc:
            # The reporter left a number: they hear the outcome (SMS through the outbox).
            outbox.enqueue(kind="violation_closed", subject=report, key=f"violation:{report.pk}:closed",
                           contact={"name": report.reporter_name,
                                    "phone": pii.decrypt(report.reporter_phone_enc, key=settings.PII_KEY)},
                           text=f"您举报的问题（编号 {report.pk}）已办结：{'经查属实' if report.substantiated else '经查不属实'}。"
                                f"{finding[:200]} 如有异议请拨打 12398。")
    return report
