"""Oversight on the hand-checked Zaozhuang October (one LV case on time, one late): the energy
bureau issues a 通报, draws a spot check, records a 约谈 with a follow-up, reads the 业绩考核."""
import io
from datetime import date

import pytest
from django.test import Client

from accounts import actions as accounts
from accounts.models import Organisation
from accounts.roles import Role
from applications.tests.conftest import at
from core.errors import DomainError, NotFound
from core.models import Event, OutboxMessage
from monitoring import appraisal, queries, sampling
from monitoring.actions import (
    bulletin_issue,
    follow_up_close,
    inspection_record,
    spot_check_draw,
    spot_check_finding_record,
)
from monitoring.models import ApplicationFact, Bulletin, SpotCheckItem
from monitoring.tests.test_indicators import october  # noqa: F401 (the hand-checked October)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(zz):
    office = accounts.organisation_create(code="zz-energy", name="枣庄市能源局", kind=Organisation.Kind.ENERGY_BUREAU,
                                          division=zz.county.parent)
    return accounts.user_create(username="zz_bureau", password="correct-horse-42", role=Role.ENERGY_BUREAU,
                                organisation=office, display_name="周敏")


def test_a_bulletin_ranks_the_county_names_its_misses_and_reaches_its_supervisor(october, zz, bureau):
    made = bulletin_issue(region="zaozhuang", period="2026-10", by=bureau)
    row = next(r for r in made.rows if r["code"] == zz.county.code)
    assert row["county"] == "台儿庄区" and row["utility"] == "台儿庄区供电公司" and row["rank"] == 1
    assert row["missed"] >= 1 and any("电网环节逐案不超时限的比例" in name for name in row["misses"])
    assert made.file.read().startswith(b"%PDF")
    message = OutboxMessage.objects.get(kind="bulletin_issued", user=zz.supervisor, channel="inapp")
    assert "台儿庄区排名第1" in message.text and made.recipients == 1
    assert Event.objects.filter(verb="bulletin.published").count() == 1
    with pytest.raises(DomainError) as again:
        bulletin_issue(region="zaozhuang", period="2026-10", by=bureau)
    assert "period" in again.value.fields and Bulletin.objects.count() == 1


def test_bulletin_pages_issue_show_and_serve_the_pdf(october, zz, bureau):
    client = Client()
    client.force_login(bureau)
    answer = client.post("/monitor/bulletins/", {"region": "zaozhuang", "period": "2026-10"})
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert "枣庄" in page and "台儿庄区" in page and "最好" in page and "周敏" in page
    pdf = client.get(answer["Location"], {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    bad = client.post("/monitor/bulletins/", {"region": "zaozhuang", "period": "2026-13"})
    assert bad.status_code == 400 and "月份须在" in bad.content.decode()
    supervisor = Client()
    supervisor.force_login(zz.supervisor)
    assert "枣庄" in supervisor.get("/monitor/bulletins/").content.decode()
    assert supervisor.post("/monitor/bulletins/", {"region": "zaozhuang", "period": "2026-09"}).status_code == 403


def test_a_spot_check_is_a_seeded_logged_draw_reviewed_case_by_case(october, zz, bureau):
    check = spot_check_draw(county=zz.county.code, period="2026-10", size=1, seed=20261101, by=bureau)
    population = list(ApplicationFact.objects.filter(county=zz.county).values_list("application_id", flat=True))
    assert check.population == 2
    assert [i.application_id for i in check.items.all()] == sampling.draw(population, size=1, seed=20261101)
    drawn = Event.objects.get(verb="spot_check.drawn")
    assert drawn.data["seed"] == 20261101 and drawn.data["sample"] == [check.items.get().application_id]
    with pytest.raises(DomainError) as again:
        spot_check_draw(county=zz.county.code, period="2026-10", size=1, by=bureau)
    assert "period" in again.value.fields
    with pytest.raises(DomainError) as too_many:
        spot_check_draw(county=zz.county.code, period="2026-09", size=0, by=bureau)
    assert "size" in too_many.value.fields
    item = check.items.get()
    with pytest.raises(DomainError) as silent:
        spot_check_finding_record(item=item, verdict="problem", finding=" ", by=bureau)
    assert "finding" in silent.value.fields
    spot_check_finding_record(item=item, verdict="problem", finding="受理时间与纸质资料不符", by=bureau)
    item.refresh_from_db()
    assert (item.verdict, item.reviewed_by) == (SpotCheckItem.Verdict.PROBLEM, bureau)
    assert Event.objects.filter(verb="spot_check.finding_recorded").exists()


def test_spot_check_pages_draw_and_record_a_finding(october, zz, bureau):
    client = Client()
    client.force_login(bureau)
    answer = client.post("/monitor/spot-checks/?region=zaozhuang",
                         {"county": zz.county.code, "period": "2026-10", "size": "2", "seed": "7"})
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert "随机种子 7" in page and "待核查" in page
    item = SpotCheckItem.objects.order_by("position").first()
    saved = client.post(f"/monitor/spot-checks/items/{item.pk}/", {f"i{item.pk}-verdict": "conforms",
                                                                   f"i{item.pk}-finding": ""})
    assert saved.status_code == 302
    assert "符合规定" in client.get(answer["Location"]).content.decode()
    refused = client.post(f"/monitor/spot-checks/items/{item.pk}/", {f"i{item.pk}-verdict": "problem"})
    assert refused.status_code == 400 and "请写明问题" in refused.content.decode()


def test_a_bureau_elsewhere_cannot_draw_in_this_county(october, zz, zj):
    office = accounts.organisation_create(code="hz-energy", name="杭州市能源局", kind=Organisation.Kind.ENERGY_BUREAU,
                                          division=zj.county.parent)
    hangzhou = accounts.user_create(username="hz_bureau", password="correct-horse-42", role=Role.ENERGY_BUREAU,
                                    organisation=office)
    with pytest.raises(NotFound):
        spot_check_draw(county=zz.county.code, period="2026-10", size=1, by=hangzhou)


def test_an_interview_with_a_follow_up_is_recorded_told_and_closed(october, zz, bureau, travel):
    record = inspection_record(kind="interview", county=zz.county.code, held_on=date(2026, 11, 2),
                               subject="10月低压居民接电超时约谈", findings="1件低压居民用电超时限5个工作日。",
                               follow_ups=[("逐户核查10月超时原因并报送整改报告", date(2026, 11, 16))], by=bureau)
    follow_up = record.follow_ups.get()
    message = OutboxMessage.objects.get(kind="follow_up_due", user=zz.supervisor, channel="inapp")
    assert "2026-11-16" in message.text and "约谈" in message.text
    travel(at(2026, 11, 20, 9))
    client = Client()
    client.force_login(zz.supervisor)
    page = client.get("/monitor/inspections/").content.decode()
    assert "逐户核查10月超时原因" in page and "已逾期" in page
    with pytest.raises(DomainError):
        follow_up_close(follow_up=follow_up, result="", by=zz.supervisor)
    closed = client.post(f"/monitor/follow-ups/{follow_up.pk}/close/", {"result": "已核查，整改报告已报送"})
    assert closed.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.closed_at is not None
    assert Event.objects.get(verb="follow_up.closed").data["late"] is True
    with pytest.raises(DomainError) as future:
        inspection_record(kind="inspection", county=zz.county.code, held_on=date(2026, 12, 1), subject="检查",
                          findings="无", follow_ups=[], by=bureau)
    assert "held_on" in future.value.fields


def test_inspection_form_records_with_follow_ups(october, zz, bureau):
    client = Client()
    client.force_login(bureau)
    answer = client.post("/monitor/inspections/?region=zaozhuang", {
        "kind": "inspection", "county": zz.county.code, "held_on": "2026-11-01", "subject": "季度监督检查",
        "findings": "抽查2件，1件超时。", "action_1": "完善超时预警", "due_1": "2026-11-30", "action_2": "补登记",
        "due_2": ""})
    assert answer.status_code == 400 and "请填写整改期限" in answer.content.decode()
    answer = client.post("/monitor/inspections/?region=zaozhuang", {
        "kind": "inspection", "county": zz.county.code, "held_on": "2026-11-01", "subject": "季度监督检查",
        "findings": "抽查2件，1件超时。", "action_1": "完善超时预警", "due_1": "2026-11-30"})
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    assert "监督检查：季度监督检查" in page and "完善超时预警" in page and "周敏" in page


def test_the_appraisal_scores_the_county_from_its_indicators_with_weights_as_data(october, zz, bureau):
    from openpyxl import load_workbook

    scheme = appraisal.load()
    produced = set()
    for region in ("zaozhuang", "zhejiang", "shaanxi"):
        scope = queries.scope_for(region=region, period=queries.period_from("2026"))
        produced |= {m.code for m in queries.measures(scope)}
    named = {code for item in scheme.items for code in item.indicators}
    assert named <= produced, f"appraisal names indicators nobody computes: {named - produced}"

    client = Client()
    client.force_login(bureau)
    page = client.get("/monitor/appraisal/", {"region": "zaozhuang", "year": "2026"})
    html = page.content.decode()
    assert page.status_code == 200 and "台儿庄区" in html and scheme.items[0].reason in html
    export = client.get("/monitor/appraisal/", {"region": "zaozhuang", "year": "2026", "format": "xlsx"})
    book = load_workbook(io.BytesIO(export.content))
    rows = list(book["业绩考核"].values)
    county = next(r for r in rows if r[1] == "台儿庄区")
    time_item = rows[1].index(next(h for h in rows[1] if h and h.startswith(scheme.items[0].name)))
    # October's late case misses the grid-side limits: the time item earns less than its weight.
    assert county[0] == 1 and 0 <= county[3] < 100 and county[time_item] < scheme.items[0].weight
    assert [r[3] for r in list(book["权重与理由"].values)[1:len(scheme.items) + 1]] == [i.reason for i in scheme.items]
    bad = client.get("/monitor/appraisal/", {"region": "zaozhuang", "year": "20x6"})
    assert bad.status_code == 400
