"""The public policy pages: anyone can read every limit with its citation."""
from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.django_db


def test_list_page_shows_every_region(client, loaded, policies):
    response = client.get("/policies/")
    assert response.status_code == 200
    page = response.content.decode()
    for region in policies.regions():
        assert f"/policies/{region}/" in page
    assert "zhejiang/?version=2022" in page


def test_list_page_before_loading_says_what_to_do(client):
    response = client.get("/policies/")
    assert response.status_code == 200
    assert "getpower policy load" in response.content.decode()


@pytest.mark.parametrize("region", ["national", "zaozhuang", "zhejiang", "shaanxi"])
def test_every_region_page_renders_with_citations(client, loaded, policies, region):
    response = client.get(f"/policies/{region}/")
    assert response.status_code == 200
    page = response.content.decode()
    doc = policies.snapshots(region)[-1].document
    for category in doc.categories.values():
        assert category.name in page
    assert 'class="cite"' in page
    _speaks_to_people(page, doc)


def _speaks_to_people(page, doc):
    """Names, not codes; document names, not file names; no internal notes."""
    import re

    for code in doc.categories:
        assert f">{code}<" not in page and f" {code} " not in page, code
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", page)
    assert "见注" not in page
    for note in doc.notes:
        assert note.id not in page.replace(f"/api/v1/policies/{doc.region}", "")
        assert note.reason not in page
    assert f"/api/v1/policies/{doc.region}?on=" in page  # the readings stay public, as data


def test_what_it_means_for_you_per_category(client, loaded, policies):
    from policies.present import amount

    page = client.get("/policies/zhejiang/", {"on": "2022-06-01"}).content.decode()
    doc = policies.in_force("zhejiang", date(2022, 6, 1)).document
    assert page.count('data-testid="for-people"') == len([c for c in doc.categories.values() if c.stages])
    hv = doc.categories["hv_single"]
    assert f"供电企业办理的环节合计不超过 <strong>{amount(hv.grid_side_limit)}</strong>" in page
    reply = next(s for s in hv.stages if s.code == "scheme_reply")
    assert f"<strong>{reply.name}</strong>：{amount(reply.limit)}内" in page
    assert "无单独时限，计入合计时限（仅重要或高风险用户需要这一环节）" in page  # the borrowed stages
    assert "您只需提供：" + doc.document_types["applicant_id"].name in page
    sanling = doc.categories["lv_sanling"]
    assert f"用电容量不超过 {amount(sanling.applies_to.capacity_max)}" in page
    assert f"从申请到接电全过程不超过 <strong>{amount(sanling.full_process_limit)}</strong>" in page
    scope = doc.zero_investment.scope["lv_small_micro"]
    assert f"{scope.name}：城乡 {amount(scope.thresholds['all'])} 及以下，接电工程由供电企业投资，您不出钱（零投资）" in page
    _speaks_to_people(page, doc)


def test_zaozhuang_page_says_lv_up_to_the_cap_is_for_sanling_customers(client, loaded, policies):
    page = client.get("/policies/zaozhuang/").content.decode()
    doc = policies.snapshots("zaozhuang")[-1].document
    assert doc.connection.sanling
    assert "实行“三零”服务的用户在" in page


def test_zhejiang_page_by_date_and_by_version(client, loaded, policies):
    page = client.get("/policies/zhejiang/", {"on": "2022-06-01"}).content.decode()
    doc = policies.in_force("zhejiang", date(2022, 6, 1)).document
    assert "版本 2022" in page
    cited = doc.categories["lv_nonresidential"].full_process_limit.source.removeprefix(doc.seed).strip()
    assert cited in page
    assert "宽于上一年的目标（文件原文如此）" not in page  # 2022 has no loosened target
    later = client.get("/policies/zhejiang/", {"on": "2023-06-01"}).content.decode()
    assert later.count("宽于上一年的目标（文件原文如此）") == 1  # the 2023 town SAIDI, shown, not hidden
    assert "版本 2021" in client.get("/policies/zhejiang/", {"version": "2021"}).content.decode()


def test_bad_date_on_a_page_is_explained(client, loaded):
    response = client.get("/policies/zhejiang/", {"on": "2022-13-01"})
    assert response.status_code == 400
    assert "格式不对" in response.content.decode()
    response = client.get("/policies/zhejiang/", {"on": "2019-01-01"})
    assert response.status_code == 404
    assert "2019-01-01 时浙江省尚无生效的版本" in response.content.decode()
    response = client.get("/policies/zhejiang/", {"version": "1999"})
    assert response.status_code == 404
    assert "浙江省没有版本“1999”" in response.content.decode()


def test_unknown_region_page_is_404(client, loaded):
    assert client.get("/policies/atlantis/").status_code == 404


def test_zaozhuang_page_shows_the_stage_count_promise_and_where_annex_1_exceeds_it(client, loaded, policies):
    page = client.get("/policies/zaozhuang/").content.decode()
    assert "承诺办电环节不超过 4 个；本类按文件附表有 6 个环节" in page
    assert "承诺办电环节不超过 2 个。" in page


def test_the_next_day_promise_reads_as_a_bound_on_the_whole_process(client, loaded, policies):
    from policies.present import amount

    doc = policies.snapshots("zaozhuang")[-1].document
    page = client.get("/policies/zaozhuang/").content.decode()
    limit = amount(doc.next_day_connection.limit)
    lv = [c for c in doc.categories.values() if c.applies_to is not None and c.applies_to.voltage == "lv"]
    assert page.count(f"从申请到接电的全过程不超过 <strong>{limit}</strong>") == len(lv)
    assert "约束整个办理过程，不只是最后一个环节" in page
    assert "当日申请，次日接电" not in client.get("/policies/zhejiang/").content.decode()


def test_list_page_names_regions_and_versions_in_chinese(client, loaded, policies):
    import re

    page = client.get("/policies/").content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    for region in policies.regions():
        assert policies.snapshots(region)[-1].document.name in text
        assert re.search(rf"\b{region}\b", text) is None, region  # in the links, never in the words
    assert re.search(r"\bcurrent\b", text) is None  # the root's version reads 现行
    assert "现行" in text
