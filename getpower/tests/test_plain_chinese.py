"""Plain Chinese wherever a person reads: every page (and the PDF templates) rendered for
every demo role shows no raw code, no dotted event verb, no username where a name exists,
and no English error message."""
import html as htmlmod
import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from accounts.models import User
from applications import actions, demo
from applications.models import Application, Status
from applications.tests.conftest import policies  # noqa: F401  (fixture)
from complaints import actions as complaint_actions
from core import labels

pytestmark = pytest.mark.django_db

VERB = re.compile(r"(?<![@\w.])[a-z][a-z0-9_]*\.[a-z][a-z0-9_]+(?![\w.])")
SNAKE = re.compile(r"(?<![\w./-])[a-z]+(?:_[a-z0-9]+)+(?![\w./-])")
FILE_NAMES = re.compile(r"\.(pdf|png|jpe?g|txt|csv|xlsx|docx|css|js|html|yaml)$")
ENGLISH_ERROR = re.compile(r"\b(required|not allowed|must be|not found|invalid|unknown|already|at least|at most|"
                           r"this field|enter a|please)\b", re.I)
# Codes that may be read as they are: units and abbreviations people use in Chinese text too.
ALLOWED = {"kV", "kVA", "kW"}


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return htmlmod.unescape(page)


def problems(text: str, usernames: set[str], logins: frozenset[str] = frozenset()) -> list[str]:
    found = [f"verb:{m}" for m in VERB.findall(text) if not FILE_NAMES.search(m)]
    found += [f"code:{m}" for m in SNAKE.findall(text) if m not in logins]
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    found += [f"username:{u}" for u in usernames if u in words]
    return found


def error_texts(page: str) -> list[str]:
    return [htmlmod.unescape(re.sub(r"<[^>]+>", "", m)) for m in
            re.findall(r'(?:class="error[^"]*"|role="alert")[^>]*>(.*?)</', page, flags=re.S)]


@pytest.fixture
def demo_world(policies):
    demo.load(applications=30)
    # The loops the demo does not close by itself: a complaint answered, one about no application.
    application = Application.objects.filter(applicant_user__isnull=False, status=Status.IN_PROGRESS).first()
    supervisor = actions.county_supervisor(application)
    case, _ = complaint_actions.complaint_file(by=application.applicant_user, application=application,
                                               text="客户经理未按约上门")
    complaint_actions.complaint_reply(complaint=case, by=supervisor, text="已致歉并重新约定时间")
    complaint_actions.complaint_file(by=application.applicant_user, county=application.county, text="营业厅排队太久")
    return application


def urls_for(user: User, application: Application) -> list[str]:
    from complaints.models import Complaint

    pages = ["/", "/policies/", "/workdays/", "/me/", "/me/apply/", "/me/complaints/", "/me/profile/"]
    pages += ["/me/login/", "/me/login/code/", "/me/password/forgot/"]
    mine = list(Application.objects.filter(applicant_user=user)[:3])
    for app in mine:
        pages += [f"/me/applications/{app.pk}/", f"/contracts/{app.pk}/", f"/pay/{app.pk}/",
                  f"/appointments/{app.pk}/"]
    if user.roles - {"applicant"}:
        pages += ["/work/", "/work/overview/", "/work/escalations/", "/work/complaints/", "/monitor/overview/",
                  f"/work/applications/{application.pk}/"]
        pages += [f"/work/complaints/{c.pk}/" for c in Complaint.objects.all()[:2]]
    return pages


def test_every_page_for_every_demo_role_reads_in_plain_chinese(demo_world):
    logins = demo.demo_logins()
    usernames = {u for u, _role, _where in logins}
    # A person's own page header may greet them; names shown instead of logins are what we check.
    named = {u.username for u in User.objects.filter(username__in=usernames).exclude(display_name="")}
    assert {"applicant", "account_manager", "supervisor", "regulator", "admin"} <= {r for _u, r, _w in logins}
    failures = {}
    seen = 0
    for username, _role, _where in logins:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for url in urls_for(user, demo_world):
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            seen += 1
            # The home page lists the demo logins on purpose: people type those to sign in.
            found = problems(visible_text(response.content.decode()), set() if url == "/" else named,
                             frozenset(usernames) if url == "/" else frozenset())
            if found:
                failures[f"{username} {url}"] = sorted(set(found))[:8]
    assert seen > 40
    assert not failures, failures


def test_refused_forms_speak_chinese(demo_world):
    application = demo_world
    applicant = Client()
    applicant.force_login(application.applicant_user)
    staff = Client()
    staff.force_login(actions.county_supervisor(application))
    refusals = [
        Client().post("/me/signup/", {"contact": "13912345678", "password": "123", "password2": "1234"}),
        applicant.post("/me/apply/", {}),
        applicant.post(f"/me/applications/{application.pk}/complain/", {"text": "", "idempotency_key": "x"}),
        applicant.post(f"/me/applications/{application.pk}/upload/", {"document": "acceptance:no_such_doc"}),
        applicant.post("/me/complaints/", {"county": "", "text": "x" * 3000, "idempotency_key": "y"}),
        staff.post("/work/complaints/new/", {"channel": "phone_95598", "contact_name": "", "text": ""}),
        staff.post(f"/work/applications/{application.pk}/pause/", {"code": "nope", "reason": "awaiting_documents"}),
    ]
    messages = []
    for response in refusals:
        assert response.status_code in (400, 422, 200), response.status_code
        messages += error_texts(response.content.decode())
    assert messages
    english = [m for m in messages if ENGLISH_ERROR.search(m) or re.fullmatch(r"[\sA-Za-z0-9.,:;'\"()_-]+", m)]
    assert not english, english


def test_pdf_templates_show_names_not_codes(demo_world):
    application = Application.objects.filter(schemes__isnull=False).first() or demo_world
    html = render_to_string("contracts/contract_pdf.html", {
        "application": application, "number": "HT-TEST", "issued_on": timezone.localdate(),
        "scheme": application.schemes.first(), "fees": list(application.fees.all()),
        "utility": application.handling_org})
    text = visible_text(html)
    assert not [p for p in problems(text, set()) if not p.startswith("username")], problems(text, set())
    if application.zero_investment and application.investment_boundary:
        assert labels.label("boundary", application.investment_boundary) in text
