"""The demo's oversight (applications.demo.DEMO_HOOKS): the Shaanxi energy bureau issues last
month's 通报, draws a spot check of last quarter in the county with the most cases and records
two findings, interviews the worst-ranked county with a follow-up, and the scheduled reports
are delivered as the periodic job would have done this month."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db.models import Count

from accounts import actions as accounts
from accounts.models import Organisation
from accounts.roles import Role
from monitoring import periods

REGION = "shaanxi"


def plan(*, scheduler, world, rng: random.Random, start_day: date, today: date, now: datetime) -> None:
    scheduler.at(now - timedelta(minutes=20), lambda: oversee(world=world, rng=rng, today=today))


def oversee(*, world, rng: random.Random, today: date) -> None:
    from applications.demo import _user
    from monitoring import actions
    from monitoring.models import ApplicationFact

    province = next(c for c in world.counties.values() if c.policy_region == REGION).parent.parent
    office = accounts.organisation_create(code="sx-energy", name="陕西省能源局", kind=Organisation.Kind.ENERGY_BUREAU,
                                          division=province)
    bureau = _user(world, "bureau_sx", Role.ENERGY_BUREAU, office, "陕西省能源局", "陕西省")
    month = periods.containing(today, "month").previous()
    bulletin = actions.bulletin_issue(region=REGION, period=month.label, by=bureau)

    quarter = periods.containing(today, "quarter").previous()
    busiest = (ApplicationFact.objects.filter(region=REGION, energised_on__gte=quarter.start, energised_on__lt=quarter.end)
               .values("county__code").annotate(n=Count("pk")).order_by("-n", "county__code").first())
    if busiest:
        check = actions.spot_check_draw(county=busiest["county__code"], period=quarter.label, size=5,
                                        seed=rng.randrange(2**32), by=bureau)
        items = list(check.items.order_by("position")[:2])
        if items:
            actions.spot_check_finding_record(item=items[0], verdict="conforms", finding="", by=bureau)
        if len(items) > 1:
            actions.spot_check_finding_record(item=items[1], verdict="problem", by=bureau,
                                              finding="系统受理时间晚于客户提交纸质资料的日期，疑似体外流转")
    worst = next((row for row in bulletin.rows if row["standing"] == "worst"), None)
    if worst:
        actions.inspection_record(
            kind="interview", county=worst["code"], held_on=today - timedelta(days=2), by=bureau,
            subject=f"{month.chinese}通报排名末位约谈", findings=f"{worst['county']}未达标指标{worst['missed']}项。",
            follow_ups=[("逐件核查超时案例原因并报送整改报告", today + timedelta(days=10))])
    actions.reports_deliver_due(today=today, by="job:reports")
