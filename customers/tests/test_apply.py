"""Apply online: the preview reads the policy in force; submitting calls application_create."""
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import actions as app_actions
from applications import rules
from applications.models import Application
from applications.tests import samples
from applications.tests.conftest import at, person
from customers.tests.conftest import as_user

pytestmark = pytest.mark.django_db
PDF = samples.pdf("a scanned ID card")


def form(county, **overrides):
    body = {"business_type": "new", "county": county.code, "site_address": "台儿庄区古城路8号",
            "area_category": "urban", "capacity_kw": "8", "voltage_kv": "auto", "supply": "single",
            "applicant_kind": "person", "applicant_name": "王芳", "id_number": "11010519491231002X",
            "uscc": "", "contact_phone": "13800000000", "residential": "on", "idempotency_key": "k-1"}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def in_force(county):
    return rules.version_in_force(county.policy_region, timezone.localdate())


def test_preview_shows_category_stages_limits_documents_and_zero_investment_from_the_policy(zz, travel):
    travel(at(2026, 9, 29, 9))
    client = as_user(zz.applicant)
    response = client.post("/me/apply/preview/", form(zz.county))
    assert response.status_code == 200
    html = response.content.decode()
    version = in_force(zz.county)
    doc = rules.document(version)
    category = doc.categories["lv_residential"]
    assert f'data-testid="category">{category.name}<' in html
    assert version.version in html
    total = category.grid_side_limit or category.full_process_limit
    for stage in category.stages:
        assert stage.name in html
    assert f"{total.value:g} 个工作日" in html  # the LV stages share the category's grid-side total
    for code in rules.allowed_documents(version, "lv_residential", "acceptance"):
        assert doc.document_types[code].name in html
    # Residential customers are in the policy's zero-investment scope.
    assert 'data-testid="zero-investment">适用' in html
    assert "已有，免提交" not in html


def test_voltage_is_suggested_from_capacity_per_the_policy(zz, travel):
    travel(at(2026, 9, 29, 9))
    client = as_user(zz.applicant)
    doc = rules.document(in_force(zz.county))
    bound = doc.connection.lv_capacity_max.value
    low = client.post("/me/apply/preview/", form(zz.county, capacity_kw=str(bound), residential=None,
                                                 sanling="on")).content.decode()
    assert f'data-testid="suggested-voltage">{doc.voltage_classes.lv.max.value:g} kV' in low
    # Zaozhuang's LV capacity is for 三零 customers only (三(三)1): an ordinary business chooses.
    assert doc.connection.sanling
    ordinary = client.post("/me/apply/preview/", form(zz.county, capacity_kw=str(bound), residential=None,
                                                      applicant_kind="enterprise")).content.decode()
    assert 'data-testid="suggested-voltage"' not in ordinary
    assert "请选择电压等级" in ordinary
    high = client.post("/me/apply/preview/", form(zz.county, capacity_kw=str(bound * 5), residential=None,
                                                  applicant_kind="enterprise")).content.decode()
    assert 'data-testid="suggested-voltage">10 kV' in high
    assert f'data-testid="category">{doc.categories["hv10_single"].name}<' in high  # resolved from the suggestion


def test_submitting_creates_an_online_application_and_shows_its_page(zz, travel):
    travel(at(2026, 9, 29, 9))
    client = as_user(zz.applicant)
    assert client.get("/me/apply/").status_code == 200
    response = client.post("/me/apply/", form(zz.county))
    assert response.status_code == 302
    application = Application.objects.get(applicant_user=zz.applicant)
    assert response["Location"] == f"/me/applications/{application.pk}/"
    assert application.channel == "online" and application.category == "lv_residential"
    assert str(application.voltage_kv) == "0.38"
    # A double click (same form key) does not file twice.
    again = client.post("/me/apply/", form(zz.county))
    assert again["Location"] == response["Location"]
    assert Application.objects.filter(applicant_user=zz.applicant).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert application.number in page and application.stages.get(seq=1).name in page


def test_errors_from_the_action_show_next_to_their_field(zz, travel):
    travel(at(2026, 9, 29, 9))
    client = as_user(zz.applicant)
    response = client.post("/me/apply/", form(zz.county, id_number="110105194912310021"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_id_number-error"' in html and "校验码错误" in html
    # The summary at the top links to each field that needs fixing.
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_id_number"' in summary and "校验码错误" in summary
    # The submit button comes after the policy preview (a phone reads top to bottom).
    assert html.index('id="preview"') < html.index('form="apply-form"')
    assert not Application.objects.exists()


def test_documents_already_held_are_not_asked_again(zz, travel):
    """四免: the ID uploaded on an earlier application shows as held; the property certificate does not."""
    travel(at(2026, 9, 29, 9))
    earlier, _ = app_actions.application_create(by=zz.applicant, data=app_actions.ApplicationInput(
        county=zz.county.code, **person()))
    app_actions.document_upload(application=earlier, by=zz.applicant, stage_code="acceptance",
                                doc_type="applicant_id",
                                upload=SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf"))
    names = rules.document_names(in_force(zz.county))
    html = as_user(zz.applicant).post("/me/apply/preview/", form(zz.county)).content.decode()
    assert f"{names['applicant_id']} <span class=\"doc-held\">✓ 已有，免提交" in html
    assert f"{names['property_certificate']} <span" not in html
    # Another applicant holds nothing.
    other = as_user(zz.account_manager).post("/me/apply/preview/", form(zz.county)).content.decode()
    assert "已有，免提交" not in other


def test_the_national_rule_is_suggested_where_the_policy_states_no_lv_capacity(world, policies):
    """Shaanxi's policy has no LV connection capacity: the national rule suggests, and says so."""
    doc = rules.document(in_force(world.divisions.yanta))
    assert doc.connection is None
    client = as_user(world.alice)
    body = form(world.divisions.yanta, site_address="雁塔区科技路1号")
    html = client.post("/me/apply/preview/", body).content.decode()
    assert "按国家规定建议" in html and "suggested-voltage" in html
    # Two utilities serve 雁塔区: the action asks which, next to the field.
    ambiguous = client.post("/me/apply/", {**body, "voltage_kv": "0.22"})
    assert ambiguous.status_code == 400 and 'id="id_utility-error"' in ambiguous.content.decode()
    chosen = client.post("/me/apply/", {**body, "voltage_kv": "0.22", "utility": "sxdd"})
    assert chosen.status_code == 302
    assert Application.objects.get(applicant_user=world.alice).utility.code == "sxdd"


@pytest.mark.parametrize("capacity, expected", [("8", "0.38"), ("800", "10")])
def test_the_suggested_voltage_falls_back_to_the_national_rule_and_says_so(db, policies, travel, capacity, expected):
    """Shaanxi states no LV connection capacity: 8 kW and 800 kW still get a suggestion and apply."""
    from applications.models import Application
    from applications.tests.conftest import county_team

    sx = county_team(region="shaanxi", province_code="610000", province="陕西省", city_code="610100", city="西安市",
                     city_group="xian", county_code="610113", county="雁塔区", slug="yt")
    travel(at(2026, 11, 23, 9))
    client = as_user(sx.applicant)
    values = {"county": sx.county.code, "capacity_kw": capacity, "voltage_kv": "auto", "area_category": "urban",
              "supply": "single", "business_type": "new"}
    preview = client.post("/me/apply/preview/", values).content.decode()
    assert f"{expected} kV" in preview and "按国家规定建议" in preview and "供电营业规则" in preview
    body = {**values, "site_address": "雁塔区科技路1号", "applicant_kind": "enterprise", "applicant_name": "西安某公司",
            "uscc": "91350100M000100Y43", "contact_phone": "13800000000", "idempotency_key": f"sx-{capacity}",
            "utility": ""}
    response = client.post("/me/apply/", body)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Application.objects.get().voltage_kv == Decimal(expected)


def test_capacity_is_stated_in_kw_and_stored_in_kva_by_the_policys_power_factor(zz, travel):
    from policies.power import kva_from_kw

    travel(at(2026, 9, 29, 9))
    client = as_user(zz.applicant)
    version = in_force(zz.county)
    factor = rules.power_factor(version)
    assert factor is not None  # a national setting, with its reason
    expected = kva_from_kw(Decimal("8"), factor)
    preview = client.post("/me/apply/preview/", form(zz.county)).content.decode()
    assert 'data-testid="capacity">8 kW<' in preview and f"折合 {expected} kVA" in preview
    assert 'id="capacity-kva"' in preview and 'hx-swap-oob="true"' in preview  # the note under the field too
    page = client.get("/me/apply/").content.decode()
    assert "用电容量（kW）" in page and "用电容量（kVA）" not in page
    client.post("/me/apply/", form(zz.county))
    assert Application.objects.get(applicant_user=zz.applicant).capacity_kva == expected


def test_a_customer_at_the_kw_threshold_stays_within_it(zz, travel):
    """The policy speaks in kW (三零 up to its LV capacity): the kVA stored is above that number,
    yet the application is judged on the kW the customer stated, at submission and at 受理."""
    from policies.power import kva_from_kw

    travel(at(2026, 9, 29, 9))
    version = in_force(zz.county)
    doc = rules.document(version)
    bound = doc.connection.lv_capacity_max
    assert bound.unit == "kW"
    body = form(zz.county, capacity_kw=f"{bound.value:g}", residential=None, sanling="on", applicant_kind="enterprise",
                applicant_name="台儿庄某商店", uscc="91350100M000100Y43", id_number="")
    preview = as_user(zz.applicant).post("/me/apply/preview/", body).content.decode()
    category = preview.split('data-testid="category">')[1].split("<")[0]
    assert as_user(zz.applicant).post("/me/apply/", body).status_code == 302
    application = Application.objects.get(applicant_user=zz.applicant)
    assert application.capacity_kva == kva_from_kw(Decimal(str(bound.value)), rules.power_factor(version))
    assert application.capacity_kva > Decimal(str(bound.value))
    assert str(application.voltage_kv) == f"{doc.voltage_classes.lv.max.value:g}"  # low voltage, as for ≤ the bound
    assert application.category_name == category and doc.categories[application.category].applies_to.sanling
    travel(at(2026, 9, 29, 10))
    accepted = app_actions.application_accept(application=application, by=zz.account_manager)
    assert accepted.category_name == category and accepted.zero_investment


@pytest.mark.parametrize("kw, message", [("0", "确保该值大于或等于0.1"), ("999999.9", "超过单个申请的上限")])
def test_a_capacity_out_of_bounds_is_refused_naming_the_field(zz, travel, kw, message):
    travel(at(2026, 9, 29, 9))
    response = as_user(zz.applicant).post("/me/apply/", form(zz.county, capacity_kw=kw))
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_capacity_kw"' in summary and "用电容量（kW）" in summary and message in summary
    assert not Application.objects.exists()
def test_an_enterprise_states_its_size_class_on_the_form(zz, travel):
    travel(at(2026, 9, 29, 9))
    client = as_user(zz.applicant)
    page = client.get("/me/apply/").content.decode()
    assert "企业规模" in page and "中型企业" in page
    body = form(zz.county, applicant_kind="enterprise", applicant_name="台儿庄酒业有限公司", id_number="",
                uscc="91350100M000100Y43", residential=None, capacity_kw="800", enterprise_size="medium")
    assert client.post("/me/apply/", body).status_code == 302
    assert Application.objects.get(applicant_user=zz.applicant).enterprise_size == "medium"
    refused = client.post("/me/apply/", {**body, "enterprise_size": "huge", "idempotency_key": "k-2"})
    assert refused.status_code == 400 and 'id="id_enterprise_size-error"' in refused.content.decode()
