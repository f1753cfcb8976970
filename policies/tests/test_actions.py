"""policy_load: atomic, idempotent, and never rewrites a stored (pinnable) version."""
from __future__ import annotations

from datetime import date

import pytest

from core.errors import Conflict, InvalidInput
from core.models import Event
from policies.actions import content_hash, policy_load
from policies.models import PolicyVersion
from policies.tests.conftest import read_raw, version_of

pytestmark = pytest.mark.django_db
# A later year's version names its deadline like any other (policies.effective).
NEW_YEAR = [{"text": "2024年底前", "source": "003_e17465e3b27c8d74.txt 二 工作目标"}]


def test_load_stores_every_snapshot_with_its_hash(policies):
    result = policy_load()
    expected = [(r, s.version) for r in policies.regions() for s in policies.snapshots(r)]
    assert sorted(result.inserted) == sorted(expected)
    for row in PolicyVersion.objects.all():
        assert row.sha256 == content_hash(row.document)
        snap = next(s for s in policies.snapshots(row.region) if s.version == row.version)
        assert row.effective_from == snap.effective_from
        assert row.policy() == snap.document  # what an application pins is what the files say
    assert Event.objects.filter(verb="policy.loaded").count() == len(expected)


def test_loading_again_changes_nothing(loaded):
    events = Event.objects.count()
    again = policy_load()
    assert again.inserted == [] and sorted(again.unchanged) == sorted(loaded.inserted)
    assert Event.objects.count() == events


def test_a_new_version_is_added_and_the_old_ones_kept(loaded, edit):
    def change(raw):
        latest = dict(version_of(raw, "2023"))
        raw["versions"].append(
            {"version": "2024", "effective_from": date(2024, 1, 1), "basis": "测试：新的一年", "deadlines": NEW_YEAR,
             "targets": latest.get("targets", {})}
        )

    result = policy_load(path=edit("zhejiang", change))
    assert result.inserted == [("zhejiang", "2024")]
    assert PolicyVersion.objects.filter(region="zhejiang").count() == len(read_raw("zhejiang")["versions"]) + 1


def test_changing_a_stored_version_is_refused_and_nothing_is_stored(loaded, edit):
    stored = PolicyVersion.objects.get(region="zhejiang", version="2021")

    def change(raw):
        stage = raw["versions"][0]["categories"]["hv_single"]["stages"][1]
        stage["limit"]["value"] -= 1
        raw["versions"].append({"version": "2024", "effective_from": date(2024, 1, 1), "basis": "测试", "deadlines": NEW_YEAR})

    with pytest.raises(Conflict) as caught:
        policy_load(path=edit("zhejiang", change))
    message = caught.value.message
    assert "refusing to change stored policy versions" in message
    assert "zhejiang 2021:" in message and "categories.hv_single.stages[1].limit.value" in message
    assert not PolicyVersion.objects.filter(version="2024").exists()
    assert PolicyVersion.objects.get(pk=stored.pk).sha256 == stored.sha256


def test_broken_files_store_nothing(db, edit):
    def change(raw):
        raw["versions"][0]["categories"]["hv_single"]["grid_side_limit"]["unit"] = "week"

    with pytest.raises(InvalidInput) as caught:
        policy_load(path=edit("zhejiang", change))
    assert "zhejiang.yaml: versions[0].categories.hv_single.grid_side_limit.unit" in caught.value.message
    assert PolicyVersion.objects.count() == 0


def test_the_database_refuses_two_rows_for_one_version(loaded):
    from django.db import IntegrityError, transaction

    row = PolicyVersion.objects.get(region="shaanxi", version="2021")
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyVersion.objects.create(
            region=row.region, name=row.name, version=row.version, effective_from=date(2030, 1, 1), document={}, sha256="0" * 64
        )
