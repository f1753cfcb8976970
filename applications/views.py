"""The staff workbench (工作台): my queue, the application page with the actions my role
may take, the county overview, 督办 and document previews.

Every read goes through applications.queries (jurisdiction: invisible → 404), every
change through applications.actions; a refused action's DomainError is shown next to
the field it names."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import HiddenInput
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import access
from accounts import queries as account_queries
from accounts.models import User
from accounts.roles import OVERSIGHT, WORKBENCH_ROLES, landing
from applications import actions, api, deadlines, forms, queries, rules
from applications.models import OPEN_STAGE_STATES, Application, Escalation, Pause, Stage, Status
from core import labels, pii
from core.errors import DomainError, Forbidden, NotFound
from workdays.schedule import get_schedule

QUEUE_LIMIT = 300


def is_workbench_user(user: User) -> bool:
    return user.is_superuser or bool(user.roles & WORKBENCH_ROLES)


def workbench(view):
    """Login required; applicants belong on /me/; invisible objects are 404, refused roles 403
    (core.middleware.DomainErrorPages answers a Forbidden with the site's 403 page and its message)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_workbench_user(request.user):
            return redirect(landing(request.user.roles))
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapped


def _today() -> date:
    return timezone.localdate(timezone.now())


def workdays_left(due: date | None, today: date, schedule) -> int | None:
    return None if due is None else deadlines.workdays_left(due, today, schedule=schedule)


def day_reason(reason: str) -> str:
    """The clock's machine reasons ("weekend", "holiday:国庆节") as a reader expects them."""
    if reason.startswith("holiday:"):
        return _("%(name)s放假") % {"name": reason.removeprefix("holiday:")}
    return _("周末") if reason == "weekend" else reason


# ---------------------------------------------------------------- my queue

@dataclass
class QueueRow:
    stage: Stage
    application: Application
    left: int | None
    alert: str = ""

    @classmethod
    def of(cls, stage: Stage, today: date, schedule) -> "QueueRow":
        # The badge is read live from the policy's warning rule, not only from the last periodic sweep.
        live = (actions.stage_alert(stage, today, schedule=schedule) if stage.state == Stage.State.ACTIVE
                and stage.application.policy_version_id else stage.alert)
        return cls(stage, stage.application, workdays_left(stage.due_date, today, schedule), live or stage.alert)

    @property
    def badge(self) -> str:
        if self.stage.state == Stage.State.PAUSED:
            return "paused"
        if self.left is not None and self.left < 0 or self.alert == Stage.Alert.OVERDUE:
            return "overdue"
        return "warning" if self.alert == Stage.Alert.WARNING else ""


@workbench
@require_safe
def queue(request):
    user = request.user
    if user.roles <= OVERSIGHT:
        return redirect(landing(user.roles))  # no queue of their own: the overview instead
    visible = queries.applications_for(user)
    counties = account_queries.divisions(visible.values("county"))
    categories = visible.order_by("category").values_list("category", "category_name").distinct()
    form = forms.FilterForm(request.GET or None, counties=[(c.code, c.name) for c in counties],
                            categories=list(categories))
    today = _today()
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"status": data["status"] or None, "county": data["county"] or None,
                   "category": data["category"] or None,
                   "overdue": {"1": True, "0": False}.get(data["overdue"])}
    chosen = queries.filter_applications(visible, today=today, **filters)
    stages = list(queries.my_queue(user).filter(application__in=chosen)
                  .select_related("application__county", "application__policy_version", "assignee")[:QUEUE_LIMIT])
    if access.can(user, "application.accept"):
        # Applications filed online have no account manager yet: the county's pool awaits 受理.
        mine = {s.pk for s in stages}
        pool = queries.acceptance_pool(chosen)[:QUEUE_LIMIT]
        stages += [s for s in pool if s.pk not in mine]
    schedule = get_schedule()  # once for the page, however many rows
    rows = sorted((QueueRow.of(s, today, schedule) for s in stages),
                  key=lambda r: (r.left is None, r.left if r.left is not None else 0, r.stage.pk))
    context = {"form": form, "rows": rows, "today": today, "confirmations": list(queries.confirmations_for(user)),
               "overdue_count": sum(1 for r in rows if r.badge == "overdue"),
               "warning_count": sum(1 for r in rows if r.badge == "warning"),
               "can_oversee": access.can(user, "escalation.view"), "section": "queue"}
    template = "applications/_queue_table.html" if request.htmx else "applications/queue.html"
    return render(request, template, context)


# ---------------------------------------------------------------- the application page

def _current(application: Application) -> Stage | None:
    return application.stages.filter(state__in=OPEN_STAGE_STATES).select_related("assignee").first()


def _masked(token: str) -> str:
    if not token:
        return ""
    try:
        return pii.mask(pii.decrypt(token, key=settings.PII_KEY))
    except ValueError:
        return "****"


def _people(data: dict) -> dict[str, str]:
    """Usernames the detail names (actors, assignees, who paused) → the names people know."""
    usernames = {e["actor"] for e in data["events"]}
    for s in data["stages"]:
        usernames |= {s["assignee"], s["completed_by"], *(p["started_by"] for p in s["pauses"])}
    usernames.discard(None)
    return {u.username: labels.person(u) for u in account_queries.users_named(usernames)}


def _events(data: dict, application: Application) -> list[dict]:
    """The log as people read it: verbs, stages and reasons in 中文, actors by name."""
    people = _people(data)
    stage_names = {s["code"]: s["name"] for s in data["stages"]}
    reasons = dict(Pause.Reason.choices)
    if application.policy_version:
        reasons.update({code: name for code, (name, _n) in rules.pause_reasons(application.policy_version).items()})
    return [{**e, "actor_name": people.get(e["actor"], labels.label("actor", e["actor"])),
             "stage_name": stage_names.get(e["data"].get("stage"), labels.label("stage", e["data"].get("stage")))
             if e["data"].get("stage") else "",
             "reason_name": reasons.get(e["data"].get("reason"), "") if isinstance(e["data"].get("reason"), str)
             else ""} for e in data["events"]]


def _timeline(data: dict, application: Application, today: date) -> list[dict]:
    schedule = get_schedule()
    reasons = dict(Pause.Reason.choices)
    if application.policy_version:
        reasons.update({code: name for code, (name, _needs) in rules.pause_reasons(application.policy_version).items()})
    doc_names = rules.document_names(application.policy_version) if application.policy_version else {}
    people = _people(data)
    stages = []
    for s in data["stages"]:
        why = s["explain"]
        explain = None
        if why:
            explain = {
                "start": why["start"], "limit": why["limit"], "unit": why["unit"], "due": why["due"],
                "counted": len(why["counted"]), "provisional": why["provisional"],
                "skipped": [(d["date"], day_reason(d["reason"])) for d in why["skipped"]],
                "moved": (why["moved"]["from"], day_reason(why["moved"]["reason"])) if why["moved"] else None,
                "paused_workdays": why["paused_workdays"],
                "due_after_pauses": why["due_after_pauses"] and why["due_after_pauses"].isoformat(),
            }
        open_ = s["state"] in OPEN_STAGE_STATES
        stages.append({
            **s, "why": explain, "state_name": Stage.State(s["state"]).label,
            "left": workdays_left(s["due_date"], today, schedule) if open_ else None,
            "completed_by": people.get(s["completed_by"], s["completed_by"]),
            "assignee": people.get(s["assignee"], s["assignee"]),
            "pauses": [{**p, "reason_name": reasons.get(p["reason"], p["reason"]),
                        "started_by": people.get(p["started_by"], p["started_by"]),
                        "requested_names": [doc_names.get(d, labels.label("document", d))
                                            for d in p["requested_documents"]]} for p in s["pauses"]],
        })
    return stages


def _action_forms(application: Application, user: User, current: Stage | None, bound: dict) -> dict:
    """Unbound forms for every action my role may take now; `bound` carries a refused one back."""
    found = {name: act.form(application, current, None, user) for name, act in WORKBENCH.items()
             if act.available(application, user, current)}
    # A refused form comes back even when the state no longer offers it, so its error is seen.
    found.update(bound)
    return found


def _page_context(request, application: Application, *, bound: dict | None = None, message: str = "",
                  error: str = "") -> dict:
    application = queries.application_page(application.pk)
    today = _today()
    data = api.detail(application)
    current = _current(application)
    doc_names = rules.document_names(application.policy_version) if application.policy_version else {}
    documents = [(d, doc_names.get(d.doc_type, d.doc_type)) for d in application.documents.all()]
    return {
        "application": application,
        "data": data,
        "stages": _timeline(data, application, today),
        "events": _events(data, application),
        "current": current,
        "full_process": queries.full_process(application, today=today, schedule=get_schedule()),
        "documents": documents,
        "missing_documents": [doc_names.get(code, code) for code in queries.missing_documents(application, current)],
        "masked_id": _masked(application.id_number_enc),
        "masked_phone": _masked(application.contact_phone_enc),
        "forms": _action_forms(application, request.user, current, bound or {}),
        "message": message,
        "error": error,
        "today": today,
    }


@workbench
@require_safe
def application_page(request, pk: int):
    application = queries.application_for(request.user, pk)
    flashed = " ".join(str(m) for m in messages.get_messages(request))
    return render(request, "applications/application.html", _page_context(request, application, message=flashed))


def _place_errors(form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    placed = False
    for field, message in exc.fields.items():
        name = (aliases or {}).get(field, field)
        if name in form.fields and not isinstance(form.fields[name].widget, HiddenInput):
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, exc.for_people)


def _due_note(application: Application) -> str:
    current = _current(application)
    if current is None:
        application.refresh_from_db()
        return _("申请状态：%(status)s") % {"status": application.get_status_display()}
    if current.state == Stage.State.PAUSED:
        return _("%(stage)s 已暂停，电网侧时钟停止") % {"stage": current.name}
    if current.due_date is None:
        return _("当前环节：%(stage)s（政策未设时限）") % {"stage": current.name}
    return _("当前环节：%(stage)s，应于 %(due)s 前完成") % {"stage": current.name, "due": current.due_date}


# ---------------------------------------------------------------- the workbench actions
# One registry: for each action, its form, when it is offered, what it calls and what it says.
# The page (which forms to show), the POST dispatcher and the refusal path all read it.

@dataclass(frozen=True)
class WorkbenchAction:
    form: Callable[[Application, Stage | None, object, User], object]  # (application, current, POST or None, who)
    available: Callable[[Application, User, Stage | None], bool]
    call: Callable[..., str | None]  # (request, application, form) -> the message, or None if the form is invalid


def _stage_initial(current: Stage | None) -> dict:
    return {"code": current.code} if current is not None else {}


def _needs_checker(application: Application, current: Stage | None) -> bool:
    return bool(current and application.policy_version and current.code in rules.two_person_stages(
        application.policy_version, application.category))


def _in_progress_stage(state: str | None, permission: str):
    def available(application, user, current):
        return (current is not None and application.status == Status.IN_PROGRESS
                and (state is None or current.state == state)
                and access.can(user, permission))
    return available


def _on_open_file(permission: str, also=lambda application: True):
    def available(application, user, current):
        return (application.policy_version is not None and application.is_open and access.can(user, permission)
                and also(application))
    return available


def _call_accept(request, application, form):
    if not form.is_valid():
        return None
    actions.application_accept(application=application, by=request.user, result=form.cleaned_data["result"])
    return _("已受理。") + _due_note(application)


def _call_complete(request, application, form):
    if not form.is_valid():
        return None
    d = form.cleaned_data
    stage = actions.stage_complete(application=application, code=d["code"], by=request.user, result=d["result"],
                                   checked_by=d["checked_by"], checker_password=d["checker_password"],
                                   evidence_date=d["evidence_date"])
    if stage.state == Stage.State.ACTIVE:
        return _("已请 %(checker)s 复核：%(stage)s 在其确认后完成。") % {"checker": labels.person(d["checked_by"]), "stage": stage.name}
    return _("%(stage)s 已完成。") % {"stage": stage.name} + _due_note(application)


def _call_pause(request, application, form):
    if not form.is_valid():
        return None
    d = form.cleaned_data
    pause = actions.stage_pause(application=application, code=d["code"], by=request.user, reason=d["reason"],
                                note=d["note"], approved_by=d["approved_by"], documents=d["documents"],
                                approver_password=d["approver_password"], respond_by=d["respond_by"])
    if not isinstance(pause, Pause):
        return _("已提请 %(approver)s 审批：%(stage)s 在其确认后暂停计时。") % {
            "approver": labels.person(d["approved_by"]), "stage": pause.stage.name}
    return _("%(stage)s 已暂停：%(reason)s。恢复后到期日按暂停的工作日顺延。") % {
        "stage": pause.stage.name, "reason": dict(form.fields["reason"].choices).get(pause.reason, pause.reason)}


def _call_resume(request, application, form):
    if not form.is_valid():
        return None
    before = application.stages.filter(code=form.cleaned_data["code"]).values_list("due_date", flat=True).first()
    stage = actions.stage_resume(application=application, code=form.cleaned_data["code"], by=request.user)
    return _("%(stage)s 已恢复，暂停共 %(n)s 个工作日，到期日由 %(before)s 顺延至 %(after)s。") % {
        "stage": stage.name, "n": stage.pauses.last().workdays, "before": before, "after": stage.due_date}


def _call_reject(request, application, form):
    if not form.is_valid():
        return None
    actions.application_reject(application=application, by=request.user, reason=form.cleaned_data["reason"])
    return _("申请已驳回。")


def _call_assign(request, application, form):
    if not form.is_valid():
        return None
    stage = actions.stage_assign(application=application, code=form.cleaned_data["code"], by=request.user,
                                 assignee=form.cleaned_data["assignee"])
    return _("%(stage)s 已改派给 %(user)s。") % {"stage": stage.name, "user": labels.person(stage.assignee)}


def _scheme_bundle(application, current, data, user):
    rows, options = forms.scheme_forms(application, data)
    return {"rows": rows, "options": options, "onsite_allowed": rules.onsite_reply_allowed(application),
            "transitional_allowed": rules.transitional_allowed(application)}


def _call_schemes(request, application, bundle):
    rows, options = bundle["rows"], bundle["options"]
    if not all(f.is_valid() for f in [*rows, options]):
        return None
    filled = [(i, r) for i, r in enumerate(rows) if r.filled]
    if not filled:
        rows[0].add_error("label", _("至少填写一个方案"))
        return None
    schemes = [actions.SchemeInput(
        label=r.cleaned_data["label"], connection_point=r.cleaned_data["connection_point"],
        boundary=r.cleaned_data["boundary"], customer_cost=r.cleaned_data["customer_cost"] or 0,
        utility_cost=r.cleaned_data["utility_cost"] or 0, description=r.cleaned_data["description"],
    ) for _i, r in filled]
    try:
        actions.scheme_propose(application=application, by=request.user, schemes=schemes,
                               onsite=options.cleaned_data["onsite"], transitional=options.cleaned_data["transitional"])
    except Forbidden:
        raise
    except DomainError as exc:
        # Each row's refusal goes next to its own field; the rest above the options.
        leftover = {}
        for key, message in exc.fields.items():
            if key.startswith("schemes[") and "]." in key:
                index, field = key.removeprefix("schemes[").split("].", 1)
                form = filled[int(index)][1]
                if field in form.fields:
                    form.add_error(field, message)
                    continue
            leftover[key] = message
        if leftover or not exc.fields:
            _place_errors(options, DomainError(exc.message, fields=leftover))
        return None
    return _("已答复 %(n)s 个供电方案。") % {"n": len(schemes)} + _due_note(application)


def _call_choose(request, application, form):
    if not form.is_valid():
        return None
    actions.scheme_choose(application=application, by=request.user, label=form.cleaned_data["label"])
    return _("已记录客户选定 %(label)s。") % {"label": form.cleaned_data["label"]}


def _call_project_open(request, application, form):
    if not form.is_valid():
        return None
    project = actions.grid_project_open(application=application, by=request.user, **form.cleaned_data)
    return _("已建立工程：%(name)s。") % {"name": project.name}


def _call_project_update(request, application, form):
    if not form.is_valid():
        return None
    d = dict(form.cleaned_data)
    project = d.pop("project")
    actions.grid_project_update(project=project, by=request.user, **d)
    return _("已更新工程日期：%(name)s。") % {"name": project.name}


def _call_fee(request, application, form):
    if not form.is_valid():
        return None
    fee = actions.fee_add(application=application, by=request.user, **form.cleaned_data)
    return _("已登记收费：%(item)s %(amount)s 元。") % {"item": fee.item, "amount": fee.amount}


def _scheme_reply_open(application) -> bool:
    return application.stages.filter(code="scheme_reply", state__in=OPEN_STAGE_STATES).exists()


WORKBENCH: dict[str, WorkbenchAction] = {
    "accept": WorkbenchAction(
        form=lambda a, c, d, u: forms.AcceptForm(d),
        available=lambda a, u, c: a.status == Status.SUBMITTED and access.can(u, "application.accept"),
        call=_call_accept),
    "complete": WorkbenchAction(
        form=lambda a, c, d, u: forms.CompleteForm(d, initial=_stage_initial(c), application=a, by=u,
                                                needs_checker=_needs_checker(a, c)),
        available=_in_progress_stage(Stage.State.ACTIVE, "stage.complete"), call=_call_complete),
    "pause": WorkbenchAction(
        form=lambda a, c, d, u: forms.PauseForm(d, initial=_stage_initial(c), application=a),
        available=_in_progress_stage(Stage.State.ACTIVE, "stage.pause"), call=_call_pause),
    "resume": WorkbenchAction(
        form=lambda a, c, d, u: forms.StageForm(d, initial=_stage_initial(c)),
        available=_in_progress_stage(Stage.State.PAUSED, "stage.resume"), call=_call_resume),
    "assign": WorkbenchAction(
        form=lambda a, c, d, u: forms.AssignForm(d, initial=_stage_initial(c), application=a),
        available=_in_progress_stage(None, "application.reassign"), call=_call_assign),
    "reject": WorkbenchAction(
        form=lambda a, c, d, u: forms.RejectForm(d),
        available=lambda a, u, c: a.is_open and access.can(u, "application.reject"), call=_call_reject),
    "schemes": WorkbenchAction(
        form=_scheme_bundle, available=_on_open_file("scheme.propose", _scheme_reply_open), call=_call_schemes),
    "choose": WorkbenchAction(
        form=lambda a, c, d, u: forms.ChooseForm(d, application=a),
        available=_on_open_file("scheme.choose", lambda a: a.schemes.exists()), call=_call_choose),
    "project_open": WorkbenchAction(
        form=lambda a, c, d, u: forms.ProjectOpenForm(d), available=_on_open_file("project.update"),
        call=_call_project_open),
    "project_update": WorkbenchAction(
        form=lambda a, c, d, u: forms.ProjectUpdateForm(d, application=a),
        available=_on_open_file("project.update", lambda a: a.grid_projects.exists()), call=_call_project_update),
    "fee": WorkbenchAction(
        form=lambda a, c, d, u: forms.FeeForm(d), available=_on_open_file("fee.add"), call=_call_fee),
}


@workbench
@require_POST
def application_act(request, pk: int, action: str):
    application = queries.application_for(request.user, pk)
    act = WORKBENCH.get(action)
    if act is None:
        raise Http404
    form = act.form(application, _current(application), request.POST, request.user)
    error = ""
    try:
        message = act.call(request, application, form)
    except Forbidden:
        raise  # the role may not do this at all: 403 (the workbench wrapper), not a form error
    except DomainError as exc:
        _place_errors(form["options"] if isinstance(form, dict) else form, exc)
        message = None
    ok = bool(message)
    if not ok:
        error = _("未能办理，请检查标注的字段。")
    if not request.htmx and ok:
        messages.success(request, message)
        return redirect(reverse("applications:application", args=[application.pk]))
    context = _page_context(request, application, bound={} if ok else {action: form}, message=message or "",
                            error=error)
    template = "applications/_workspace.html" if request.htmx else "applications/application.html"
    # htmx swaps only 2xx answers: a refusal is a 200 fragment carrying its errors.
    return render(request, template, context, status=200 if ok or request.htmx else 422)


@workbench
@require_safe
def document_file(request, pk: int, doc_id: int):
    application = queries.application_for(request.user, pk)
    document = application.documents.filter(pk=doc_id).first()
    if document is None:
        raise Http404
    response = FileResponse(document.file.open("rb"), content_type=document.content_type, as_attachment=False,
                            filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- supervisor views

@workbench
@require_safe
def overview(request):
    user = request.user
    today = _today()
    visible = queries.applications_for(user)
    statuses = list(Status.choices)
    by_status: dict[int, dict[str, int]] = {}
    for row in visible.values("county", "status").annotate(n=Count("id")):
        by_status.setdefault(row["county"], {})[row["status"]] = row["n"]
    open_stages = queries.open_stages_in_progress(visible)
    stage_names = dict(open_stages.order_by("code").values_list("code", "name").distinct())
    by_stage: dict[int, dict[str, int]] = {}
    for row in open_stages.values("application__county", "code").annotate(n=Count("id")):
        by_stage.setdefault(row["application__county"], {})[row["code"]] = row["n"]
    overdue_ids = set(queries.overdue_stages(today).filter(application__in=visible).values_list("id", flat=True))
    late_by_county: dict[int, int] = {}
    for county_id in queries.stages(overdue_ids).values_list("application__county", flat=True):
        late_by_county[county_id] = late_by_county.get(county_id, 0) + 1
    counties = account_queries.divisions(set(by_status) | set(by_stage))
    rows = [{
        "county": c,
        "statuses": [by_status.get(c.pk, {}).get(code, 0) for code, _label in statuses],
        "stages": [by_stage.get(c.pk, {}).get(code, 0) for code in stage_names],
        "overdue": late_by_county.get(c.pk, 0),
    } for c in counties]
    schedule = get_schedule()
    overdue = [
        QueueRow.of(s, today, schedule)
        for s in queries.stages(overdue_ids).select_related(
            "application__county", "application__policy_version", "assignee",
        ).prefetch_related("escalations").order_by("due_date", "id")[:200]
    ]
    return render(request, "applications/overview.html", {
        "rows": rows, "statuses": statuses, "stage_names": stage_names, "overdue": overdue, "today": today,
        "can_reassign": access.can(user, "application.reassign"), "section": "overview",
    })


ESCALATIONS_PER_PAGE = 25


def _escalation_counties(user: User) -> list[tuple[str, str]]:
    visible = queries.escalations_for(user).values("stage__application__county")
    return [(d.code, d.name) for d in account_queries.divisions(visible)]


@workbench
@require_safe
def escalations(request):
    user = request.user
    today = _today()
    form = forms.EscalationFilterForm(request.GET or None, counties=_escalation_counties(user))
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {"state": d["state"], "county": d["county"], "overdue": {"1": True, "0": False}.get(d["overdue"])}
    found = queries.filter_escalations(queries.escalations_for(user), today=today, **filters)
    page = Paginator(found, ESCALATIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "applications/escalations.html", {
        "items": [_escalation_item(user, e) for e in page.object_list], "form": form, "page": page,
        "query": query.urlencode(), "today": today, "section": "escalations",
    })


def _escalation_item(user: User, escalation: Escalation, form=None, refused: str = "") -> dict:
    open_ = escalation.state != Escalation.State.CLOSED
    return {
        "e": escalation, "refused": refused,
        "reply_form": (form or forms.ReplyForm()) if open_ and access.can(user, "escalation.reply") else None,
        "can_close": open_ and access.can(user, "escalation.close"),
    }


@workbench
@require_POST
def escalation_act(request, pk: int, action: str):
    escalation = queries.escalations_for(request.user).filter(pk=pk).first()
    if escalation is None or action not in ("reply", "close"):
        raise Http404
    form = forms.ReplyForm(request.POST) if action == "reply" else None
    refused = ""
    try:
        if action == "reply":
            if form.is_valid():
                actions.escalation_reply(escalation=escalation, by=request.user, reply=form.cleaned_data["reply"])
                form = None
        else:
            actions.escalation_close(escalation=escalation, by=request.user)
    except DomainError as exc:
        if form is not None and form.is_bound and hasattr(form, "cleaned_data"):
            _place_errors(form, exc)
        else:
            refused = exc.message
    escalation = queries.escalations_for(request.user).get(pk=escalation.pk)
    failed = bool(refused or (form is not None and form.errors))
    item = _escalation_item(request.user, escalation, form, refused)
    if request.htmx:
        return render(request, "applications/_escalation.html", {"item": item, "today": _today()})
    if failed:
        return render(request, "applications/escalations.html", {
            "items": [item], "form": forms.EscalationFilterForm(counties=_escalation_counties(request.user)),
            "today": _today(), "section": "escalations"}, status=422)
    return redirect(reverse("applications:escalations"))


# ---------------------------------------------------------------- confirmations (the second person)

@workbench
@require_POST
def confirmation_act(request, pk: int, action: str):
    """The second person confirms or declines, themselves, what waits in their queue."""
    if action not in ("confirm", "decline"):
        raise Http404
    confirmation = queries.confirmation_for(request.user, pk)
    form = forms.DeclineForm(request.POST) if action == "decline" else None
    try:
        if action == "confirm":
            actions.confirmation_confirm(confirmation=confirmation, by=request.user)
            messages.success(request, _("已确认：%(number)s %(stage)s %(kind)s。") % {
                "number": confirmation.application.number, "stage": confirmation.stage.name,
                "kind": confirmation.get_kind_display()})
        elif form.is_valid():
            actions.confirmation_decline(confirmation=confirmation, by=request.user, note=form.cleaned_data["note"])
            messages.info(request, _("已退回：%(number)s %(stage)s。") % {
                "number": confirmation.application.number, "stage": confirmation.stage.name})
        else:
            messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    except DomainError as exc:
        messages.error(request, exc.for_people)
    return redirect(reverse("applications:queue"))
