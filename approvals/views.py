"""Pages: the department workbench (部门审批工作台) and case page with its decision; the
staff route form and request page (dossier, filing certificate, works completion,
restoration, completion push). Reads go through approvals.queries, changes through
approvals.actions; a refused action is shown next to the field it names."""
from __future__ import annotations

from datetime import date
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import access
from applications import queries as application_queries
from approvals import actions, document, queries
from approvals.document import DOSSIER_NAMES
from approvals.labels import LABELS
from approvals.models import CaseStatus
from approvals.routing import route_works
from core import pdf
from core.errors import DomainError, NotFound, invalid
from policies.schema import CROSSING_CODES


def _today() -> date:
    return timezone.localdate()


def signed_in(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapped


@require_safe
@signed_in
def workbench(request):
    if not queries.is_government(request.user):
        # Grid staff, regulators: every routed works in their jurisdiction, the open ones first.
        if not access.can(request.user, "approval.view") or "applicant" in request.user.roles:
            return redirect("/me/")
        approvals = queries.visible_requests(request.user).prefetch_related("cases").order_by("status", "-submitted_at")
        return render(request, "approvals/requests.html", {"approvals": approvals[:300]})
    rows = queries.workbench(request.user, today=_today(), pending_only=request.GET.get("show") != "all")
    return render(request, "approvals/workbench.html", {
        "rows": rows, "show_all": request.GET.get("show") == "all", "section": "approvals",
    })


@require_http_methods(["GET", "POST"])
@signed_in
def case_page(request, pk: int):
    case = queries.case_for(request.user, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            actions.case_decide(case=case, by=request.user, decision=request.POST.get("decision", ""),
                                conditions=request.POST.get("conditions", ""), reason=request.POST.get("reason", ""))
        except DomainError as exc:
            errors = exc.fields or {"decision": exc.message}
        else:
            messages.success(request, "审批决定已提交，结果已反馈供电企业和申请人。")
            return redirect("approvals:case", pk=case.pk)
    may_decide = (
        case.status == CaseStatus.PENDING
        and access.can(request.user, "approval.decide")
        and case.organisation_id in actions.government_organisations(request.user)
    )
    return render(request, "approvals/case.html", {
        "case": case, "approval": case.request, "application": case.request.application,
        "errors": errors, "posted": request.POST, "may_decide": may_decide, "today": _today(),
        "dossier": list(case.request.dossier.all()), "section": "approvals",
        "siblings": list(case.request.cases.select_related("organisation").exclude(pk=case.pk)),
    }, status=422 if errors else 200)


def _route_facts(post) -> dict:
    return {
        "kw": post.get("kw", "").strip(),
        "length_m": post.get("length_m", "").strip(),
        "crossings": [c for c in post.getlist("crossings") if c],
        "interested_parties": post.get("interested_parties") == "on",
        "sanling": post.get("sanling") == "on",
    }


@require_http_methods(["GET", "POST"])
@signed_in
def route_page(request, pk: int):
    """Staff record the works of an application; preview the route, then submit it."""
    application = application_queries.application_for(request.user, pk)
    access.require(request.user, "approval.route")
    facts = _route_facts(request.POST) if request.method == "POST" else {
        "kw": "", "length_m": "", "crossings": [], "interested_parties": False, "sanling": application.sanling,
    }
    errors: dict[str, str] = {}
    preview = None
    if request.method == "POST":
        try:
            if "preview" in request.POST:
                for name in ("kw", "length_m"):
                    if not facts[name]:
                        errors[name] = "必填"
                if not errors:
                    preview = route_works(
                        region=application.region, on=_today(), voltage_kv=float(application.voltage_kv),
                        kw=_float("kw", facts["kw"]), length_m=_float("length_m", facts["length_m"]),
                        sanling=facts["sanling"], interested_parties=facts["interested_parties"],
                        crossings=facts["crossings"],
                    )
            else:
                approval = actions.request_submit(application=application, by=request.user, **facts)
                messages.success(request, f"已提交电力接入工程审批 {approval.number}。")
                return redirect("approvals:request", pk=approval.pk)
        except DomainError as exc:
            errors = exc.fields or {"kw": exc.message}
    return render(request, "approvals/route.html", {
        "application": application, "facts": facts, "errors": errors, "preview": preview,
        "crossings": [(code, LABELS["crossing"][code]) for code in CROSSING_CODES],
    }, status=422 if errors else 200)


def _float(field: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise invalid(field, "请输入数字") from None


@require_safe
@signed_in
def request_page(request, pk: int):
    approval = queries.request_for(request.user, pk)
    return _request_page(request, approval)


def _request_page(request, approval, *, errors=None, status=200):
    held = {d.doc_type for d in approval.dossier.all()}
    needed = actions.dossier_documents(approval) if {"notification_commitment", "filing"} & set(approval.routes) else []
    return render(request, "approvals/request.html", {
        "approval": approval, "application": approval.application,
        "cases": list(approval.cases.select_related("organisation", "decided_by")),
        "dossier": list(approval.dossier.all()), "needed": [(d, DOSSIER_NAMES.get(d, d), d in held) for d in needed],
        "may_file": access.can(request.user, "approval.file"), "errors": errors or {}, "today": _today(),
        "push_overdue": approval.completion_pushed_at is None and approval.completion_push_due is not None
        and _today() > approval.completion_push_due,
    }, status=status)


@require_POST
@signed_in
def request_act(request, pk: int, action: str):
    approval = queries.request_for(request.user, pk)
    try:
        if action == "dossier":
            upload = request.FILES.get("file")
            if upload is None:
                raise invalid("file", "请选择文件")
            actions.dossier_upload(request=approval, by=request.user, doc_type=request.POST.get("doc_type", ""), upload=upload)
        elif action == "filing":
            actions.filing_issue(request=approval, by=request.user)
        elif action == "works":
            actions.works_complete(request=approval, by=request.user, completed_on=_date("completed_on", request.POST))
        elif action == "restoration":
            actions.restoration_record(request=approval, by=request.user, restored_on=_date("restored_on", request.POST),
                                       note=request.POST.get("note", ""))
        elif action == "push":
            actions.completion_push(request=approval, by=request.user, survey=request.POST.get("survey", ""))
        else:
            raise Http404
    except DomainError as exc:
        approval.refresh_from_db()
        return _request_page(request, approval, errors=exc.fields or {action: exc.message}, status=422)
    messages.success(request, "已保存。")
    return redirect("approvals:request", pk=approval.pk)


def _date(field: str, post) -> date:
    try:
        return date.fromisoformat(post.get(field, ""))
    except ValueError:
        raise invalid(field, "请输入日期 YYYY-MM-DD") from None


@require_safe
@signed_in
def filing_certificate(request, pk: int):
    approval = queries.request_for(request.user, pk)
    if not approval.filing_number:
        raise Http404
    return pdf.response(document.filing_certificate_pdf(approval), filename=f"{approval.filing_number}.pdf")

