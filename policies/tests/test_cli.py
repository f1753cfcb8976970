"""getpower policy load | list | show, in process and through the installed console script."""
from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

SHOW_KEYS = {"region", "name", "version", "effective_from", "unit", "categories", "approvals", "zero_investment", "reliability_targets",
             "documents"}
CATEGORY_KEYS = {"name", "unit", "stages", "grid_side_limit", "full_process_limit"}
STAGE_KEYS = {"code", "limit", "unit"}


def _run(*args) -> str:
    out = io.StringIO()
    call_command("policy", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_show_json_has_the_contract_keys(loaded, policies):
    data = json.loads(_run("show", "zaozhuang", "--on", "2022-08-01", "--json"))
    assert set(data) >= SHOW_KEYS
    snap = policies.in_force("zaozhuang", date(2022, 8, 1))
    assert (data["region"], data["version"], data["effective_from"]) == ("zaozhuang", snap.version, snap.effective_from.isoformat())
    assert set(data["categories"]) == set(snap.document.categories)
    for code, category in data["categories"].items():
        assert set(category) >= CATEGORY_KEYS, code
        for stage in category["stages"]:
            assert set(stage) >= STAGE_KEYS, code
    hv = data["categories"]["hv10_dual"]
    expected = snap.document.categories["hv10_dual"]
    assert [(s["code"], s["limit"], s["unit"]) for s in hv["stages"]] == [
        (s.code, s.limit.value, s.limit.unit) for s in expected.stages
    ]
    assert hv["grid_side_limit"]["value"] == expected.grid_side_limit.value
    assert isinstance(data["reliability_targets"], list) and data["reliability_targets"]
    assert data["documents"]["by_category"]["hv10_dual"]["design_review"] == ["designer_qualification", "design_documents"]


@pytest.mark.django_db
def test_list_json_names_every_region_and_its_versions(loaded, policies):
    rows = json.loads(_run("list", "--json"))
    assert [r["region"] for r in rows][0] == "national"
    by_region = {r["region"]: r for r in rows}
    assert set(by_region) == set(policies.regions())
    assert [v["version"] for v in by_region["shaanxi"]["versions"]] == [s.version for s in policies.snapshots("shaanxi")]
    assert by_region["zhejiang"]["parent"] == "national"


@pytest.mark.django_db
def test_plain_show_and_list_are_readable(loaded):
    text = _run("show", "zhejiang", "--on", "2022-06-01")
    assert text.startswith("浙江省 (zhejiang) version 2022")
    assert "hv_conditional" in text and "竣工装表接电" in text
    assert "shaanxi" in _run("list")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "argument"),
    [
        (("show", "atlantis"), "REGION"),
        (("show", "zhejiang", "--on", "2022-02-30"), "--on"),
        (("show", "zhejiang", "--on", "2022-13-01"), "--on"),
        (("show", "zhejiang", "--on", "20220601"), "--on"),
        (("show", "zhejiang", "--on", "2019-01-01"), "--on"),
    ],
)
def test_bad_input_in_process_is_a_command_error_with_code_2(loaded, args, argument):
    with pytest.raises(CommandError) as caught:
        _run(*args)
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(f"{argument}: ")


@pytest.mark.django_db
def test_a_missing_region_is_an_argparse_error_in_process():
    with pytest.raises(CommandError, match="REGION"):
        _run("show")


@pytest.mark.django_db
def test_load_from_a_missing_directory_names_the_argument(tmp_path):
    with pytest.raises(CommandError) as caught:
        _run("load", "--path", str(tmp_path / "nowhere"))
    assert caught.value.returncode == 2 and str(caught.value).startswith("--path: ")


@pytest.mark.django_db
def test_load_of_broken_files_lists_the_problems_and_exits_1(edit):
    def change(raw):
        raw["versions"][0]["categories"]["hv_single"]["grid_side_limit"]["kind"] = "wish"

    with pytest.raises(CommandError) as caught:
        _run("load", "--path", str(edit("zhejiang", change)))
    assert caught.value.returncode == 1
    assert "zhejiang.yaml: versions[0].categories.hv_single.grid_side_limit.kind" in str(caught.value)


# --- the installed console script --------------------------------------------------------


@pytest.fixture
def console(getpower_console):
    """Runs `getpower` against its own copy of the session's migrated SQLite database, like an
    operator would (the prepared database has no policies yet)."""
    first = getpower_console("policy", "load")
    assert first.returncode == 0, first.stderr
    return getpower_console, first


def test_console_load_is_idempotent(console):
    run, first = console
    assert "new version(s) stored" in first.stdout and "+ zhejiang 2023" in first.stdout
    again = run("policy", "load")
    assert again.returncode == 0
    assert again.stdout.startswith("policies: 0 new version(s) stored")


def test_console_bad_input_and_show_json(console):
    """The console script's own contract: exit 2 with one line naming the argument (every bad
    value is tested in process above), exit 2 from argparse, and --json on stdout."""
    run, _ = console
    result = run("policy", "show", "zhejiang", "--on", "2022-13-01")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("CommandError: --on: ")
    missing = run("policy", "show")
    assert missing.returncode == 2 and "REGION" in missing.stderr
    shown = run("policy", "show", "shaanxi", "--on", "2021-05-01", "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert set(data) >= SHOW_KEYS and data["version"] == "2021"
