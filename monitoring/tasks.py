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
