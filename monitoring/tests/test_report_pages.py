"""The quarterly analysis, the annual summary and the 通报 as PDF pages rendered to PNG with
poppler's pdftoppm (`make system-deps`), kept in build/screenshots/ to be looked at."""
import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command

from conftest import SCREENSHOTS
from monitoring.actions import bulletin_issue, inspection_record, spot_check_draw
from monitoring.tests.test_indicators import october  # noqa: F401 (the hand-checked October)
from monitoring.tests.test_oversight import bureau  # noqa: F401

pytestmark = pytest.mark.django_db


def pages(pdf_bytes: bytes, name: str, tmp_path) -> list:
    from PIL import Image

    assert shutil.which("pdftoppm"), "poppler-utils is missing: `make system-deps` installs it"
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf_bytes)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(SCREENSHOTS / name)], check=True)
    found = sorted(SCREENSHOTS.glob(f"{name}-*.png"))
    for png in found:
        image = Image.open(png).convert("L")
        assert image.getextrema()[0] < 128, f"{png.name} is blank"  # some dark ink on every page
    return found


def test_report_pages_render(october, zz, bureau, tmp_path):
    spot_check_draw(county=zz.county.code, period="2026-10", size=1, seed=3, by=bureau)
    inspection_record(kind="interview", county=zz.county.code, held_on=date(2026, 11, 2), subject="超时约谈",
                      findings="1件超时。", follow_ups=[("报送整改报告", date(2026, 11, 30))], by=bureau)
    quarterly, annual = tmp_path / "q.pdf", tmp_path / "a.pdf"
    call_command("report", "quarterly", "--quarter", "2026Q4", "--format", "pdf", "--out", str(quarterly),
                 "--region", "zaozhuang")
    call_command("report", "annual", "--year", "2026", "--format", "pdf", "--out", str(annual), "--region", "zaozhuang")
    bulletin = bulletin_issue(region="zaozhuang", period="2026-10", by=bureau)
    assert pages(quarterly.read_bytes(), "report-quarterly", tmp_path)
    assert pages(annual.read_bytes(), "report-annual", tmp_path)
    assert len(pages(bulletin.file.read(), "bulletin", tmp_path)) == 1
