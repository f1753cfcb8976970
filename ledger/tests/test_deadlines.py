"""The seeds' deadline strings, read into dates (pure; examples from the seeds plus properties)."""
import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.deadlines import DeadlineError, DeadlineKind, find_milestones, parse_deadline, read


@pytest.mark.parametrize(
    ("text", "kind", "on"),
    [
        ("2021 年 6 月底前", "date", date(2021, 6, 30)),
        ("2021 年 6 月底", "date", date(2021, 6, 30)),
        ("2021年3月底前", "date", date(2021, 3, 31)),
        ("2021 年 4 月底前", "date", date(2021, 4, 30)),
        ("2021 年 5 月 15 日前", "date", date(2021, 5, 15)),
        ("2022年底前", "date", date(2022, 12, 31)),
        ("2023 年底前", "date", date(2023, 12, 31)),
        ("已实现，持续巩固提升。", "done_ongoing", None),
        ("已完成 巩固推进", "done_ongoing", None),
        ("持续推进", "ongoing", None),
        ("持续开展", "ongoing", None),
    ],
)
def test_the_seeds_own_strings(text, kind, on):
    deadline = parse_deadline(text)
    assert (deadline.kind.value, deadline.on) == (kind, on)


@pytest.mark.parametrize("text", ["", "  ", "尽快", "2021年13月底前", "2021年2月30日前", "2021年", "年底前"])
def test_anything_else_is_refused_with_the_text_quoted(text):
    with pytest.raises(DeadlineError):
        parse_deadline(text)


def test_a_half_year_inside_a_task_is_a_milestone_and_a_past_result_is_not():
    # Shaanxi row 19 and Zhejiang row 4.
    sx19 = read(deadline_text="2021年底前",
                task_text="西安、榆林两市要在2021年上半年率先完成政企协同办电信息共享平台建设；2021年底前，其他各地市……")
    assert sx19.kind is DeadlineKind.DATE and sx19.on == date(2021, 12, 31)
    assert [(m.on, m.text) for m in sx19.milestones] == [(date(2021, 6, 30), "2021年上半年")]
    zj4 = read(deadline_text="2021 年底前", task_text="在 2020 年底已实现低压非居民用户全过程平均办电时间压减至 15 天内的基础上")
    assert zj4.milestones == ()


spaces = st.sampled_from(["", " ", "  "])


@given(year=st.integers(1990, 2100), month=st.integers(1, 12), s=st.lists(spaces, min_size=4, max_size=4),
       before=st.booleans())
def test_month_end_deadlines_are_the_last_day_of_the_month(year, month, s, before):
    text = f"{year}{s[0]}年{s[1]}{month}{s[2]}月{s[3]}底{'前' if before else ''}"
    deadline = parse_deadline(text)
    assert deadline.on == date(year, month, calendar.monthrange(year, month)[1])
    assert (deadline.on + timedelta(days=1)).month != month


@given(day=st.dates(date(1990, 1, 1), date(2100, 12, 31)), gap=spaces)
def test_day_deadlines_are_that_day(day, gap):
    assert parse_deadline(f"{day.year}{gap}年{gap}{day.month}{gap}月{gap}{day.day}{gap}日前").on == day


@given(year=st.integers(1990, 2100), gap=spaces)
def test_year_end_deadlines_are_31_december(year, gap):
    assert parse_deadline(f"{year}{gap}年{gap}底前").on == date(year, 12, 31)


@given(st.text(max_size=40))
def test_milestone_search_never_fails_and_finds_only_dates_inside_the_text(text):
    for milestone in find_milestones(text):
        assert milestone.text in text
