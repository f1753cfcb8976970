"""The workbench for complaints (投诉与热线工单): the supervisor's list with each case's
clock and counts per county, phone entry, and the case page (reply, 回访, close).

Reads go through complaints.queries (invisible → 404), changes through complaints.actions;
a refused action's message is shown next to its field."""
from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts import access
from accounts import queries as account_queries
from applications import deadlines
from applications import queries as app_queries
from applications.views import workbench
from complaints import actions, forms, queries
from complaints.models import Complaint
from core import pii
from core.errors import DomainError, NotFound, invalid
from workdays.schedule import get_schedule

PAGE_SIZE = 25


def _today():
    return timezone.localdate(timezone.now())


def _place(form, exc: DomainError) -> None:
    placed = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, exc.for_people)


def _counties(user) -> list[tuple[str, str]]:
    visible = queries.complaints_for(user).values("county")
    return [(d.code, d.name) for d in account_queries.divisions(visible)]


def _row(complaint: Complaint, today):
    is_open = complaint.state == Complaint.State.OPEN
    left = deadlines.workdays_left(complaint.due_date, today, schedule=get_schedule()) if is_open else None
    return {"c": complaint, "left": left, "late": is_open and (complaint.overdue or today > complaint.due_date)}


@workbench
@require_safe
def workbench_list(request):
    user = request.user
    access.require(user, "complaint.view")
    today = _today()
    form = forms.FilterForm(request.GET or None, counties=_counties(user))
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {"state": d["state"], "county": d["county"], "channel": d["channel"], "mine": d["mine"],
                   "overdue": {"1": True, "0": False}.get(d["overdue"])}
    page = Paginator(queries.workbench_list(user, today=today, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "complaints/list.html", {
        "form": form, "page": page, "rows": [_row(c, today) for c in page.object_list],
        "counts": queries.counts_by_county(user, today=today), "query": query.urlencode(),
        "limit": actions.complaint_limit(), "can_enter": access.can(user, "complaint.enter"),
        "section": "complaints", "today": today,
    })


@workbench
def enter(request):
    user = request.user
    access.require(user, "complaint.enter")
    counties = [(d.code, d.name) for d in account_queries.counties_for(user)]
    form = forms.EnterForm(request.POST or None, counties=counties)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            application, county = None, None
            if d["application"].strip():
                try:
                    application = app_queries.application_by_number(user, d["application"].strip())
                except NotFound:
                    raise invalid("application", "未找到该申请编号（或不在您的辖区）") from None
            elif d["county"]:
                county = account_queries.county_required(d["county"])
            complaint, _created = actions.complaint_file(
                by=user, text=d["text"], channel=d["channel"], application=application, county=county,
                contact_name=d["contact_name"], contact_phone=d["contact_phone"],
                idempotency_key=f"work:{d['idempotency_key']}")
        except DomainError as exc:
            _place(form, exc)
        else:
            return redirect(reverse("complaints:case", args=[complaint.pk]) + "?done=filed")
    return render(request, "complaints/enter.html", {"form": form, "section": "complaints"},
                  status=400 if form.errors else 200)


def _case_context(request, complaint: Complaint, **bound) -> dict:
    user = request.user
    complaint = queries.complaint_for(user, complaint.pk)
    today = _today()
    is_open = complaint.state == Complaint.State.OPEN
    replied = complaint.state == Complaint.State.REPLIED
    phone = pii.decrypt(complaint.contact_phone_enc, key=settings.PII_KEY) if complaint.contact_phone_enc else ""
    # Who answers the case calls back; everyone else who may read it sees the number masked.
    may_call = access.can(user, "complaint.reply")
    return {
        "phone": phone if may_call else "", "masked_phone": pii.mask(phone) if phone else "",
        "row": _row(complaint, today), "c": complaint, "entries": list(complaint.entries.select_related("by")),
        "limit": actions.complaint_limit(),
        "reply_form": bound.get("reply") or (forms.ReplyForm() if is_open and access.can(user, "complaint.reply")
                                             else None),
        "callback_form": bound.get("callback") or (
            forms.CallbackForm() if replied and complaint.complainant_id != user.pk
            and access.can(user, "complaint.reply") else None),
        "close_form": bound.get("close") or (
            forms.CloseForm() if not is_open and complaint.state != Complaint.State.CLOSED
            and access.can(user, "complaint.close") else None),
        "done": request.GET.get("done", ""), "section": "complaints", "today": today,
    }


@workbench
@require_safe
def case(request, pk: int):
    access.require(request.user, "complaint.view")
    complaint = queries.complaint_for(request.user, pk)
    return render(request, "complaints/case.html", _case_context(request, complaint))


ACTIONS = {
    "reply": (forms.ReplyForm, lambda c, by, d: actions.complaint_reply(complaint=c, by=by, text=d["text"])),
    "callback": (forms.CallbackForm, lambda c, by, d: actions.complaint_feedback(
        complaint=c, by=by, satisfied=d["satisfied"], comment=d["comment"])),
    "close": (forms.CloseForm, lambda c, by, d: actions.complaint_close(complaint=c, by=by, note=d["note"])),
}


@workbench
@require_POST
def act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    complaint = queries.complaint_for(request.user, pk)
    form_class, run = ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(complaint, request.user, form.cleaned_data)
        except DomainError as exc:
            _place(form, exc)
        else:
            return redirect(reverse("complaints:case", args=[pk]) + f"?done={action}")
    return render(request, "complaints/case.html", _case_context(request, complaint, **{action: form}), status=422)
