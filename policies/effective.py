"""When a dated promise takes effect: one rule for every version of every region. Pure.

The seeds date their promises in a handful of forms (spacing varies: "2021 年 6 月底"):
- "X年底前" / "X年底" — by the end of year X;
- "X年M月底前" / "X年M月底" / "X年M月D日前" / "X年上半年" — by a day within year X;
- "X年起" — from year X on; "X年" — a target for year X (附件1 "2020年……时限目标");
- "已实现，持续巩固提升" / "已完成 巩固推进" — achieved already, to be kept;
- "持续推进" / "持续开展" / "现行" — ongoing, or the rule in force, with no date.

The rule (note *-effective-dates in each file): a promise dated within year X takes effect
on 1 January of X, whatever day of X it names; a promise achieved already or with no date
binds from the plan's first version. A version's `effective_from` is therefore always a
1 January, and every deadline it declares names that year.

Why one date per year: the seeds assess by the year (附件1 "2020年……时限目标"; 陕西 注2
"分年度制定阶段性目标"; the reports are monthly and yearly), so a year's target is measured
over that year. Taking effect on the day after the deadline instead would put Zhejiang's
"2023年底前" target in force only in 2024, after the plan it belongs to has ended, and would
split one year's promises across two versions by the month the drafter happened to write.
Taking the earlier date never applies a looser promise where the seed states a tighter one
for that year: versions only tighten over time (checked by the one-way rules).
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

_YEAR = r"(?P<year>\d{4})年"
_DATED = re.compile(
    rf"^{_YEAR}(?:"
    r"底前?"  # 2022年底前
    r"|(?P<month>\d{1,2})月(?:底前?|(?P<day>\d{1,2})日前?)"  # 2021年6月底前, 2021年5月15日前
    r"|[上下]半年"  # 2021年上半年
    r"|起"  # 2021年起
    r"|"  # 2020年
    r")$"
)
_UNDATED = re.compile(r"^(?:已(?:实现|完成)(?:[，,、]?(?:持续)?巩固(?:提升|推进)?)?。?|持续(?:推进|开展)。?|现行)$")


class NotADeadline(ValueError):
    """The words are none of the forms above; the message quotes them."""


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def effective_year(text: str) -> int | None:
    """The year a dated promise takes effect in; None for one achieved already or undated."""
    plain = _plain(text)
    match = _DATED.match(plain)
    if match is not None:
        year = int(match.group("year"))
        month, day = match.group("month"), match.group("day")
        if month is not None:
            try:
                date(year, int(month), int(day) if day else 1)
            except ValueError as exc:
                raise NotADeadline(f"'{text}' names a day that does not exist") from exc
        return year
    if _UNDATED.match(plain):
        return None
    raise NotADeadline(f"'{text}' is not a deadline the seeds use (e.g. 2021年底前, 2021年6月底前, 2021年起, 已实现)")


def effective_from(text: str, *, first: date) -> date:
    """The day a promise with this deadline takes effect; `first` is the plan's first version."""
    year = effective_year(text)
    return first if year is None else date(year, 1, 1)


# In quoted seed words: "2021年底前", "2021年6月底前", "2021年起", "2022年、2023年底前" (a list dates
# its figures in turn: 12天和10天).
QUOTED = re.compile(r"(?P<years>\d{4}年(?:[、和]\d{4}年)*)(?:\d{1,2}月)?(?:底前|底|起)")


def quoted_years(words: str) -> list[int]:
    """Every year the dated phrases in quoted seed words name, in order (each year of a list)."""
    return [int(y) for match in QUOTED.finditer(_plain(words)) for y in re.findall(r"\d{4}", match.group("years"))]
