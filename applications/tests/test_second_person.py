"""Issue 9 item 4: the second person of a two-person check, and the approver of a
force-majeure pause, act themselves. The API used to accept any active username as
`checked_by` (even the applicant) and another city's supervisor as the approver."""
import pytest

from accounts import actions as accounts
from accounts.roles import Role
from applications import actions
from applications.models import Confirmation, Pause, Stage
from applications.tests.conftest import PASSWORD, at, enterprise
from applications.tests.test_flows import as_user, post
from core.models import Event, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_inspection(zz, travel):
    """A 10 kV file in 台儿庄 waiting for its completion inspection, which the policy wants
    checked by two people."""
    travel(at(2026, 9, 28, 9))
    application, _ = actions.application_create(by=zz.applicant, data=actions.ApplicationInput(
        **enterprise(county=zz.county.code)))
    application = actions.application_accept(application=application, by=zz.account_manager)
    actions.stage_complete(application=application, code="scheme_reply", by=zz.designer, result="方案已答复")
    travel(at(2026, 9, 30, 10))
    return application


def complete_url(application):
    return f"/api/v1/applications/{application.pk}/stages/completion_inspection/complete"


def inspection(application):
    return Stage.objects.get(application=application, code="completion_inspection")


def test_a_checker_who_is_not_staff_of_the_handling_company_is_refused(zz, at_inspection):
    elsewhere = accounts.organisation_create(code="tez-other", name="别处供电公司", kind="utility",
                                             division=zz.county)
    outsider = accounts.user_create(username="tez_outsider", password=PASSWORD, role=Role.INSPECTOR,
                                    organisation=elsewhere)
    inspector = as_user(zz.inspector)
    for who in (zz.applicant, outsider):
        response = post(inspector, complete_url(at_inspection), {"result": "合格", "checked_by": who.username})
        assert response.status_code == 422, response.content
        assert "须为台儿庄区供电公司" in response.json()["error"]["fields"]["checked_by"]
    assert inspection(at_inspection).state == Stage.State.ACTIVE
    assert not Confirmation.objects.exists()


def test_naming_a_checker_puts_a_confirmation_in_their_queue_and_they_complete_it(zz, at_inspection):
    inspector = as_user(zz.inspector)
    asked = post(inspector, complete_url(at_inspection), {"result": "合格", "checked_by": zz.second_inspector.username,
                                                         "evidence_date": "2026-09-29"})
    assert asked.status_code == 200, asked.content
    assert inspection(at_inspection).state == Stage.State.ACTIVE  # nothing done on a name alone
    [waiting] = asked.json()["confirmations"]
    assert (waiting["kind"], waiting["confirmer"]) == ("stage_check", zz.second_inspector.username)
    assert OutboxMessage.objects.filter(user=zz.second_inspector, kind="confirmation_requested").exists()

    # Nobody else can answer it, not even the person who asked.
    for other in (zz.inspector, zz.supervisor):
        refused = post(as_user(other), f"/api/v1/applications/confirmations/{waiting['id']}/confirm")
        assert refused.status_code == 404
    mine = as_user(zz.second_inspector).get("/api/v1/applications/confirmations").json()
    assert [c["id"] for c in mine] == [waiting["id"]]

    done = post(as_user(zz.second_inspector), f"/api/v1/applications/confirmations/{waiting['id']}/confirm")
    assert done.status_code == 200, done.content
    stage = inspection(at_inspection)
    assert stage.state == Stage.State.DONE
    assert (stage.completed_by, stage.checked_by) == (zz.inspector, zz.second_inspector)
    assert str(stage.evidence_date) == "2026-09-29"
    assert Event.objects.filter(verb="confirmation.confirmed").count() == 1
    again = post(as_user(zz.second_inspector), f"/api/v1/applications/confirmations/{waiting['id']}/confirm")
    assert again.status_code == 404  # no longer pending


def test_the_checker_may_sign_in_the_same_request_with_their_own_password(zz, at_inspection):
    inspector = as_user(zz.inspector)
    wrong = post(inspector, complete_url(at_inspection), {"result": "合格", "checked_by": zz.second_inspector.username,
                                                         "checker_password": "not-their-password"})
    assert wrong.status_code == 422
    assert "checker_password" in wrong.json()["error"]["fields"]
    ok = post(inspector, complete_url(at_inspection), {"result": "合格", "checked_by": zz.second_inspector.username,
                                                      "checker_password": PASSWORD})
    assert ok.status_code == 200, ok.content
    assert inspection(at_inspection).checked_by == zz.second_inspector
    assert not Confirmation.objects.exists()


def test_a_declined_check_leaves_the_stage_open_and_tells_the_asker(zz, at_inspection):
    actions.stage_complete(application=at_inspection, code="completion_inspection", by=zz.inspector, result="合格",
                           checked_by=zz.second_inspector)
    waiting = Confirmation.objects.get()
    declined = post(as_user(zz.second_inspector), f"/api/v1/applications/confirmations/{waiting.pk}/decline",
                    {"note": "接地电阻未测"})
    assert declined.status_code == 200
    assert inspection(at_inspection).state == Stage.State.ACTIVE
    assert OutboxMessage.objects.filter(user=zz.inspector, kind="confirmation_declined").exists()


@pytest.fixture
def other_city_supervisor(zz):
    """A supervisor of a utility in another city of the same province."""
    import time_machine

    from conftest import BUILT_AT

    with time_machine.travel(BUILT_AT, tick=False):
        province = zz.county.parent.parent
        city = accounts.division_create(code="370100", name="济南市", level="city", parent=province,
                                        city_group="taierzhuang_gaoxin")
        county = accounts.division_create(code="370102", name="历下区", level="county", parent=city)
        org = accounts.organisation_create(code="jn-lixia", name="历下区供电公司", kind="utility", division=county)
        return accounts.user_create(username="jn_supervisor", password=PASSWORD, role=Role.SUPERVISOR,
                                    organisation=org)


def pause_url(application):
    return f"/api/v1/applications/{application.pk}/stages/completion_inspection/pause"


def test_a_force_majeure_pause_is_approved_by_a_supervisor_of_the_handling_company_only(
        zz, at_inspection, other_city_supervisor):
    inspector = as_user(zz.inspector)
    body = {"reason": "force_majeure", "note": "台风停工"}
    refused = post(inspector, pause_url(at_inspection), {**body, "approved_by": other_city_supervisor.username,
                                                        "approver_password": PASSWORD})
    assert refused.status_code == 422
    assert "approved_by" in refused.json()["error"]["fields"]
    not_a_supervisor = post(inspector, pause_url(at_inspection), {**body, "approved_by": zz.second_inspector.username})
    assert "approved_by" in not_a_supervisor.json()["error"]["fields"]
    assert not Pause.objects.exists()

    asked = post(inspector, pause_url(at_inspection), {**body, "approved_by": zz.supervisor.username})
    assert asked.status_code == 200
    assert inspection(at_inspection).state == Stage.State.ACTIVE
    waiting = Confirmation.objects.get(kind="force_majeure")
    post(as_user(zz.supervisor), f"/api/v1/applications/confirmations/{waiting.pk}/confirm")
    pause = Pause.objects.get()
    assert (pause.reason, pause.started_by, pause.approved_by) == ("force_majeure", zz.inspector, zz.supervisor)
    assert inspection(at_inspection).state == Stage.State.PAUSED


def test_a_supervisor_approving_on_the_spot_signs_with_their_password(zz, at_inspection):
    response = post(as_user(zz.inspector), pause_url(at_inspection),
                    {"reason": "force_majeure", "approved_by": zz.supervisor.username, "approver_password": PASSWORD})
    assert response.status_code == 200, response.content
    assert Pause.objects.get().approved_by == zz.supervisor
