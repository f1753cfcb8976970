"""Pages of oversight in the monitor area: 通报, 抽查, 监督检查与约谈, 业绩考核."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts import access
from core import pdf
from core.errors import DomainError, invalid
from customers.forms import show_errors
from monitoring import actions, oversight_forms, oversight_queries, push, queries
from monitoring.views import _allowed, error_text


def _region(request) -> tuple[dict[str, str], str]:
    names = queries.region_names()
    region = request.GET.get("region") or request.POST.get("region") or oversight_queries.home_region(request.user)
    return names, region if region in names else next(iter(names), "")


def _attempt(form, run):
    """Run the action with the form's data when it is valid; a refusal is shown next to the field it names."""
    if not form.is_valid():
        return None
    try:
        return run(form.cleaned_data)
    except DomainError as exc:
        show_errors(form, exc)
        return None


def _counties(request, region: str):
    return oversight_queries.counties_of(region=region, user=request.user)


# ---------------------------------------------------------------- 通报


@login_required
def bulletins(request):
    _allowed(request.user)
    names, region = _region(request)
    form = oversight_forms.BulletinForm(request.POST or None, regions=names, initial={"region": region})
    if request.method == "POST":
        access.require(request.user, "bulletin.issue")
        made = _attempt(form, lambda data: actions.bulletin_issue(region=data["region"], period=data["period"],
                                                                  by=request.user))
        if made:
            return redirect("monitoring:bulletin", made.pk)
    listing = Paginator(oversight_queries.bulletins(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "monitoring/bulletins.html", {
        "form": form, "bulletins": listing, "regions": names, "may_issue": access.can(request.user, "bulletin.issue")},
        status=400 if form.errors else 200)


@login_required
@require_safe
def bulletin(request, pk: int):
    _allowed(request.user)
    found = oversight_queries.bulletin(user=request.user, pk=pk)
    if request.GET.get("format") == "pdf":
        with found.file.open("rb") as stored:
            return pdf.response(stored.read(), filename=found.file.name.rsplit("/", 1)[-1])
    return render(request, "monitoring/bulletin.html", {"bulletin": found, "issuer": oversight_queries.person(found.issued_by),
                                                         "region_name": queries.region_names().get(found.region, "")})


# ---------------------------------------------------------------- 抽查


@login_required
def spot_checks(request):
    _allowed(request.user)
    names, region = _region(request)
    counties = _counties(request, region)
    form = oversight_forms.SpotCheckForm(request.POST or None, counties=counties)
    if request.method == "POST":
        access.require(request.user, "spot_check.draw")
        made = _attempt(form, lambda data: actions.spot_check_draw(
            county=data["county"], period=data["period"], size=data["size"], seed=data["seed"], by=request.user))
        if made:
            return redirect("monitoring:spot_check", made.pk)
    listing = Paginator(oversight_queries.spot_checks(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "monitoring/spot_checks.html", {
        "form": form, "checks": listing, "regions": names, "region": region,
        "may_draw": access.can(request.user, "spot_check.draw")}, status=400 if form.errors else 200)


@login_required
@require_safe
def spot_check(request, pk: int):
    _allowed(request.user)
    check = oversight_queries.spot_check(user=request.user, pk=pk)
    return _spot_check_page(request, check, may_review=access.can(request.user, "spot_check.review"))


def _spot_check_page(request, check, *, may_review: bool, failed=None, status: int = 200):
    """Each sampled case with its own finding form (prefixed by the item, so ids stay unique)."""
    rows = [(item, failed if failed is not None and failed.prefix == f"i{item.pk}" else
             oversight_forms.FindingForm(prefix=f"i{item.pk}")) for item in oversight_queries.spot_check_items(check)]
    return render(request, "monitoring/spot_check.html", {
        "check": check, "rows": rows, "drawn_by": oversight_queries.person(check.drawn_by), "may_review": may_review},
        status=status)


@login_required
@require_POST
def spot_check_finding(request, pk: int):
    _allowed(request.user)
    item = oversight_queries.spot_check_item(user=request.user, pk=pk)
    access.require(request.user, "spot_check.review")
    form = oversight_forms.FindingForm(request.POST, prefix=f"i{item.pk}")
    if _attempt(form, lambda data: actions.spot_check_finding_record(item=item, verdict=data["verdict"],
                                                                     finding=data["finding"], by=request.user)):
        return redirect(f"{reverse('monitoring:spot_check', args=[item.spot_check_id])}#item-{item.pk}")
    return _spot_check_page(request, item.spot_check, may_review=True, failed=form, status=400)


# ---------------------------------------------------------------- 监督检查与约谈


@login_required
def inspections(request):
    _allowed(request.user)
    names, region = _region(request)
    counties = _counties(request, region)
    form = oversight_forms.InspectionForm(request.POST or None, counties=counties,
                                          initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        access.require(request.user, "inspection.record")
        made = _attempt(form, lambda data: actions.inspection_record(
            kind=data["kind"], county=data["county"], held_on=data["held_on"], subject=data["subject"],
            findings=data["findings"], follow_ups=form.follow_ups(), by=request.user))
        if made:
            return redirect("monitoring:inspection", made.pk)
    listing = Paginator(oversight_queries.inspections(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "monitoring/inspections.html", {
        "form": form, "inspections": listing, "regions": names, "region": region, "today": timezone.localdate(),
        "open_follow_ups": oversight_queries.open_follow_ups(user=request.user)[:50],
        "may_record": access.can(request.user, "inspection.record")}, status=400 if form.errors else 200)


@login_required
@require_safe
def inspection(request, pk: int):
    _allowed(request.user)
    found = oversight_queries.inspection(user=request.user, pk=pk)
    return render(request, "monitoring/inspection.html", {
        "inspection": found, "form": oversight_forms.CloseForm(), "recorded_by": oversight_queries.person(found.recorded_by),
        "today": timezone.localdate(), "may_close": access.can(request.user, "follow_up.close")})


@login_required
@require_POST
def follow_up_close(request, pk: int):
    _allowed(request.user)
    follow_up = oversight_queries.follow_up(user=request.user, pk=pk)
    form = oversight_forms.CloseForm(request.POST)
    if _attempt(form, lambda data: actions.follow_up_close(follow_up=follow_up, result=data["result"], by=request.user)):
        return redirect("monitoring:inspection", follow_up.inspection_id)
    found = oversight_queries.inspection(user=request.user, pk=follow_up.inspection_id)
    return render(request, "monitoring/inspection.html", {
        "inspection": found, "form": form, "failed_follow_up": follow_up.pk, "today": timezone.localdate(),
        "recorded_by": oversight_queries.person(found.recorded_by), "may_close": True}, status=400)


# ---------------------------------------------------------------- 业绩考核


@login_required
@require_safe
def appraisal(request):
    _allowed(request.user)
    names, region = _region(request)
    year = request.GET.get("year") or str(timezone.localdate().year - 1)
    context = {"regions": names, "region": region, "year": year}
    try:
        if not year.isdigit():
            raise invalid("year", "年份格式应为 2026")
        actions.facts_refresh()
        table = oversight_queries.appraisal_table(region=region, year=int(year), user=request.user)
    except DomainError as exc:
        context["error"] = error_text(exc)
        return render(request, "monitoring/appraisal.html", context, status=400)
    if request.GET.get("format") == "xlsx":
        content = oversight_queries.appraisal_workbook(table, region_name=names.get(region, region))
        answer = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        answer["Content-Disposition"] = f'attachment; filename="appraisal-{region}-{year}.xlsx"'
        answer["Cache-Control"] = "no-store, private"
        return answer
    context.update(table=table, scheme=table["scheme"])
    return render(request, "monitoring/appraisal.html", context)


# ---------------------------------------------------------------- 无感监测接收系统


@login_required
def endpoints(request):
    """The regulator systems indicator changes are pushed to: list, register (admins)."""
    access.require(request.user, "monitoring.endpoints")
    names = queries.region_names()
    form = oversight_forms.EndpointForm(request.POST or None, regions=names)
    if request.method == "POST":
        made = _attempt(form, lambda data: push.endpoint_register(by=request.user, name=data["name"], url=data["url"],
                                                                  region=data["region"]))
        if made:
            return redirect("monitoring:endpoints")
    return render(request, "monitoring/endpoints.html", {
        "form": form, "regions": names,
        "endpoints": [(e, names.get(e.region, "") if e.region else "全部地区") for e in oversight_queries.endpoints()]},
        status=400 if form.errors else 200)


@login_required
@require_POST
def endpoint_retire(request, pk: int):
    push.endpoint_retire(by=request.user, endpoint=oversight_queries.endpoint(pk))
    return redirect("monitoring:endpoints")
