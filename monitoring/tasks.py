"""Periodic monitoring work: keep the fact table fresh and store each month's snapshots."""
from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from monitoring import periods


@db_periodic_task(crontab(minute="20", hour="1"))
def indicators_nightly():
    """Refresh facts, then snapshot the current and the previous month for every region, so a
    late correction to last month is caught and logged."""
    from monitoring.actions import snapshots_take
    from policies.queries import known_regions

    today = timezone.localdate()
    this_month = periods.containing(today, "month")
    for region in known_regions():
        if region == "national":
            continue
        for period in (this_month.previous(), this_month):
            snapshots_take(region=region, period=period.label, by="job:indicators")


@db_periodic_task(crontab(minute="40", hour="1"))
def reports_on_schedule():
    """Every report the policies' `reporting` sections make due (月统计 from the 1st of the next
    month, 季分析 from the 1st of the next quarter, 年度总结 from 1 January), once each."""
    from monitoring.actions import reports_deliver_due

    reports_deliver_due(by="job:reports")
