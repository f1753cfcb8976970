"""Provisional years from 《全国年节及纪念日放假办法》 (2024), checked against real dates."""
from datetime import date, timedelta

import chinese_calendar
import pytest

from workdays.provisional import MAKEUP_SUFFIX, provisional_holidays, statutory_days

# Article 2: 元旦 1 + 春节 4 + 清明 1 + 劳动 2 + 端午 1 + 中秋 1 + 国庆 3.
STATUTORY_DAYS_PER_YEAR = 13


def test_2027_spring_festival_starts_on_chuxi_5_february():
    holidays = provisional_holidays(2027)
    # 2027-02-06 is 正月初一; the 12th month before it has 29 days, so 除夕 is 腊月廿九.
    assert [d for d, name in holidays.items() if name == "春节"] == [date(2027, 2, d) for d in (5, 6, 7, 8)]
    # 6 and 7 February are a Saturday and a Sunday: two 补假 on the next working days.
    assert holidays[date(2027, 2, 9)] == holidays[date(2027, 2, 10)] == "春节" + MAKEUP_SUFFIX


def test_2027_lunar_and_solar_term_holidays_fall_on_the_published_dates():
    holidays = provisional_holidays(2027)
    assert holidays[date(2027, 4, 5)] == "清明节"
    assert holidays[date(2027, 6, 9)] == "端午节"
    assert holidays[date(2027, 9, 15)] == "中秋节"


def test_2027_weekend_holidays_are_made_up_after_their_block():
    holidays = provisional_holidays(2027)
    # 劳动节 1–2 May 2027 is Saturday–Sunday; 国庆节 2–3 Oct 2027 is Saturday–Sunday.
    assert holidays[date(2027, 5, 3)] == holidays[date(2027, 5, 4)] == "劳动节（补假）"
    assert holidays[date(2027, 10, 4)] == holidays[date(2027, 10, 5)] == "国庆节（补假）"
    assert date(2027, 10, 6) not in holidays


def test_chuxi_of_a_29_day_twelfth_month_matches_the_official_2025_schedule():
    # 2025-01-28 was 腊月廿九 and the State Council gave it as 除夕.
    chunjie = statutory_days(2025)[3]
    assert chunjie == ("春节", [date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 30), date(2025, 1, 31)])


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_is_a_holiday_in_the_official_schedules_under_the_2024_rules(year):
    for name, days in statutory_days(year):
        for day in days:
            assert day in chinese_calendar.holidays, (name, day)


def test_mid_autumn_inside_national_day_2028_is_owed_a_make_up_day():
    holidays = provisional_holidays(2028)
    # 中秋 is 3 Oct 2028, already 国庆节; 1 Oct is a Sunday. Both are owed after the block.
    assert holidays[date(2028, 10, 3)] == "国庆节"
    assert holidays[date(2028, 10, 4)] == "国庆节（补假）"
    assert holidays[date(2028, 10, 5)] == "中秋节（补假）"
    assert date(2028, 10, 6) not in holidays


def test_mid_autumn_on_national_day_2031_is_made_up_after_the_block_and_weekend():
    holidays = provisional_holidays(2031)
    assert holidays[date(2031, 10, 1)] == "国庆节"
    # 1–3 Oct 2031 is Wednesday–Friday, then the weekend; the owed day is Monday 6 Oct.
    assert holidays[date(2031, 10, 6)] == "中秋节（补假）"


@pytest.mark.parametrize("year", range(2027, 2061))
def test_each_year_gives_exactly_the_statutory_number_of_weekday_rest_days(year):
    holidays = provisional_holidays(year)
    assert sum(day.weekday() < 5 for day in holidays) == STATUTORY_DAYS_PER_YEAR
    statutory = dict(statutory_days(year))
    for day, name in holidays.items():
        assert day.year == year
        if name.endswith(MAKEUP_SUFFIX):
            # A 补假 is a weekday soon after the holiday it makes up for.
            owed_for = statutory[name.removesuffix(MAKEUP_SUFFIX)]
            assert day.weekday() < 5
            assert max(owed_for) < day <= max(owed_for) + timedelta(days=10), (day, name)
