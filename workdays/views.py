"""The calendar page: a year of holidays and 调休 days, and a deadline calculator."""
from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from core.errors import InvalidInput, NotFound
from workdays import queries
from workdays.forms import DeadlineForm
from workdays.schedule import get_schedule

WEEKDAYS = "一二三四五六日"
SOURCE_LABELS = {
    "official": ("官方", ""),
    "imported": ("已导入", ""),
    "provisional": ("暂定", "warn"),
}
# Errors from the clock name API/CLI arguments; the form calls them differently.
FORM_FIELD = {"start": "start", "workdays": "limit", "days": "limit"}


@require_safe
def calendar_page(request):
    return render(request, "workdays/calendar.html", _page_context(request.GET.get("year"), DeadlineForm()))


@require_POST
def deadline_calculate(request):
    form = DeadlineForm(request.POST)
    explanation = None
    if form.is_valid():
        try:
            explanation = queries.deadline(
                start=form.cleaned_data["start"], limit=form.cleaned_data["limit"], unit=form.cleaned_data["unit"]
            )
        except InvalidInput as exc:
            for field, message in exc.fields.items():
                form.add_error(FORM_FIELD.get(field), message)
    if request.htmx:
        # 200 even for a refused form: htmx swaps only 2xx answers, and the errors are in it.
        return render(request, "workdays/_deadline.html", _deadline_context(form, explanation))
    status = 200 if explanation else 422
    return render(request, "workdays/calendar.html", _page_context(None, form, explanation), status=status)


def _deadline_context(form, explanation) -> dict:
    if explanation is None:
        return {"form": form, "why": None}
    return {
        "form": form,
        "why": explanation,
        "due_weekday": WEEKDAYS[explanation.due.weekday()],
        "skipped": [(s.date, _reason_label(s.reason)) for s in explanation.skipped],
        "moved_reason": _reason_label(explanation.moved.reason) if explanation.moved else "",
    }


def _reason_label(reason: str) -> str:
    """The clock's machine reasons ("weekend", "holiday:国庆节") as a reader expects them."""
    if reason.startswith("holiday:"):
        return f"{reason.removeprefix('holiday:')}放假"
    return "周末" if reason == "weekend" else reason


def _page_context(raw_year, form, explanation=None) -> dict:
    schedule = get_schedule()
    year_error = ""
    year = timezone.localdate().year
    if raw_year:
        try:
            data = queries.calendar_year(int(raw_year))
            year = data["year"]
        except (ValueError, NotFound):
            year_error = f"没有 {raw_year} 年的日历：可查询 {schedule.first_year}–{schedule.last_year} 年。"
            data = queries.calendar_year(year)
    else:
        data = queries.calendar_year(year)
    holidays = {row["date"]: row["name"] for row in data["holidays"]}
    workdays = {row["date"]: row["name"] for row in data["workdays"]}
    label, badge = SOURCE_LABELS[data["source"]]
    return {
        "year": year,
        "years": range(schedule.first_year, schedule.last_year + 1),
        "year_error": year_error,
        "previous_year": year - 1 if year > schedule.first_year else None,
        "next_year": year + 1 if year < schedule.last_year else None,
        "source": data["source"],
        "source_label": label,
        "source_badge": badge,
        "months": [_month(year, month, holidays, workdays) for month in range(1, 13)],
        "holidays": [_listed(row) for row in data["holidays"]],
        "workdays": [_listed(row) for row in data["workdays"]],
        "weekdays": WEEKDAYS,
        **_deadline_context(form, explanation),
    }


def _month(year: int, month: int, holidays: dict, workdays: dict) -> dict:
    weeks = []
    for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            key = day.isoformat()
            if day.month != month:
                cells.append(None)
            elif key in holidays:
                cells.append({"day": day, "kind": "holiday", "label": f"放假：{holidays[key]}"})
            elif key in workdays:
                cells.append({"day": day, "kind": "makeup", "label": f"调休上班：{workdays[key]}"})
            elif day.weekday() >= 5:
                cells.append({"day": day, "kind": "weekend", "label": "周末"})
            else:
                cells.append({"day": day, "kind": "working", "label": "工作日"})
        weeks.append(cells)
    return {"number": month, "weeks": weeks}


def _listed(row: dict) -> dict:
    day = date.fromisoformat(row["date"])
    return {"date": day, "weekday": WEEKDAYS[day.weekday()], "name": row["name"]}
