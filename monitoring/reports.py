"""月统计、季分析: the monthly Excel workbook and the quarterly Word/PDF analysis, built from the
same indicator rows as the dashboard and the API."""
from __future__ import annotations

import base64
import io
from collections import defaultdict

from django.utils import timezone

from monitoring import charts, narrative, queries
from monitoring.indicators import UNIT_NAMES
from monitoring.models import ApplicationFact
from policies import queries as policy_queries
from policies.templatetags.policy_tags import cite

STATUS_NAMES = narrative.STATUS_NAMES
INDICATOR_COLUMNS = ["地区", "指标", "实际", "单位", "目标", "状态", "案例数", "依据"]
LEDGER_COLUMNS = ["申请编号", "地区", "区县", "类别", "状态", "申请日期", "送电日期", "电网环节（工作日）",
                  "电网环节（天）", "电网环节时限", "超时环节数"]


def _regions(region: str | None) -> dict[str, str]:
    names = queries.region_names()
    if region:
        if region not in names:
            from core.errors import invalid

            raise invalid("region", f"未知地区 {region!r}")
        return {region: names[region]}
    return names


def _target(row: dict) -> str:
    if row["target"] is None:
        return "—"
    return f"{'≤' if row['direction'] == '<=' else '≥'}{row['target']}"


def monthly_workbook(*, month: str, region: str | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    period = queries.period_from(month)
    if period.kind != "month":
        from core.errors import invalid

        raise invalid("month", "月份格式应为 2026-10")
    book = Workbook()
    book.remove(book.active)
    by_group: dict[str, list[list]] = defaultdict(list)
    regions = _regions(region)
    sources = policy_queries.source_names()  # the 依据 column cites documents by name, not seed file
    for code, name in regions.items():
        for row in queries.indicators_show(region=code, period=period.label):
            by_group[row["group"]].append([name, row["name"], row["value"], UNIT_NAMES.get(row["unit"], row["unit"]),
                                           _target(row), STATUS_NAMES[row["status"]], row["cases"],
                                           cite(row["source"], None, sources)])
    for group, rows in by_group.items():
        sheet = book.create_sheet(group[:31])
        sheet.append(INDICATOR_COLUMNS)
        for row in rows:
            sheet.append(row)
        _style(sheet, Font)
    ledger = book.create_sheet("台账")
    ledger.append(LEDGER_COLUMNS)
    facts = (ApplicationFact.objects.filter(region__in=regions, submitted_on__lt=period.end)
             .exclude(energised_on__lt=period.start).select_related("application", "county").order_by("region", "submitted_on"))
    for fact in facts.iterator(chunk_size=2000):
        app = fact.application
        ledger.append([app.number, regions[fact.region], fact.county.name, app.category_name, app.get_status_display(),
                       fact.submitted_on, fact.energised_on, fact.grid_side_workdays, fact.grid_side_days,
                       fact.grid_side_limit, fact.stages_late])
    _style(ledger, Font)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _style(sheet, font_class) -> None:
    for cell in sheet[1]:
        cell.font = font_class(bold=True)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in list(column)[:200])
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width * 1.6), 60)


def quarterly_sections(*, quarter: str, region: str | None = None) -> list[dict]:
    period = queries.period_from(quarter)
    if period.kind != "quarter":
        from core.errors import invalid

        raise invalid("quarter", "季度格式应为 2026Q3")
    return [period_section(code=code, name=name, period=period) for code, name in _regions(region).items()]


def period_section(*, code: str, name: str, period) -> dict:
    """One region's part of an analysis: narrative against the period before, chart, table."""
    previous = period.previous()
    rows = queries.indicators_show(region=code, period=period.label)
    before = queries.indicators_show(region=code, period=previous.label, refresh=False)
    scope = queries.scope_for(region=code, period=period)
    png = charts.trend_png(queries.monthly_trend(scope), title=f"{name} {period.year}年按月送电户数与按时率")
    return {"code": code, "region": name, "period": period.chinese, "rows": [
        {**row, "status_name": STATUS_NAMES[row["status"]], "target_shown": _target(row),
         "unit_name": UNIT_NAMES.get(row["unit"], row["unit"])} for row in rows],
        "narrative": narrative.sentences(region_name=name, period_name=period.chinese, rows=rows,
                                         previous=before, previous_name=previous.chinese),
        "chart_png": png, "chart_data_uri": "data:image/png;base64," + base64.b64encode(png).decode()}


def quarterly_document(*, quarter: str, fmt: str, region: str | None = None) -> bytes:
    check_format(fmt)
    return render_document(title=f"获得电力工作季度分析（{queries.period_from(quarter).chinese}）",
                           template="monitoring/report_quarterly.html", fmt=fmt,
                           sections=quarterly_sections(quarter=quarter, region=region))


def check_format(fmt: str) -> None:
    if fmt not in ("pdf", "docx"):
        from core.errors import invalid

        raise invalid("format", "格式应为 pdf 或 docx")


def render_document(*, title: str, template: str, sections: list[dict], fmt: str, more_docx=None) -> bytes:
    """PDF from the template, or Word from the same sections (`more_docx(document)` adds what the
    template adds beyond the common part)."""
    if fmt == "pdf":
        from core import pdf

        return pdf.render(template, {"title": title, "sections": sections, "generated": timezone.localtime()})
    document = docx_document(title, sections)
    if more_docx is not None:
        more_docx(document)
    return docx_bytes(document)


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = "—" if value is None else str(value)


def docx_document(title: str, sections: list[dict]):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Noto Sans CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    document.add_heading(title, level=0)
    for section in sections:
        document.add_heading(f"{section['region']} · {section['period']}", level=1)
        for sentence in section["narrative"]:
            document.add_paragraph(sentence)
        document.add_picture(io.BytesIO(section["chart_png"]), width=Cm(16))
        docx_table(document, ["指标", "实际", "目标", "状态", "案例数"], [
            [row["name"], None if row["value"] is None else f"{row['value']} {row['unit_name']}", row["target_shown"],
             row["status_name"], row["cases"]] for row in section["rows"]])
    return document

