"""Pages of the supply contract: the applicant's view/sign page and the public verify page."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import access
from contracts import actions, queries, signing
from core import otp, pdf
from core.errors import DomainError, NotFound

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _fetch(request, application_id):
    try:
        return queries.application_with_contract(request.user, application_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _page(request, application, contract, *, error: str = "", message: str = "", status: int = 200):
    is_applicant = application.applicant_user_id == request.user.pk
    code = queries.live_code(contract) if contract and is_applicant else None
    context = {
        "application": application, "contract": contract, "error": error, "message": message,
        "is_applicant": is_applicant, "can_sign": is_applicant and access.can(request.user, "contract.sign"),
        "can_generate": access.can(request.user, "contract.generate"),
        "code": code, "code_expired": bool(code and code.expires_at <= timezone.now()),
        "max_attempts": otp.CODE_MAX_ATTEMPTS,
    }
    if request.htmx:
        # htmx swaps only 2xx answers; the panel itself carries the error (role=alert).
        return render(request, "contracts/_sign_panel.html", context)
    return render(request, "contracts/contract.html", context, status=status)


@login_required
def contract_page(request, application_id: int):
    application, contract = _fetch(request, application_id)
    return _page(request, application, contract)


@login_required
def contract_pdf(request, application_id: int):
    application, contract = _fetch(request, application_id)
    if contract is None:
        raise Http404("no contract issued yet")
    return pdf.response(contract.pdf, filename=f"{contract.number}.pdf", download=bool(request.GET.get("download")))


@login_required
@require_POST
def contract_generate(request, application_id: int):
    application, _ = _fetch(request, application_id)
    try:
        contract, _created = actions.contract_generate(application=application, by=request.user)
    except DomainError as exc:
        return _page(request, application, None, error=exc.for_people, status=exc.status)
    return redirect("contracts:contract", application_id=application.pk) if not request.htmx else _page(
        request, application, contract, message="合同已生成")


@login_required
@require_POST
def contract_code(request, application_id: int):
    application, contract = _fetch(request, application_id)
    if contract is None:
        raise Http404("no contract issued yet")
    try:
        actions.contract_request_code(contract=contract, by=request.user, client=request.META.get("REMOTE_ADDR", ""))
    except DomainError as exc:
        return _page(request, application, contract, error=exc.for_people, status=exc.status)
    return _page(request, application, contract, message="验证码已发送，请在 10 分钟内输入")


@login_required
@require_POST
def contract_sign(request, application_id: int):
    application, contract = _fetch(request, application_id)
    if contract is None:
        raise Http404("no contract issued yet")
    try:
        actions.contract_sign(contract=contract, by=request.user, code=request.POST.get("code", ""))
    except DomainError as exc:
        return _page(request, application, contract, error=exc.for_people, status=exc.status)
    contract.refresh_from_db()
    return _page(request, application, contract, message="签署成功：平台已以 SM2 对合同 SM3 摘要签名")


def verify_page(request):
    """Public: anyone holding a contract file can check it, without an account."""
    verdict, error, number = None, "", ""
    status = 200
    if request.method == "POST":
        number = request.POST.get("number", "").strip()
        upload = request.FILES.get("file")
        if not number:
            error, status = "请填写合同编号 (number)", 422
        elif upload is None:
            error, status = "请选择合同 PDF 文件 (file)", 422
        elif upload.size > MAX_UPLOAD_BYTES:
            error, status = "文件过大 (file)", 422
        else:
            try:
                verdict = signing.verify_document(upload.read(), number=number)
            except signing.BadDocument as exc:
                error, status = f"文件无法识别 (file)：{exc}", 422
    return render(request, "contracts/verify.html",
                  {"verdict": verdict, "error": error, "number": number}, status=status)
