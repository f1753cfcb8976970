"""Public disclosure (信息公开) at /public/<region>/: no login, no JavaScript, cacheable,
printable, names not codes. Plus the public report form (三指定 / 违规收费), and for staff the
self-check list, publishing documents, good practices and the regulator's report queue."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import access
from core.errors import DomainError, Forbidden, NotFound, invalid
from disclosure import actions, queries, selfcheck
from disclosure.labels import LABELS
from disclosure.models import PublishedDocument, ViolationReport

PUBLIC_CACHE_SECONDS = 300


def _page(region: str) -> dict:
    try:
        return queries.region_page(region, timezone.localdate())
    except NotFound:
        raise Http404 from None


@require_safe
@cache_control(public=True, max_age=PUBLIC_CACHE_SECONDS)
def index(request):
    return render(request, "disclosure/index.html", {"regions": queries.regions(timezone.localdate())})


@require_safe
@cache_control(public=True, max_age=PUBLIC_CACHE_SECONDS)
def region_page(request, region: str):
    return render(request, "disclosure/region.html", _page(region))


@never_cache
@require_http_methods(["GET", "POST"])
def report(request, region: str):
    page = _page(region)
    context = {"region": region, "name": page["name"], "kinds": ViolationReport.Kind.choices, "posted": {},
               "limit": page["fees"].report_limit if page["fees"] else None}
    if request.method == "POST":
        post = request.POST
        try:
            received = actions.violation_report(
                region=region, kind=post.get("kind", ""), description=post.get("description", ""),
                application_number=post.get("application_number", ""), reporter_name=post.get("reporter_name", ""),
                reporter_phone=post.get("reporter_phone", ""), idempotency_key=post.get("idempotency_key", ""))
        except DomainError as exc:
            context.update(error=exc.message, fields=exc.fields, posted=post)
            return render(request, "disclosure/report.html", context, status=400)
        context["received"] = received
    return render(request, "disclosure/report.html", context)


# ---------------------------------------------------------------- staff side

def _date(field: str, value: str | None, *, required: bool = True) -> date | None:
    value = (value or "").strip()
    if not value and not required:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise invalid(field, "应为日期 YYYY-MM-DD") from None


@never_cache
@require_safe
@login_required
def manage(request, region: str):
    user = request.user
    if not (access.can(user, "practice.submit") or access.can(user, "fee_report.handle")):
        raise Forbidden("无权查看信息公开管理", fields={"role": ""})
    page = _page(region)
    return render(request, "disclosure/manage.html", {
        **page, "checks": selfcheck.self_check(page),
        "pending": queries.practices_submitted(region),
        "violations": queries.violation_reports(region),
        "can_publish": access.can(user, "practice.review"), "can_submit": access.can(user, "practice.submit"),
        "can_handle": access.can(user, "fee_report.handle"), "document_kinds": PublishedDocument.Kind.choices,
        "labels": LABELS,
    })


@require_POST
@login_required
def manage_act(request, region: str, action: str):
    post, user = request.POST, request.user
    try:
        if action == "document":
            actions.document_publish(
                region=region, by=user, kind=post.get("kind", ""), title=post.get("title", ""),
                number=post.get("number", ""), issuer=post.get("issuer", ""),
                issued_on=_date("issued_on", post.get("issued_on")),
                published_on=_date("published_on", post.get("published_on"), required=False),
                effective_from=_date("effective_from", post.get("effective_from"), required=False),
                summary=post.get("summary", ""), url=post.get("url", ""))
            messages.success(request, "文件已公开。")
        elif action == "practice":
            actions.practice_submit(region=region, by=user, title=post.get("title", ""), body=post.get("body", ""))
            messages.success(request, "经验做法已报送，审核后公开。")
        elif action == "practice-review":
            practice = queries.practice(region, post.get("practice") or 0)
            if practice is None:
                raise invalid("practice", "没有这条经验做法")
            actions.practice_review(practice=practice, by=user, publish=post.get("decision") == "publish",
                                    note=post.get("note", ""))
            messages.success(request, "审核意见已记录。")
        elif action == "violation-close":
            item = queries.violation_reports(region).filter(pk=post.get("report") or 0).first()
            if item is None:
                raise invalid("report", "没有这件举报")
            actions.violation_close(report=item, by=user, substantiated=post.get("substantiated") == "yes",
                                    finding=post.get("finding", ""))
            messages.success(request, "举报已办结。")
        else:
            raise Http404
    except Forbidden:
        raise
    except DomainError as exc:
        messages.error(request, exc.for_people)
    return redirect("disclosure:manage", region=region)
