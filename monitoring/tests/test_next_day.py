"""当日申请，次日接电 measured by the legal clock: an LV customer with no works who applies on a
Friday and is connected on Monday is on time (the next day, Saturday, is a rest day); one
connected on Tuesday is not."""
import pytest

from applications.tests.conftest import at
from monitoring import queries
from monitoring.tests.test_indicators import lv_home

pytestmark = pytest.mark.django_db


def test_a_friday_application_connected_on_monday_is_next_day(zz, travel):
    lv_home(zz, travel, submitted=at(2026, 11, 6, 9), completed=at(2026, 11, 9, 15), no_works=True)
    lv_home(zz, travel, submitted=at(2026, 11, 13, 9), completed=at(2026, 11, 17, 15), name="李强", no_works=True)
    travel(at(2026, 12, 1, 9))
    row = next(r for r in queries.indicators_show(region="zaozhuang", period="2026-11")
               if r["code"] == "next_day_within_share")
    assert (row["value"], row["cases"], row["status"]) == (50.0, 2, "missed")
