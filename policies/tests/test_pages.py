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
    for note in doc.notes:
        assert note.topic in page


def test_zhejiang_page_by_date_and_by_version(client, loaded, policies):
    page = client.get("/policies/zhejiang/", {"on": "2022-06-01"}).content.decode()
    doc = policies.in_force("zhejiang", date(2022, 6, 1)).document
    assert "版本 2022" in page
    cited = doc.categories["lv_nonresidential"].full_process_limit.source.removeprefix(doc.seed).strip()
    assert cited in page
    assert "单向规则的明示例外" in page  # the 2023 town SAIDI exception is shown, not hidden
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
