"""/public/<region>/: every region renders from the policy in force, without login, cacheable,
names not codes; the report form queues for the regulator with its clock; staff self-check."""
import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.errors import Forbidden
from core.models import Event, OutboxMessage
from disclosure import actions, queries
from disclosure.models import GoodPractice, PublishedDocument, ViolationReport
from policies.models import PolicyVersion

CST = ZoneInfo("Asia/Shanghai")
REGIONS = ["zaozhuang", "zhejiang", "shaanxi"]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("region", REGIONS)
def test_each_region_page_shows_the_policy_in_force_by_name(client, published, region):
    response = client.get(f"/public/{region}/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert "<script" not in response.content.decode()
    shown = text_of(response)
    doc = PolicyVersion.objects.filter(region=region).latest("effective_from").policy()
    assert doc.name in shown
    for category in doc.categories.values():
        if category.stages:
            assert category.name in shown
            assert all(stage.name in shown for stage in category.stages)
    assert "95598" in shown and "12398" in shown and "三指定" in shown
    assert doc.fees.items["high_reliability_supply"].name in shown
    assert "配电网可开放容量数据尚未发布" in shown and "近期没有计划停电" in shown
    # Names, not codes.
    assert not re.search(r"\b(lv_sanling|hv_single|acceptance|scheme_reply|workday|high_reliability_supply)\b", shown)


def test_a_signed_in_visitor_gets_the_same_page_but_never_a_shared_cached_copy(client, world, published):
    anonymous = text_of(client.get("/public/shaanxi/"))
    client.force_login(world.carol)
    signed_in = client.get("/public/shaanxi/")
    assert "no-store" in signed_in["Cache-Control"]
    assert text_of(signed_in) == anonymous and "carol" not in anonymous


def test_limits_carry_their_units_as_the_seeds_write_them(client, published):
    zz = text_of(client.get("/public/zaozhuang/"))
    assert "个工作日" in zz
    zj = text_of(client.get("/public/zhejiang/"))
    assert re.search(r"\d+ 天", zj)


def test_the_library_lists_the_seed_documents_and_tariffs_are_public_before_they_apply(client, published):
    assert "浙发改能源〔2021〕177号" in text_of(client.get("/public/zhejiang/"))
    assert "审批政策文件尚未公开" in text_of(client.get("/public/shaanxi/"))
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=CST), tick=False):
        from core.errors import InvalidInput

        with pytest.raises(InvalidInput) as late:
            actions.document_publish(region="shaanxi", by=None, kind="tariff", title="关于调整销售电价的通知",
                                     issuer="陕西省发展和改革委员会", issued_on=dt.date(2026, 5, 20),
                                     effective_from=dt.date(2026, 6, 1))
        assert "effective_from" in late.value.fields
        actions.document_publish(region="shaanxi", by=None, kind="tariff", title="关于调整销售电价的通知",
                                 number="陕发改价格〔2026〕1号", issuer="陕西省发展和改革委员会",
                                 issued_on=dt.date(2026, 5, 20), effective_from=dt.date(2026, 7, 1))
        shown = text_of(client.get("/public/shaanxi/"))
    assert "2026年7月1日起执行" in shown and "即将执行的调整" in shown


def test_a_report_of_designation_queues_for_the_regulator_with_its_clock(client, published):
    with time_machine.travel(dt.datetime(2026, 9, 30, 10, tzinfo=CST), tick=False):
        empty = client.post("/public/zhejiang/report/", {"kind": "designation", "description": ""})
        assert empty.status_code == 400 and "必填" in text_of(empty)
        response = client.post("/public/zhejiang/report/", {
            "kind": "designation", "description": "客户经理要求必须找指定公司施工", "reporter_phone": "138 0000 0000",
            "idempotency_key": "once"})
        again = client.post("/public/zhejiang/report/", {
            "kind": "designation", "description": "客户经理要求必须找指定公司施工", "idempotency_key": "once"})
    assert response.status_code == 200 and again.status_code == 200
    report = ViolationReport.objects.get()
    assert "13800000000" not in report.reporter_phone_enc.replace(" ", "")
    # 10 working days from 30 September 2026 skip the National Day holiday.
    assert report.due_date > dt.date(2026, 10, 14)
    assert f"{report.due_date:%Y年%-m月%-d日}" in text_of(response)
    assert Event.objects.filter(verb="disclosure.violation_reported").count() == 1
    counts = queries.violation_counts(region="zhejiang", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
    assert counts["designation"] == 1 and counts["irregular_fee"] == 0


def test_the_regulator_closes_a_report_and_the_self_check_reflects_live_data(client, world, published):
    report = actions.violation_report(region="shaanxi", kind="irregular_fee", description="收取了接户线费用",
                                      reporter_name="赵先生", reporter_phone="13900000001")
    client.force_login(world.rita)
    page = text_of(client.get("/public/shaanxi/manage/"))
    assert "收取了接户线费用" in page and "未公开" in page
    client.post("/public/shaanxi/manage/violation-close/",
                {"report": report.pk, "finding": "经查属实，已责令退费", "substantiated": "yes"})
    report.refresh_from_db()
    assert report.state == "closed" and report.substantiated is True
    told = OutboxMessage.objects.filter(key__startswith=f"violation:{report.pk}:closed").first()
    assert "经查属实" in told.text
    client.force_login(world.alice)
    refused = client.get("/public/shaanxi/manage/")
    # The site's own 403 page (core.middleware.DomainErrorPages) says why.
    assert refused.status_code == 403 and "无权查看信息公开管理" in text_of(refused)


def test_good_practices_are_published_only_after_review(client, world, published):
    practice = actions.practice_submit(region="shaanxi", by=world.carol, title="“刷脸办电”一次办成",
                                       body="居民用户凭身份证刷脸即可办电。")
    assert "刷脸办电" not in text_of(client.get("/public/shaanxi/"))
    with pytest.raises(Forbidden):
        actions.practice_review(practice=practice, by=world.carol, publish=True)
    actions.practice_review(practice=practice, by=world.rita, publish=True)
    assert GoodPractice.objects.get().state == "published"
    assert "刷脸办电" in text_of(client.get("/public/shaanxi/"))


def test_unknown_region_is_404_and_the_index_lists_regions_by_name(client, published):
    assert client.get("/public/atlantis/").status_code == 404
    index = text_of(client.get("/public/"))
    assert "枣庄市" in index and "浙江省" in index and "陕西省" in index and "国家现行规定" not in index
    assert PublishedDocument.objects.count() == 2
