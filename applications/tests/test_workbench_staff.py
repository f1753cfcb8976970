"""Issue 8 §4, staff side of the workbench: the second person of a two-person check is someone
else of the handling company; a role is offered only the forms it may submit; 设计审查 warns
when the design documents are not on file; the 督办 list is filtered and paged."""
import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import actions as accounts
from accounts.roles import Role
from applications import actions, rules
from applications.models import Escalation, Stage
from applications.tests import samples
from applications.tests.conftest import PASSWORD, at, enterprise
from applications.tests.test_second_person import at_inspection  # noqa: F401  (fixture)
from applications.tests.test_views import accepted_hv, as_user, hv_application, overseers, text  # noqa: F401
from applications.views import ESCALATIONS_PER_PAGE

pytestmark = pytest.mark.django_db


def options(page: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, flags=re.S)
    assert select, f"no <select name={name}>"
    return {v for v in re.findall(r'<option value="([^"]*)"', select.group(1)) if v}


def forms_offered(page: str, application) -> set[str]:
    return set(re.findall(rf'action="/work/applications/{application.pk}/([a-z_]+)/"', page))


def test_the_checker_list_offers_only_other_staff_of_the_handling_company(zz, at_inspection):  # noqa: F811
    elsewhere = accounts.organisation_create(code="tez-other", name="别处供电公司", kind="utility", division=zz.county)
    outsider = accounts.user_create(username="tez_outsider", password=PASSWORD, role=Role.INSPECTOR,
                                    organisation=elsewhere)
    # An applicant account of the same company holds no staff role there: not a checker either.
    customer_desk = accounts.user_create(username="tez_desk", password=PASSWORD, role=Role.APPLICANT,
                                         organisation=zz.org)
    assert "completion_inspection" in rules.two_person_stages(at_inspection.policy_version, at_inspection.category)
    page = as_user(zz.inspector).get(f"/work/applications/{at_inspection.pk}/").content.decode()
    offered = options(page, "checked_by")
    assert str(zz.second_inspector.pk) in offered and str(zz.supervisor.pk) in offered
    assert str(zz.inspector.pk) not in offered  # never oneself
    assert not {str(outsider.pk), str(customer_desk.pk), str(zz.applicant.pk)} & offered
    # Naming oneself anyway is refused next to the field, and the stage stays open.
    refused = as_user(zz.inspector).post(f"/work/applications/{at_inspection.pk}/complete/", {
        "code": "completion_inspection", "result": "合格", "checked_by": zz.inspector.pk,
        "checker_password": PASSWORD}, headers={"HX-Request": "true"})
    assert "id_checked_by-error" in refused.content.decode() or 'class="error' in refused.content.decode()
    assert Stage.objects.get(application=at_inspection, code="completion_inspection").state == Stage.State.ACTIVE


def test_a_role_is_offered_only_the_forms_it_may_submit(zz, travel):
    application = accepted_hv(zz, travel)  # at 供电方案答复, the designer's stage
    inspector = as_user(zz.inspector).get(f"/work/applications/{application.pk}/").content.decode()
    assert forms_offered(inspector, application) == {"complete", "pause"}
    manager = as_user(zz.account_manager).get(f"/work/applications/{application.pk}/").content.decode()
    assert {"reject", "schemes", "fee"} <= forms_offered(manager, application)
    assert "assign" not in forms_offered(manager, application)  # reassigning is the supervisor's
    # What is not offered is refused if posted anyway.
    fee = as_user(zz.inspector).post(f"/work/applications/{application.pk}/fee/", {"item": "x", "amount": "1"})
    assert fee.status_code == 403
    # The site's one 403 page (core.middleware.DomainErrorPages), with the refusal's own words.
    assert "无权访问" in fee.content.decode() and "您的角色无权办理此项" in fee.content.decode()
    assert not application.fees.exists()


def test_design_review_warns_while_the_design_documents_are_missing(zz, travel):
    travel(at(2026, 9, 28, 10))
    application = hv_application(zz, supply="dual")  # a 10 kV dual supply goes through 设计审查
    travel(at(2026, 9, 29, 10))
    application = actions.application_accept(application=application, by=zz.account_manager)
    actions.stage_complete(application=application, code="scheme_reply", by=zz.designer, result="已答复")
    current = application.stages.filter(state=Stage.State.ACTIVE).get()
    assert current.code == "design_review"
    names = rules.document_names(application.policy_version)
    listed = rules.stage_documents(application.policy_version, application.category, "design_review")
    assert "design_documents" in listed
    page = text(as_user(zz.designer).get(f"/work/applications/{application.pk}/"))
    assert 'id="missing-documents"' in page and names["design_documents"] in page

    actions.document_upload(application=application, by=zz.account_manager, stage_code="design_review",
                            doc_type="design_documents", upload=SimpleUploadedFile(
                                "design.pdf", samples.pdf("design"), content_type="application/pdf"))
    page = text(as_user(zz.designer).get(f"/work/applications/{application.pk}/"))
    assert names["design_documents"] not in page.split('id="missing-documents"')[-1].split("</p>")[0]
    for code in set(listed) - {"design_documents"}:
        actions.document_upload(application=application, by=zz.account_manager, stage_code="design_review",
                                doc_type=code, upload=SimpleUploadedFile(
                                    f"{code}.pdf", samples.pdf(code), content_type="application/pdf"))
    assert 'id="missing-documents"' not in text(as_user(zz.designer).get(f"/work/applications/{application.pk}/"))


def late_files(team, travel, n: int, county_label: str):
    """n 10 kV files in one county, each past its scheme-reply limit, so each has a 督办."""
    travel(at(2026, 9, 28, 10))
    made = []
    for i in range(n):
        application, _ = actions.application_create(by=team.applicant, data=actions.ApplicationInput(
            **enterprise(county=team.county.code, site_address=f"{county_label}兴业路{i + 1}号")))
        made.append(actions.application_accept(application=application, by=team.account_manager))
    return made


def test_the_escalation_list_is_filtered_by_county_state_and_overdue_and_paged(zz, travel, overseers):  # noqa: F811
    mine = late_files(zz, travel, ESCALATIONS_PER_PAGE + 2, "台儿庄")
    due = mine[0].stages.get(code="scheme_reply").due_date
    travel(at(due.year, due.month, due.day, 10) + dt.timedelta(days=3))
    actions.stages_check_deadlines()
    assert Escalation.objects.count() == len(mine)
    first = Escalation.objects.order_by("id").first()
    actions.escalation_reply(escalation=first, by=zz.designer, reply="已联系客户")

    supervisor = as_user(zz.supervisor)
    page = supervisor.get("/work/escalations/")
    body = text(page)
    assert f"共 {len(mine)} 件" in body
    assert body.count('class="escalation esc-') == ESCALATIONS_PER_PAGE
    assert "第 1 / 2 页" in body and "page=2" in body
    second = text(supervisor.get("/work/escalations/", {"page": 2}))
    assert second.count('class="escalation esc-') == 2
    # A page number out of range or not a number shows a real page, never more than one page's worth.
    for wild in ("999", "-1", "abc", "1" * 40):
        assert text(supervisor.get("/work/escalations/", {"page": wild})).count('class="escalation esc-') \
            <= ESCALATIONS_PER_PAGE

    replied = text(supervisor.get("/work/escalations/", {"state": "replied"}))
    assert "共 1 件" in replied and first.stage.application.number in replied
    county = text(supervisor.get("/work/escalations/", {"county": zz.county.code}))
    assert f"共 {len(mine)} 件" in county and f'<option value="{zz.county.code}" selected>' in county
    assert "共 0 件" in text(supervisor.get("/work/escalations/", {"overdue": "1"}))
    late = Escalation.objects.get(pk=first.pk).due_date + dt.timedelta(days=1)
    travel(at(late.year, late.month, late.day, 10))
    overdue = text(supervisor.get("/work/escalations/", {"overdue": "1"}))
    assert f"共 {len(mine)} 件" in overdue
    actions.escalation_close(escalation=first, by=zz.supervisor)
    assert f"共 {len(mine) - 1} 件" in text(supervisor.get("/work/escalations/", {"overdue": "1"}))
    assert "共 1 件" in text(supervisor.get("/work/escalations/", {"overdue": "0"}))
    # The regulator over the province sees the same list, filtered the same way.
    regulator = text(as_user(overseers.regulator).get("/work/escalations/", {"state": "closed"}))
    assert "共 1 件" in regulator
