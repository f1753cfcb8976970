"""State changes of oversight: issuing a 通报, drawing and reviewing a spot check (抽查),
recording a 监督检查 or 约谈 with its follow-ups, closing a follow-up, and the scheduled
reports the policy's `reporting` section asks for. Re-exported by monitoring.actions."""
from __future__ import annotations

import hashlib
import secrets
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access
from accounts import queries as account_queries
from accounts.models import Division, Organisation, User
from accounts.roles import Role
from core import events, outbox
from core.bounds import NOTE_LENGTH, check_text
from core.errors import invalid
from monitoring import oversight_queries, ranking, sampling, schedule
from monitoring.models import ApplicationFact
from monitoring.oversight_models import Bulletin, FollowUp, Inspection, ReportReceipt, SpotCheck, SpotCheckItem

SAMPLE_MAX = 100  # a reviewer reads every sampled file; beyond this a draw is an audit, not a spot check
SUBJECT_LENGTH = 200
ACTION_LENGTH = 500


def _supervisors(division_ids) -> list[User]:
    """The people answerable for a county: the supervisors of its utility organisations."""
    return list(User.objects.filter(is_active=True, memberships__role=Role.SUPERVISOR,
                                    memberships__organisation__division_id__in=division_ids).distinct().order_by("pk"))


def _county(code: str, *, by: User) -> Division:
    """The county a spot check or inspection is about, refused outside the user's jurisdiction."""
    from monitoring import queries

    division = account_queries.county_by_code(code)
    if division is None:
        raise invalid("county", f"没有代码为 {code} 的区县")
    queries.county_ids_for(region=division.policy_region, county=code, user=by)
    return division


# ---------------------------------------------------------------- 通报


def bulletin_issue(*, region: str, period: str, by: User) -> Bulletin:
    """Rank the region's counties for the period, keep the bulletin with its PDF, and send each
    county's supervisors their county's standing and misses through the outbox."""
    from core import pdf
    from monitoring.actions import facts_refresh

    access.require(by, "bulletin.issue")
    facts_refresh(by=by)
    results, parsed, region_name = oversight_queries.county_results(region=region, period=period, user=by)
    if Bulletin.objects.filter(region=region, period=parsed.label).exists():
        raise invalid("period", f"{region_name}{parsed.chinese}的通报已经发布，通报发布后不再改写")
    rows = ranking.ranked(results)
    now = timezone.now()
    title = f"{region_name}获得电力工作通报（{parsed.chinese}）"
    content = pdf.render("monitoring/bulletin_pdf.html", {"title": title, "rows": rows, "issued_at": now,
                                                          "issuer": oversight_queries.person(by)})
    counties = {d.code: d for d in Division.objects.filter(code__in=[r["code"] for r in rows])}
    with transaction.atomic():
        bulletin = Bulletin(region=region, period=parsed.label, title=title, rows=rows, issued_by=by, issued_at=now,
                            sha256=hashlib.sha256(content).hexdigest())
        bulletin.file.save(f"bulletin-{region}-{parsed.label}.pdf", ContentFile(content), save=False)
        try:
            with transaction.atomic():
                bulletin.save()
        except IntegrityError:
            raise invalid("period", f"{region_name}{parsed.chinese}的通报已经发布，通报发布后不再改写") from None
        sent = 0
        for row in rows:
            misses = "；".join(row["misses"][:5]) or "无未达标指标"
            text = (f"{title}：{row['county']}排名第{row['rank']}/{len(rows)}，未达标指标{row['missed']}项"
                    f"（{misses}）。请查阅通报并落实整改。")
            for user in _supervisors({counties[row["code"]].pk}):
                outbox.enqueue(kind="bulletin_issued", user=user, key=f"bulletin:{bulletin.pk}:{user.pk}",
                               subject=bulletin, text=text[:outbox.MAX_TEXT])
                sent += 1
        bulletin.recipients = sent
        bulletin.save(update_fields=["recipients"])
        events.record(actor=by, verb="bulletin.published", subject=bulletin,
                      data={"region": region, "period": parsed.label, "counties": len(rows), "recipients": sent,
                            "missed": [r["code"] for r in rows if r["missed"]], "sha256": bulletin.sha256})
    return bulletin


# ---------------------------------------------------------------- 抽查


def spot_check_draw(*, county: str, period: str, size: int, by: User, seed: int | None = None) -> SpotCheck:
    """Draw a random sample of the county's cases energised in the period. The seed is stored
    and logged: the same seed over the same cases gives the same sample."""
    from monitoring import queries
    from monitoring.actions import facts_refresh

    access.require(by, "spot_check.draw")
    if not isinstance(size, int) or not 1 <= size <= SAMPLE_MAX:
        raise invalid("size", f"抽查数量应为 1–{SAMPLE_MAX} 件")
    division = _county(county, by=by)
    parsed = queries.period_from(period)
    facts_refresh(by=by)
    seed = secrets.randbits(48) if seed is None else seed
    population = list(ApplicationFact.objects.filter(
        county=division, energised_on__gte=parsed.start, energised_on__lt=parsed.end).values_list("application_id", flat=True))
    if not population:
        raise invalid("period", f"{division.name}{parsed.chinese}没有已送电的案例可抽查")
    drawn = sampling.draw(population, size=size, seed=seed)
    with transaction.atomic():
        try:
            with transaction.atomic():
                check = SpotCheck.objects.create(region=division.policy_region, county=division, period=parsed.label,
                                                 seed=seed, population=len(population), drawn_by=by, drawn_at=timezone.now())
        except IntegrityError:
            raise invalid("period", f"{division.name}{parsed.chinese}已经抽查过，不能重新抽取") from None
        SpotCheckItem.objects.bulk_create([SpotCheckItem(spot_check=check, application_id=app_id, position=n)
                                           for n, app_id in enumerate(drawn, start=1)])
        events.record(actor=by, verb="spot_check.drawn", subject=check,
                      data={"county": county, "period": parsed.label, "seed": seed, "size": size,
                            "population": len(population), "sample": drawn})
    return check


def spot_check_finding_record(*, item: SpotCheckItem, verdict: str, finding: str, by: User) -> SpotCheckItem:
    access.require(by, "spot_check.review")
    if verdict not in (SpotCheckItem.Verdict.CONFORMS, SpotCheckItem.Verdict.PROBLEM):
        raise invalid("verdict", "核查结论应为“符合规定”或“发现问题”")
    finding = check_text("finding", (finding or "").strip(), max_length=NOTE_LENGTH)
    if verdict == SpotCheckItem.Verdict.PROBLEM and not finding:
        raise invalid("finding", "发现问题时请写明问题")
    with transaction.atomic():
        item = SpotCheckItem.objects.select_for_update().get(pk=item.pk)
        before = item.verdict
        item.verdict, item.finding, item.reviewed_by, item.reviewed_at = verdict, finding, by, timezone.now()
        item.save(update_fields=["verdict", "finding", "reviewed_by", "reviewed_at"])
        events.record(actor=by, verb="spot_check.finding_recorded", subject=item,
                      data={"spot_check": item.spot_check_id, "application": item.application_id, "before": before,
                            "verdict": verdict, "finding": finding})
    return item


# ---------------------------------------------------------------- 监督检查与约谈


def inspection_record(*, kind: str, county: str, held_on: date, subject: str, findings: str,
                      follow_ups: list[tuple[str, date]], by: User, organisation: Organisation | None = None) -> Inspection:
    """Record a 监督检查 or 约谈 and its follow-ups; the county's supervisors are told what to
    do by when, through the outbox."""
    access.require(by, "inspection.record")
    if kind not in Inspection.Kind.values:
        raise invalid("kind", "种类应为“监督检查”或“约谈”")
    division = _county(county, by=by)
    subject = check_text("subject", (subject or "").strip(), max_length=SUBJECT_LENGTH)
    findings = check_text("findings", (findings or "").strip(), max_length=NOTE_LENGTH)
    if not subject:
        raise invalid("subject", "请填写事由")
    if not findings:
        raise invalid("findings", "请填写检查或约谈情况")
    if held_on > timezone.localdate():
        raise invalid("held_on", "日期不能晚于今天")
    for action, due_on in follow_ups:
        check_text("follow_ups", action, max_length=ACTION_LENGTH)
        if due_on < held_on:
            raise invalid("follow_ups", "整改期限不能早于检查日期")
    with transaction.atomic():
        record = Inspection.objects.create(kind=kind, region=division.policy_region, county=division,
                                           organisation=organisation, held_on=held_on, subject=subject, findings=findings,
                                           recorded_by=by, recorded_at=timezone.now())
        made = [FollowUp.objects.create(inspection=record, action=action.strip(), due_on=due_on)
                for action, due_on in follow_ups if action.strip()]
        supervisors = _supervisors({division.pk}) if made else []
        for follow_up in made:
            for user in supervisors:
                outbox.enqueue(kind="follow_up_due", user=user, key=f"follow-up:{follow_up.pk}:{user.pk}",
                               subject=follow_up,
                               text=f"{record.get_kind_display()}“{subject}”要求整改：{follow_up.action}，"
                                    f"期限 {follow_up.due_on:%Y-%m-%d}。")
        events.record(actor=by, verb="inspection.recorded", subject=record,
                      data={"kind": kind, "county": county, "held_on": held_on.isoformat(), "subject": subject,
                            "follow_ups": [{"action": f.action, "due_on": f.due_on.isoformat()} for f in made]})
    return record


def follow_up_close(*, follow_up: FollowUp, result: str, by: User) -> FollowUp:
    access.require(by, "follow_up.close")
    result = check_text("result", (result or "").strip(), max_length=NOTE_LENGTH)
    if not result:
        raise invalid("result", "请填写整改结果")
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.closed_at is not None:
            raise invalid("follow_up", "该整改事项已经办结")
        follow_up.closed_at, follow_up.closed_by, follow_up.result = timezone.now(), by, result
        follow_up.save(update_fields=["closed_at", "closed_by", "result"])
        late = timezone.localdate(follow_up.closed_at) > follow_up.due_on
        events.record(actor=by, verb="follow_up.closed", subject=follow_up,
                      data={"inspection": follow_up.inspection_id, "due_on": follow_up.due_on.isoformat(),
                            "late": late, "result": result})
    return follow_up


# ---------------------------------------------------------------- reports on the policy's schedule


def reports_deliver_due(*, today: date | None = None, by="job:reports") -> list[ReportReceipt]:
    """Generate and deliver every report the regions' `reporting` rules make due today that has
    no receipt yet. Idempotent per kind, region and period: a second run (or a second worker)
    finds the receipt and does nothing."""
    from monitoring.actions import report_generate
    from policies.queries import known_regions, version_in_force

    today = today or timezone.localdate()
    made = []
    for region in known_regions():
        if region == "national":
            continue
        reporting = version_in_force(region=region, on=today).document.get("reporting")
        for due in schedule.due_reports(reporting, today):
            if ReportReceipt.objects.filter(kind=due.kind, region=region, period=due.period.label).exists():
                continue
            with transaction.atomic():
                report = report_generate(kind=due.kind, period=due.period.label, fmt=due.fmt, region=region, by=by)
                try:
                    with transaction.atomic():
                        receipt = ReportReceipt.objects.create(
                            kind=due.kind, region=region, period=due.period.label, rule=due.rule, report=report,
                            due_on=oversight_queries.due_on(due), delivered_at=timezone.now(),
                            recipients=report.recipients)
                except IntegrityError:  # another worker delivered it first
                    transaction.set_rollback(True)
                    continue
                events.record(actor=by, verb="report.delivered", subject=receipt,
                              data={"kind": due.kind, "region": region, "period": due.period.label, "rule": due.rule,
                                    "due_on": receipt.due_on.isoformat() if receipt.due_on else None,
                                    "recipients": receipt.recipients, "report": report.pk})
            made.append(receipt)
    return made


__all__ = ["bulletin_issue", "spot_check_draw", "spot_check_finding_record", "inspection_record", "follow_up_close",
           "reports_deliver_due"]
