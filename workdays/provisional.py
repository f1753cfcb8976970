"""A provisional holiday calendar computed from 《全国年节及纪念日放假办法》 (2024 revision).

Pure (no Django). Used for a year whose State Council schedule is not published yet, so
deadlines crossing it can be computed now and flagged `provisional`.

Article 2 of the 办法 gives every citizen: 元旦 1 day (1 Jan), 春节 4 days (除夕 and
正月初一 to 初三), 清明节 1 day (the 清明 solar-term day), 劳动节 2 days (1–2 May),
端午节 1 day (五月初五), 中秋节 1 day (八月十五), 国庆节 3 days (1–3 Oct). Article 6: a
holiday day that falls on a Saturday or Sunday is made up (补假) on a working day. We put
each 补假 on the first working day after that holiday's block. No 调休 working weekends
are guessed: they are a yearly State Council decision, not a rule.

Two holidays claiming one date (中秋 on 1–3 Oct, e.g. 2028 and 2031): every statutory day
is owed, so the date keeps the fixed-date holiday (国庆节) and the lunar one gets a 补假
after the combined block, like a holiday lost to a weekend.
"""
from __future__ import annotations

import datetime as _dt
from functools import lru_cache

from lunar_python import Lunar, Solar

_ONE_DAY = _dt.timedelta(days=1)
MAKEUP_SUFFIX = "（补假）"


def _lunar(year: int, month: int, day: int) -> _dt.date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return _dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def statutory_days(year: int) -> list[tuple[str, list[_dt.date]]]:
    """Each holiday of Article 2 with its days in `year`, fixed-date holidays first.

    The order is the claim order for a date two holidays share (see the module docstring).
    """
    # 除夕 is the day before 正月初一: it is 腊月廿九 when the 12th month has 29 days, so it is
    # derived from 初一 rather than looked up as "腊月三十".
    new_year = _lunar(year, 1, 1)
    qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    return [
        ("元旦", [_dt.date(year, 1, 1)]),
        ("劳动节", [_dt.date(year, 5, 1), _dt.date(year, 5, 2)]),
        ("国庆节", [_dt.date(year, 10, 1), _dt.date(year, 10, 2), _dt.date(year, 10, 3)]),
        ("春节", [new_year - _ONE_DAY, new_year, new_year + _ONE_DAY, new_year + 2 * _ONE_DAY]),
        ("清明节", [_dt.date(qingming.getYear(), qingming.getMonth(), qingming.getDay())]),
        ("端午节", [_lunar(year, 5, 5)]),
        ("中秋节", [_lunar(year, 8, 15)]),
    ]


@lru_cache(maxsize=64)
def _provisional_holidays(year: int) -> tuple[tuple[_dt.date, str], ...]:
    holidays: dict[_dt.date, str] = {}
    owed: list[tuple[_dt.date, int, str]] = []  # (day lost, claim order, holiday name)
    for order, (name, days) in enumerate(statutory_days(year)):
        for day in days:
            if day in holidays or day.weekday() >= 5:
                owed.append((day, order, name))
            if day not in holidays:
                holidays[day] = name
    # Earliest lost day first, so each 补假 lands after the ones owed before it.
    for day, _, name in sorted(owed):
        makeup = day + _ONE_DAY
        while makeup.weekday() >= 5 or makeup in holidays:
            makeup += _ONE_DAY
        holidays[makeup] = name + MAKEUP_SUFFIX
    return tuple(sorted(holidays.items()))


def provisional_holidays(year: int) -> dict[_dt.date, str]:
    """The rest days of `year` by date, with names like "国庆节" or "国庆节（补假）"."""
    return dict(_provisional_holidays(year))
