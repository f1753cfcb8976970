"""The ledger as an Excel workbook in the seeds' own column layout (序号 分类 工作目标任务
责任单位 完成时间), one 分类 cell merged over its rows as the seeds print it, then our
progress columns to the right."""
from __future__ import annotations

import io
from itertools import groupby

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ledger.labels import LABELS
from ledger.queries import TaskView

SEED_COLUMNS = ["序号", "分类", "工作目标任务", "责任单位", "完成时间"]
PROGRESS_COLUMNS = ["进展状态", "状态说明", "最新进展", "阶段性目标"]
WIDTHS = [6, 14, 60, 28, 16, 10, 24, 40, 24]


def workbook(*, title: str, rows: list[TaskView], latest: dict[int, str]) -> bytes:
    """`latest`: task id -> the text of its latest accepted report."""
    book = Workbook()
    sheet = book.active
    sheet.title = "任务台账"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SEED_COLUMNS) + len(PROGRESS_COLUMNS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(SEED_COLUMNS + PROGRESS_COLUMNS)
    header_fill = PatternFill("solid", fgColor="EEF3F1")
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    first = 3
    for row in rows:
        task = row.task
        sheet.append([
            task.number,
            task.area,
            task.text,
            task.responsible,
            task.deadline_text,
            "" if task.empty else LABELS["ledger_status"][row.status],
            row.standing.reason,
            latest.get(task.pk, ""),
            "；".join(f"{m.on.isoformat()} {m.text}{'（已完成）' if m.done_at else ''}" for m in row.milestones),
        ])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
    # Merge each run of the same 分类, as the seed tables do.
    index = first
    for _, run in groupby(rows, key=lambda r: r.task.area):
        size = len(list(run))
        if size > 1:
            sheet.merge_cells(start_row=index, start_column=2, end_row=index + size - 1, end_column=2)
        sheet.cell(row=index, column=2).alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        index += size
    for i, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
