"""Supply schemes (供电方案) and the grid projects that follow them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications import messages, rules
from applications.actions.progress import finish_stage, lock_open, refuse_not_in_policy, start_next
from applications.models import OPEN_STAGE_STATES, Application, Stage
from core import events
from core.bounds import MONEY, NOTE_LENGTH, check_text
from core.errors import Conflict, InvalidInput, invalid

# Options put to one applicant at once (可选供电方案): a handful, never a list to scroll.
MAX_SCHEMES = 5


@dataclass(frozen=True)
class SchemeInput:
    label: str
    connection_point: str
    boundary: str
    customer_cost: Decimal
    utility_cost: Decimal
    description: str = ""


def _check_scheme(application: Application, scheme: SchemeInput, index: int) -> dict:
    prefix = f"schemes[{index}]"
    fields = {}
    if not scheme.label.strip():
        fields[f"{prefix}.label"] = "required"
    if not scheme.connection_point.strip():
        fields[f"{prefix}.connection_point"] = "required"
    allowed = rules.boundaries(application.policy_version, application.category, in_park=application.in_park)
    if scheme.boundary not in allowed:
        fields[f"{prefix}.boundary"] = f"not an investment boundary of the policy; one of {', '.join(sorted(allowed))}"
    for name, limit in (("label", 32), ("connection_point", 255), ("boundary", 40), ("description", NOTE_LENGTH)):
        try:
            check_text(f"{prefix}.{name}", getattr(scheme, name), max_length=limit)
        except InvalidInput as exc:
            fields.update(exc.fields)
    costs = {}
    for name in ("customer_cost", "utility_cost"):
        try:
            costs[name] = MONEY.check(f"{prefix}.{name}", getattr(scheme, name))
        except InvalidInput as exc:
            fields.update(exc.fields)
    if application.zero_investment and costs.get("customer_cost", 0) > 0:
        # 三零: the utility invests to the boundary; nothing of the connection works is the customer's.
        fields[f"{prefix}.customer_cost"] = "zero-investment customer: the connection works cost the customer nothing"
    return fields


def scheme_propose(*, application: Application, by: User, schemes: list[SchemeInput], onsite: bool = False,
                   transitional: bool = False) -> list:
    """Put one or several supply schemes to the applicant during 供电方案答复. `onsite`
    answers at the site survey where the policy allows it and completes the stage."""
    from applications.models import SupplyScheme

    access.require(by, "scheme.propose")
    if not schemes:
        raise invalid("schemes", "至少提出一个供电方案")
    if len(schemes) > MAX_SCHEMES:
        raise invalid("schemes", f"最多提出 {MAX_SCHEMES} 个方案")
    if application.policy_version is None:
        raise Conflict("请先受理申请", fields={"status": application.status})
    fields: dict[str, str] = {}
    for index, scheme in enumerate(schemes):
        fields.update(_check_scheme(application, scheme, index))
    labels = [s.label.strip() for s in schemes]
    if len(set(labels)) != len(labels):
        fields["schemes"] = "方案名称不能重复"
    if onsite and not rules.onsite_reply_allowed(application):
        raise refuse_not_in_policy(application=application, what="onsite", value="现场答复", by=by)
    if transitional and not rules.transitional_allowed(application):
        raise refuse_not_in_policy(application=application, what="transitional", value="过渡方案", by=by)
    if fields:
        raise InvalidInput("; ".join(f"{k}: {v}" for k, v in fields.items()), fields=fields)
    with transaction.atomic():
        application = lock_open(application)
        stage = application.stages.filter(code="scheme_reply").first()
        if stage is None or stage.state not in OPEN_STAGE_STATES:
            raise Conflict("只能在供电方案答复环节办理中提出方案", fields={"stage": "供电方案答复未在办理中"})
        now = timezone.now()
        created = [
            SupplyScheme.objects.create(
                application=application, label=s.label.strip(), connection_point=s.connection_point.strip(),
                boundary=s.boundary, customer_cost=Decimal(str(s.customer_cost)),
                utility_cost=Decimal(str(s.utility_cost)), description=s.description, onsite=onsite,
                transitional=transitional, proposed_by=by, proposed_at=now,
            )
            for s in schemes
        ]
        events.record(actor=by, verb="scheme.proposed", subject=application,
                      data={"schemes": [{"label": s.label, "boundary": s.boundary, "customer_cost": s.customer_cost,
                                         "utility_cost": s.utility_cost} for s in created],
                            "onsite": onsite, "transitional": transitional})
        messages.scheme_replied(application, created, event=str(created[0].pk))
        if onsite and stage.state == Stage.State.ACTIVE:
            finish_stage(stage=stage, by=by, now=now, result="现场答复供电方案")
            events.record(actor=by, verb="stage.completed", subject=application,
                          data={"stage": stage.code, "result": stage.result, "onsite": True,
                                "grid_workdays": stage.grid_workdays, "due": stage.due_date})
            messages.stage_completed(stage)
            start_next(application=application, after=stage, now=now)
    return created


def scheme_choose(*, application: Application, by: User, label: str):
    from applications.models import SupplyScheme

    access.require(by, "scheme.choose")
    with transaction.atomic():
        lock_open(application)
        scheme = SupplyScheme.objects.select_for_update().filter(application=application, label=label).first()
        if scheme is None:
            raise invalid("label", f"申请 {application.number} 没有名为“{label}”的供电方案")
        now = timezone.now()
        SupplyScheme.objects.filter(application=application, chosen=True).update(chosen=False)
        scheme.chosen, scheme.chosen_by, scheme.chosen_at = True, by, now
        scheme.save()
        events.record(actor=by, verb="scheme.chosen", subject=application, data={"label": label})
    return scheme


def grid_project_open(*, application: Application, by: User, kind: str, name: str, planned_end: date | None = None):
    from applications.models import GridProject

    access.require(by, "project.update")
    if kind not in GridProject.Kind.values:
        raise invalid("kind", "请选择工程类型：" + "、".join(GridProject.Kind.labels))
    if not name.strip():
        raise invalid("name", "请填写工程名称")
    check_text("name", name, max_length=128)
    if kind == GridProject.Kind.UPGRADE and not application.schemes.filter(transitional=True).exists():
        raise invalid("kind", "an upgrade project follows a transitional scheme (过渡方案)")
    with transaction.atomic():
        application = lock_open(application)
        project = GridProject.objects.create(application=application, kind=kind, name=name.strip(),
                                             opened_at=timezone.now(), planned_end=planned_end)
        events.record(actor=by, verb="project.opened", subject=application,
                      data={"project": project.pk, "kind": kind, "name": project.name, "planned_end": planned_end})
    return project


def grid_project_update(*, project, by: User, filed_on: date | None = None, construction_start: date | None = None,
                        construction_end: date | None = None):
    access.require(by, "project.update")
    changes = {k: v for k, v in {"filed_on": filed_on, "construction_start": construction_start,
                                 "construction_end": construction_end}.items() if v is not None}
    if not changes:
        raise invalid("filed_on", "请至少填写一个日期")
    start = changes.get("construction_start", project.construction_start)
    end = changes.get("construction_end", project.construction_end)
    if end is not None and (start is None or end < start):
        raise invalid("construction_end", "竣工日期不能早于开工日期")
    with transaction.atomic():
        lock_open(project.application)
        before = {k: getattr(project, k) for k in changes}
        for key, value in changes.items():
            setattr(project, key, value)
        project.save()
        events.record(actor=by, verb="project.updated", subject=project.application,
                      data={"project": project.pk, "before": before, "after": changes})
    return project
