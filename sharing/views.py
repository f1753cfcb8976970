"""Pages: fetch an application's documents through sharing (applicant or staff), and the
account manager's prospects from the project feed (提前介入)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts import access
from accounts import queries as account_queries
from applications import queries as application_queries
from applications import rules
from core.errors import DomainError, NotFound
from sharing import actions, queries

OUTCOME_ZH = {
    "obtained": "已通过数据共享取得", "held": "已取得", "no_source": "无可用的共享来源，请上传",
    "sharing_unavailable": "数据共享服务暂不可用，请上传", "not_found": "共享平台无记录，请上传",
    "bad_signature": "共享数据签名无效，请上传",
}


def _signed_in(request):
    return request.user.is_authenticated


@require_POST
def share_documents(request, pk: int):
    if not _signed_in(request):
        return redirect_to_login(request.get_full_path())
    try:
        application = application_queries.application_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    outcome = actions.documents_share(application=application, by=request.user)
    names = rules.document_names(application.policy_version or rules.version_in_force(
        application.region, timezone.localdate()))
    for doc_type, result in outcome.items():
        messages.info(request, f"{names.get(doc_type, doc_type)}：{OUTCOME_ZH.get(result, result)}")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else f"/me/applications/{pk}/")


@require_safe
def prospects(request):
    if not _signed_in(request):
        return redirect_to_login(request.get_full_path())
    if not (access.can(request.user, "application.create") and access.is_grid_staff(request.user)):
        raise Http404
    counties = account_queries.counties_for(request.user)
    return render(request, "sharing/prospects.html", {
        "prospects": queries.prospects_for(request.user), "counties": counties, "section": "prospects",
    })


@require_POST
def prospects_import(request):
    if not _signed_in(request):
        return redirect_to_login(request.get_full_path())
    county = account_queries.counties_for(request.user).filter(code=request.POST.get("county", "")).first()
    if county is None:
        raise Http404
    try:
        created = actions.prospects_import(county=county, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.for_people)
    else:
        messages.success(request, f"已导入 {len(created)} 个新项目。")
    return redirect("sharing:prospects")


@require_POST
def prospect_convert(request, pk: int):
    if not _signed_in(request):
        return redirect_to_login(request.get_full_path())
    prospect = queries.prospects_for(request.user).filter(pk=pk).first()
    if prospect is None:
        raise Http404
    try:
        application = actions.prospect_convert(prospect=prospect, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.for_people)
        return redirect("sharing:prospects")
    messages.success(request, f"已按项目信息生成用电申请 {application.number}。")
    return redirect("applications:application", pk=application.pk)


@require_POST
def joint(request, pk: int):
    if not _signed_in(request):
        return redirect_to_login(request.get_full_path())
    try:
        application = application_queries.application_for(request.user, pk)
        actions.joint_forward(application=application, by=request.user, utilities=request.POST.getlist("utilities"))
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.for_people)
    return redirect("applications:application", pk=pk)
