"""明码标价 and free choice: a fee comes from the region's catalogue with the catalogue's basis,
anything else is refused and logged; only the applicant records designer/builder/supplier."""
import pytest

from applications.tests.conftest import county_team
from applications.tests.test_flows import as_user, post
from applications.tests.test_schemes import accepted_hv
from core.models import Event
from policies.models import PolicyVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def zj(db, policies):
    return county_team(region="zhejiang", province_code="330000", province="浙江省", city_code="330100", city="杭州市",
                       city_group="hangzhou_ningbo", county_code="330106", county="西湖区", slug="xh")


def test_a_fee_takes_its_name_and_basis_from_the_catalogue_in_force(zj, travel):
    app_id = accepted_hv(zj, travel, supply="dual")
    catalogue = PolicyVersion.objects.filter(region="zhejiang").latest("effective_from").policy().fees
    item = catalogue.items["high_reliability_supply"]
    ok = post(as_user(zj.account_manager), f"/api/v1/applications/{app_id}/fees",
              {"item": "high_reliability_supply", "amount": "8000"})
    assert ok.status_code == 200, ok.content
    assert ok.json()["fees"][0]["item"] == item.name and ok.json()["fees"][0]["basis"] == item.basis


def test_a_fee_outside_the_catalogue_is_refused_and_the_attempt_logged(zj, travel):
    app_id = accepted_hv(zj, travel)
    refused = post(as_user(zj.account_manager), f"/api/v1/applications/{app_id}/fees",
                   {"item": "延伸服务费", "amount": "300"})  # Zhejiang's catalogue has no extension services
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "not_in_policy"
    assert "高可靠性供电费" in refused.json()["error"]["message"]
    assert Event.objects.filter(verb="policy.refused", data__what="item").exists()


def test_only_the_applicant_chooses_designer_builder_supplier(zj, travel):
    app_id = accepted_hv(zj, travel)
    url = f"/api/v1/applications/{app_id}/contractors"
    designated = as_user(zj.account_manager).put(url, {"role": "builder", "name": "某关联施工公司"},
                                                 content_type="application/json")
    assert designated.status_code == 403
    applicant = as_user(zj.applicant)
    chosen = applicant.put(url, {"role": "builder", "name": "杭州某电力安装有限公司"}, content_type="application/json")
    assert chosen.status_code == 200, chosen.content
    assert chosen.json() == [
        {"role": "builder", "name": "杭州某电力安装有限公司", "uscc": "", "chosen_at": chosen.json()[0]["chosen_at"]}]
    bad = applicant.put(url, {"role": "mayor", "name": "x"}, content_type="application/json")
    assert bad.status_code == 422 and "role" in bad.json()["error"]["fields"]
    assert as_user(zj.account_manager).get(url).json()[0]["name"] == "杭州某电力安装有限公司"
