"""The State Council schedules that the `chinesecalendar` package bundles, in Chinese.

Pure (no Django): `calendar sync` stores these years as `official`, and the benchmark
builds its schedule from them without a database.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import chinese_calendar

# chinesecalendar names holidays in English; the calendar speaks Chinese.
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
# A make-up working day carries the name of the holiday it pays for.
MAKEUP_WORKDAY_SUFFIX = "（调休上班）"


@dataclass(frozen=True)
class OfficialDays:
    first_year: int
    last_year: int
    holidays: dict[_dt.date, str]
    makeup_workdays: dict[_dt.date, str]


def official_days() -> OfficialDays:
    """Every day chinesecalendar lists. Its `holidays` include the weekend days inside a
    holiday block; they stay holidays here (rest days either way, and named)."""
    holidays = {d: CHINESE_NAMES[name] for d, name in chinese_calendar.holidays.items()}
    makeup = {d: CHINESE_NAMES[name] + MAKEUP_WORKDAY_SUFFIX for d, name in chinese_calendar.workdays.items()}
    years = [d.year for d in holidays]
    return OfficialDays(first_year=min(years), last_year=max(years), holidays=holidays, makeup_workdays=makeup)
