"""网上办电: the applicant's pages. Objects are fetched only through applications.queries;
every change goes through an action, whose DomainError is shown next to its field."""
from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import queries as account_queries
from accounts.models import User
from accounts.roles import landing
from applications import actions as app_actions
from applications import api as app_api
from applications import queries as app_queries
from applications import rules
from applications.models import Application, Pause, Stage, Status
from complaints import actions as complaint_actions
from complaints import queries as complaint_queries
from complaints.models import Complaint
from core import labels
from core.errors import DomainError, Forbidden, NotFound
from customers import actions, forms, queries
from sharing import queries as sharing_queries
from workdays.schedule import get_schedule

SIGNUP_SESSION_KEY = "customers.signup"
PASSWORD_RESET_SESSION_KEY = "customers.password_reset"
LOGIN_CODE_SESSION_KEY = "customers.login_code"

# Policy rules an accepted applicant is told about (办理一户、宣传一户), where the policy has them.
POLICY_RULES_TOLD = ("sanling_sansheng", "sansheng", "fees", "no_three_designations", "nearest_access")


def _today():
    return timezone.localdate(timezone.now())


# ---------------------------------------------------------------- accounts

def signup(request):
    """Two steps: details (a code is sent to the phone or mailbox), then the code."""
    pending = request.session.get(SIGNUP_SESSION_KEY)
    form, code_form, awaiting = forms.SignupForm(), forms.CodeForm(), False
    if request.method == "POST" and request.POST.get("step") == "code" and pending:
        awaiting = True
        code_form = forms.CodeForm(request.POST)
        if code_form.is_valid():
            try:
                user = actions.signup_complete(contact=pending["contact"], password_hash=pending["password_hash"],
                                               display_name=pending["display_name"],
                                               code=code_form.cleaned_data["code"])
            except DomainError as exc:
                forms.show_errors(code_form, exc)
            else:
                del request.session[SIGNUP_SESSION_KEY]
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("customers:profile")
    elif request.method == "POST":
        form = forms.SignupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.signup_start(contact=data["contact"], password=data["password"],
                                     client=request.META.get("REMOTE_ADDR", ""))
            except DomainError as exc:
                forms.show_errors(form, exc)
            else:
                # Only the hash waits in the session until the code confirms the contact.
                pending = request.session[SIGNUP_SESSION_KEY] = {
                    "contact": data["contact"].strip(), "display_name": data["display_name"],
                    "password_hash": make_password(data["password"]),
                }
                awaiting = True
    return render(request, "customers/signup.html",
                  {"form": form, "code_form": code_form, "awaiting": awaiting,
                   "contact": pending["contact"] if pending else "",
                   "minutes": int(actions.CODE_TTL.total_seconds() // 60)},
                  status=400 if form.errors or code_form.errors else 200)


def _find_user(identifier: str) -> User | None:
    return account_queries.user_by_identifier(identifier)


def login_view(request):
    form = forms.LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        found = _find_user(identifier)
        # Unknown accounts go through authenticate too: the password hasher runs either way (no
        # timing difference) and django-axes counts the failure against the name and the address.
        user = authenticate(request, username=found.username if found else identifier.strip(),
                            password=form.cleaned_data["password"])
        if user is None:
            form.add_error(None, _("账号或密码不正确"))
        else:
            login(request, user)
            return _after_login(request)
    return render(request, "customers/login.html", {"form": form}, status=400 if form.errors else 200)


def _after_login(request):
    target = request.GET.get("next", "")
    # Only same-site paths: never an open redirect.
    return redirect(target if target.startswith("/") and not target.startswith("//") else landing(request.user.roles))


def _send_code(request, session_key: str, send) -> tuple[forms.ContactForm, str]:
    """Step 1 of the code pages: a code to the phone or mailbox typed in. The answer is the same
    whether an account has that contact (the action sends only where one does)."""
    form = forms.ContactForm(request.POST)
    if form.is_valid():
        contact = form.cleaned_data["contact"].strip()
        try:
            send(contact=contact, client=request.META.get("REMOTE_ADDR", ""))
        except DomainError as exc:
            forms.show_errors(form, exc)
        else:
            request.session[session_key] = contact
            return form, contact
    return form, ""


def _code_page(request, template: str, context: dict):
    bad = any(f.errors for f in (context["contact_form"], context["code_form"]))
    return render(request, template, {**context, "minutes": int(actions.CODE_TTL.total_seconds() // 60)},
                  status=400 if bad else 200)


def password_forgot(request):
    """忘记密码: the phone or mailbox, then the code with the new password."""
    contact = request.session.get(PASSWORD_RESET_SESSION_KEY, "")
    contact_form, code_form = forms.ContactForm(), forms.PasswordResetForm()
    if request.method == "POST" and request.POST.get("step") == "code" and contact:
        code_form = forms.PasswordResetForm(request.POST)
        if code_form.is_valid():
            try:
                actions.password_reset_complete(contact=contact, code=code_form.cleaned_data["code"],
                                                password=code_form.cleaned_data["password"])
            except DomainError as exc:
                forms.show_errors(code_form, exc)
            else:
                del request.session[PASSWORD_RESET_SESSION_KEY]
                return render(request, "customers/password_forgot.html", {"done": True})
    elif request.method == "POST":
        contact_form, contact = _send_code(request, PASSWORD_RESET_SESSION_KEY, actions.password_reset_start)
    return _code_page(request, "customers/password_forgot.html",
                      {"contact_form": contact_form, "code_form": code_form, "contact": contact,
                       "awaiting": request.method == "POST" and bool(contact) and not contact_form.errors})


def login_code(request):
    """验证码登录: the phone or mailbox, then the code. The code is checked by an authentication
    backend behind django-axes, so lock-outs and failure counts are the password's."""
    contact = request.session.get(LOGIN_CODE_SESSION_KEY, "")
    contact_form, code_form = forms.ContactForm(), forms.CodeForm()
    if request.method == "POST" and request.POST.get("step") == "code" and contact:
        code_form = forms.CodeForm(request.POST)
        if code_form.is_valid():
            found = actions.account_for_contact(contact)
            user = authenticate(request, username=found.username if found else contact, contact=contact,
                                one_time_code=code_form.cleaned_data["code"])
            if user is None:
                code_form.add_error("code", getattr(request, "one_time_code_problem", "") or _("验证码不正确"))
            else:
                del request.session[LOGIN_CODE_SESSION_KEY]
                login(request, user)
                return _after_login(request)
    elif request.method == "POST":
        contact_form, contact = _send_code(request, LOGIN_CODE_SESSION_KEY, actions.login_code_send)
    return _code_page(request, "customers/login_code.html",
                      {"contact_form": contact_form, "code_form": code_form, "contact": contact,
                       "awaiting": request.method == "POST" and bool(contact) and not contact_form.errors})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("home")


@login_required
def profile(request):
    current = queries.profile_of(request.user)
    initial = {"kind": current.kind, "name": current.name,
               "number": current.uscc or actions.profile_id_number(current)} if current else {"kind": "person"}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    code_sent, saved = False, False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("step") == "send":
                actions.identity_code_send(user=request.user, client=request.META.get("REMOTE_ADDR", ""))
                code_sent = True
            else:
                current = actions.profile_verify(user=request.user, kind=data["kind"], name=data["name"],
                                                 number=data["number"], code=data["code"])
                saved = True
        except DomainError as exc:
            forms.show_errors(form, exc)
    return render(request, "customers/profile.html",
                  {"form": form, "profile": current, "code_sent": code_sent, "saved": saved,
                   "contact": actions.contact_of(request.user)},
                  status=400 if form.errors else 200)


# ---------------------------------------------------------------- home

@login_required
def home(request):
    today = _today()
    cards = [queries.card(a, today) for a in queries.my_applications(request.user)]
    return render(request, "customers/home.html", {
        "cards": cards, "today": today, "notifications": queries.my_notifications(request.user),
        "profile": queries.profile_of(request.user),
    })


# ---------------------------------------------------------------- apply

def _apply_initial(user) -> dict:
    profile = queries.profile_of(user)
    initial = {"voltage_kv": "auto", "supply": "single", "business_type": "new", "contact_phone": user.phone}
    if profile:
        initial.update(applicant_kind=profile.kind, applicant_name=profile.name, uscc=profile.uscc,
                       id_number=actions.profile_id_number(profile))
    return initial


def _preview(request, values):
    try:
        return queries.preview(user=request.user, values=values, on=_today()), None
    except DomainError as exc:
        return None, exc.for_people


@login_required
def apply(request):
    form = forms.ApplyForm(request.POST or None, initial=_apply_initial(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        voltage = data["voltage_kv"]
        if voltage == "auto":
            preview, _problem = _preview(request, request.POST)
            voltage = str(preview.suggested_voltage) if preview and preview.suggested_voltage else ""
        try:
            kva = queries.capacity_kva(county=data["county"], kw=data["capacity_kw"], on=_today())
        except DomainError as exc:
            forms.show_errors(form, exc)
            kva = None
        if not voltage:
            form.add_error("voltage_kv", _("该地区政策未给出建议电压，请选择电压等级"))
        elif kva is not None:
            payload = app_actions.ApplicationInput(
                county=data["county"], site_address=data["site_address"], area_category=data["area_category"],
                voltage_kv=voltage, capacity_kva=kva, applicant_kind=data["applicant_kind"],
                applicant_name=data["applicant_name"], channel="online", supply=data["supply"],
                uscc=data["uscc"].strip().upper() if data["applicant_kind"] == "enterprise" else "",
                enterprise_size=data["enterprise_size"] if data["applicant_kind"] == "enterprise" else "",
                id_number=data["id_number"].strip().upper() if data["applicant_kind"] == "person" else "",
                contact_phone=data["contact_phone"], business_type=data["business_type"], utility=data["utility"],
                **{name: data[name] for name in forms.FLAGS},
            )
            try:
                application, _created = app_actions.application_create(
                    by=request.user, data=payload, idempotency_key=f"portal:{data['idempotency_key']}")
            except DomainError as exc:
                forms.show_errors(form, exc)
            else:
                return redirect("customers:application", pk=application.pk)
    values = request.POST if form.is_bound else form.initial
    preview, problem = _preview(request, values)
    return render(request, "customers/apply.html", {"form": form, "preview": preview, "problem": problem},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def apply_preview(request):
    preview, problem = _preview(request, request.POST)
    # The kVA shown under the capacity field is refreshed with the preview (out of band).
    return render(request, "customers/_preview.html", {"preview": preview, "problem": problem, "oob": True})


# ---------------------------------------------------------------- one application

def _visible(request, pk) -> Application:
    try:
        return app_queries.application_for(request.user, pk)
    except NotFound:
        raise Http404("application not found") from None


def _policy_box(application: Application) -> dict | None:
    """办理一户、宣传一户: what the pinned policy promises this customer, after acceptance."""
    if application.accepted_at is None or application.policy_version is None:
        return None
    doc = rules.document(application.policy_version)
    told = [doc.rules[code] for code in POLICY_RULES_TOLD if code in doc.rules]
    return {
        "region": doc.name, "version": application.policy_version.version,
        "zero_investment": application.zero_investment,
        "boundary": queries.boundary_name(doc, application.investment_boundary),
        "rules": told, "fees": list(application.fees.all()),
    }


def _reason_label(reason) -> str:
    if not reason:
        return ""
    return Pause.Reason(reason).label if reason in Pause.Reason.values else str(reason)


def _detail_context(request, application: Application, **forms_in) -> dict:
    today = _today()
    data = app_api.detail(application)
    stage_names = {stage["code"]: stage["name"] for stage in data["stages"]}
    for event in data["events"]:
        event["label"] = labels.verb(event["verb"])
        event["stage_name"] = stage_names.get(event["data"].get("stage"), "")
        event["reason_label"] = _reason_label(event["data"].get("reason"))
    for stage in data["stages"]:
        for pause in stage["pauses"]:
            pause["reason_label"] = _reason_label(pause["reason"])
    held = queries.held_document_types(application.applicant_user, exclude_application=application) \
        if application.applicant_user else set()
    uploaded = set(application.documents.values_list("doc_type", flat=True))
    is_applicant = application.applicant_user_id == request.user.pk
    rating = queries.rating_of(application)
    # 四免: what sharing supplied is never asked for; the page says where it came from.
    shared = sharing_queries.shared_sources(application)
    choices = queries.upload_choices(application, held=held | set(shared), uploaded=uploaded, sources=shared) if is_applicant else []
    names = rules.document_names(application.policy_version or rules.version_in_force(
        application.region, timezone.localdate(application.submitted_at)))
    return {
        "application": application, "detail": data, "card": queries.card(application, today), "today": today,
        "full_process": app_queries.full_process(application, today=today, schedule=get_schedule()),
        "policy": _policy_box(application),
        "documents": [(doc, names.get(doc.doc_type, doc.doc_type),
                       is_applicant and doc.uploaded_by_id == request.user.pk and application.is_open
                       and not app_actions.document_reviewed(doc))
                      for doc in application.documents.all()],
        "upload_choices": choices,
        "upload_needed": any(c.needed for c in choices),
        "pause_requests": queries.pause_requests(application, choices),
        "one_certificate": queries.one_certificate(application),
        "paperwork": queries.paperwork(application),
        "choose_form": forms_in.get("choose_form"),
        "can_choose": is_applicant and application.is_open and application.schemes.exists()
        and application.stages.filter(code="scheme_reply").exclude(state=Stage.State.CANCELLED).exists()
        and not application.schemes.filter(chosen=True).exists(),
        "shared_sources": shared,
        "is_applicant": is_applicant, "rating": rating,
        "can_rate": is_applicant and application.status == Status.ENERGISED and rating is None,
        "complaints": list(complaint_queries.mine(request.user).filter(application=application))
        if is_applicant else [],
        "feedback_form": forms_in.get("feedback_form") or forms.FeedbackForm(),
        "feedback_for": forms_in.get("feedback_for"),
        "notifications": queries.my_notifications(request.user, application=application),
        "accepted": application.accepted_at is not None,
        "upload_form": forms_in.get("upload_form") or forms.UploadForm(),
        "rating_form": forms_in.get("rating_form") or forms.RatingForm(),
        "complaint_form": forms_in.get("complaint_form") or forms.ComplaintForm(),
        "withdraw_form": forms_in.get("withdraw_form") or forms.WithdrawForm(),
        "done": request.GET.get("done", ""),
    }


@login_required
def application_detail(request, pk):
    application = _visible(request, pk)
    return render(request, "customers/application.html", _detail_context(request, application))


def _post_action(request, pk, form_class, form_name, run, done):
    application = _visible(request, pk)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            run(application, form.cleaned_data)
        except DomainError as exc:
            forms.show_errors(form, exc)
        else:
            return redirect(f"{reverse('customers:application', args=[application.pk])}?done={done}#{form_name}")
    context = _detail_context(request, _visible(request, pk), **{f"{form_name}_form": form})
    return render(request, "customers/application.html", context, status=400)


@login_required
@require_POST
def upload(request, pk):
    def run(application, data):
        stage_code, _sep, doc_type = data["document"].partition(":")
        app_actions.document_upload(application=application, by=request.user, stage_code=stage_code,
                                    doc_type=doc_type, upload=data["file"])
    return _post_action(request, pk, forms.UploadForm, "upload", run, "upload")


@login_required
@require_POST
def choose_scheme(request, pk):
    def run(application, data):
        if application.applicant_user_id != request.user.pk:
            raise Forbidden(_("只有申请人本人可以选择供电方案"))
        app_actions.scheme_choose(application=application, by=request.user, label=data["label"])
    return _post_action(request, pk, forms.ChooseSchemeForm, "choose", run, "choose")


@login_required
@require_POST
def delete_document(request, pk, doc_id):
    application = _visible(request, pk)
    document = application.documents.filter(pk=doc_id).first()
    if document is None:
        raise Http404("document not found")
    try:
        app_actions.document_delete(document=document, by=request.user)
    except DomainError as exc:
        context = _detail_context(request, application)
        context["delete_error"] = exc.for_people
        return render(request, "customers/application.html", context, status=400)
    return redirect(f"{reverse('customers:application', args=[application.pk])}?done=deleted#upload")


@login_required
@require_POST
def withdraw(request, pk):
    def run(application, data):
        if application.applicant_user_id != request.user.pk:
            # Staff withdraw from the workbench; this form is the applicant's own.
            raise Forbidden(_("只有申请人本人可以在此撤回申请"))
        app_actions.application_withdraw(application=application, by=request.user, reason=data["reason"])
    return _post_action(request, pk, forms.WithdrawForm, "withdraw", run, "withdraw")


@login_required
@require_POST
def rate(request, pk):
    def run(application, data):
        actions.rating_submit(application=application, by=request.user, score=data["score"],
                              comment=data["comment"])
    return _post_action(request, pk, forms.RatingForm, "rating", run, "rating")


@login_required
@require_POST
def complain(request, pk):
    def run(application, data):
        complaint_actions.complaint_file(by=request.user, text=data["text"], application=application,
                                         channel="portal", idempotency_key=f"portal:{data['idempotency_key']}")
    return _post_action(request, pk, forms.ComplaintForm, "complaint", run, "complaint")


# ---------------------------------------------------------------- my complaints

def _my_complaint(request, pk) -> Complaint:
    found = complaint_queries.mine(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404("complaint not found")
    return found


@login_required
def complaints(request):
    """我的投诉: every case of mine with its answers, and a complaint about the service in general."""
    form = forms.GeneralComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            county = account_queries.county_required(data["county"])
            complaint, _created = complaint_actions.complaint_file(
                by=request.user, text=data["text"], county=county, channel="portal",
                idempotency_key=f"portal:{data['idempotency_key']}")
        except DomainError as exc:
            forms.show_errors(form, exc)
        else:
            return redirect(f"{reverse('customers:complaints')}?done=filed#c{complaint.pk}")
    return render(request, "customers/complaints.html", {
        "form": form, "complaints": list(complaint_queries.mine(request.user)),
        "feedback_form": forms.FeedbackForm(), "done": request.GET.get("done", ""),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def complaint_feedback(request, pk):
    complaint = _my_complaint(request, pk)
    form = forms.FeedbackForm(request.POST)
    back_to_application = complaint.application_id and request.POST.get("back") == "application"
    if form.is_valid():
        try:
            complaint_actions.complaint_feedback(complaint=complaint, by=request.user,
                                                 satisfied=form.cleaned_data["satisfied"],
                                                 comment=form.cleaned_data["comment"])
        except DomainError as exc:
            forms.show_errors(form, exc)
        else:
            done = "confirmed" if form.cleaned_data["satisfied"] else "reopened"
            target = (reverse("customers:application", args=[complaint.application_id]) if back_to_application
                      else reverse("customers:complaints"))
            return redirect(f"{target}?done={done}#c{complaint.pk}")
    if back_to_application:
        application = _visible(request, complaint.application_id)
        context = _detail_context(request, application, feedback_form=form, feedback_for=complaint.pk)
        return render(request, "customers/application.html", context, status=400)
    return render(request, "customers/complaints.html", {
        "form": forms.GeneralComplaintForm(), "complaints": list(complaint_queries.mine(request.user)),
        "feedback_form": form, "feedback_for": complaint.pk, "done": ""}, status=400)
