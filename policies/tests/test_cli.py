"""getpower policy load | list | show, in process and through the installed console script."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

SHOW_KEYS = {"region", "name", "version", "effective_from", "unit", "categories", "approvals", "zero_investment", "reliability_targets", "documents"}
CATEGORY_KEYS = {"name", "unit", "stages", "grid_side_limit", "full_process_limit"}
STAGE_KEYS = {"code", "limit", "unit"}
GETPOWER = Path(sys.executable).with_name("getpower")


def _run(*args) -> str:
    out = io.StringIO()
    call_command("policy", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_show_json_has_the_contract_keys(loaded, policies):
    data = json.loads(_run("show", "zaozhuang", "--on", "2022-08-01", "--json"))
    assert SHOW_KEYS <= set(data)
    snap = policies.in_force("zaozhuang", date(2022, 8, 1))
    assert (data["region"], data["version"], data["effective_from"]) == ("zaozhuang", snap.version, snap.effective_from.isoformat())
    assert set(data["categories"]) == set(snap.document.categories)
    for code, category in data["categories"].items():
        assert CATEGORY_KEYS <= set(category), code
        for stage in category["stages"]:
            assert STAGE_KEYS <= set(stage), code
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
def test_bad_input_in_process_is_a_command_error_with_code_2(loaded):
    for args, argument in ((("show", "atlantis"), "REGION"), (("show", "zhejiang", "--on", "2022-02-30"), "--on")):
        with pytest.raises(CommandError) as caught:
            _run(*args)
        assert caught.value.returncode == 2
        assert str(caught.value).startswith(f"{argument}: ")


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


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    """Runs `getpower` against its own fresh SQLite database, like an operator would."""
    data_dir = tmp_path_factory.mktemp("getpower-var")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["GETPOWER_DATA_DIR"] = str(data_dir)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(GETPOWER), *args], env=env, capture_output=True, text=True, timeout=120)

    migrated = run("migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    return run, migrated


def test_migrate_stores_the_bundled_policies_and_load_is_idempotent(console):
    run, migrated = console
    assert "policies stored:" in migrated.stdout and "zhejiang 2023" in migrated.stdout
    again = run("policy", "load")
    assert again.returncode == 0
    assert again.stdout.startswith("policies: 0 new version(s) stored")


@pytest.mark.parametrize(
    ("args", "argument"),
    [
        (("policy", "show", "atlantis"), "REGION"),
        (("policy", "show", "zhejiang", "--on", "2022-13-01"), "--on"),
        (("policy", "show", "zhejiang", "--on", "20220601"), "--on"),
        (("policy", "show", "zhejiang", "--on", "2019-01-01"), "--on"),
    ],
)
def test_console_bad_input_exits_2_with_one_line_naming_the_argument(console, args, argument):
    run, _ = console
    result = run(*args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"CommandError: {argument}: ")


def test_console_missing_region_is_an_argparse_error(console):
    run, _ = console
    result = run("policy", "show")
    assert result.returncode == 2
    assert "REGION" in result.stderr


def test_console_show_json(console):
    run, _ = console
    result = run("policy", "show", "shaanxi", "--on", "2021-05-01", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert SHOW_KEYS <= set(data) and data["version"] == "2021"
