"""Demo network and outage history for `getpower demo load` (registered in applications.demo.DEMO_HOOKS).

Every county of the demo world gets a substation, three feeders, transformers and customers,
a dispatcher, and month by month a planned outage (or work done live instead) and a few
faults, all through the real actions on the demo's shared time line."""
from __future__ import annotations

import random
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from accounts import actions as accounts
from accounts.roles import Role

TZ = ZoneInfo("Asia/Shanghai")
# The area mix of a county's three feeders: city districts are mostly city core and urban.
AREAS_BY_COUNTY = {
    "610113": ("city_core", "urban", "urban"), "610116": ("urban", "town", "rural"),
    "610802": ("urban", "town", "rural"), "610881": ("town", "rural", "rural"),
    "330106": ("city_core", "urban", "town"), "330108": ("city_core", "urban", "urban"),
    "370402": ("city_core", "urban", "town"), "370405": ("urban", "town", "rural"),
}
# Shaanxi's 高可靠性供电示范区 (≤1 h): a city-core feeder of 雁塔区 supplies one.
ZONES = {"610113": ("Z610113", "小寨商圈高可靠性供电示范区", 1)}
TRANSFORMERS_PER_FEEDER = 4
CUSTOMERS_PER_TRANSFORMER = 8
NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
FAULT_CAUSES = ["equipment"] * 5 + ["weather"] * 3 + ["external"] * 2 + ["customer"]
WORKS = ["线路检修", "配变增容改造", "开关柜更换", "业扩工程接火", "线路迁改"]


def _network_csv(code: str, name: str, rng: random.Random) -> str:
    lines = ["type,code,name,parent,county,area,ownership,capacity_kva,contact_name,contact_phone,contact_email,zone",
             f"substation,S{code},{name}110kV变电站,,{code},,,,,,,"]
    zone_code, zone_name, zone_feeder = ZONES.get(code, ("", "", 0))
    if zone_code:
        lines.insert(1, f"zone,{zone_code},{zone_name},,{code},,,,,,,")
    n = 0
    for f, area in enumerate(AREAS_BY_COUNTY.get(code, ("urban", "town", "rural")), start=1):
        feeder = f"F{code}-{f}"
        lines.append(f"feeder,{feeder},{name}{f}号10kV线,S{code},{code},{area},,,,,,{zone_code if f == zone_feeder else ''}")
        for t in range(1, TRANSFORMERS_PER_FEEDER + 1):
            transformer = f"T{code}-{f}-{t}"
            lines.append(f"transformer,{transformer},{name}{f}-{t}号公变,{feeder},{code},{area},public,"
                         f"{rng.choice([200, 400, 630])},,,")
            for _ in range(CUSTOMERS_PER_TRANSFORMER):
                n += 1
                person = rng.choice(NAMES) + rng.choice(GIVEN)
                lines.append(f"customer_lv,C{code}-{n:04d},{person},{transformer},{code},{area},,,{person},"
                             f"139{rng.randrange(10**8):08d},")
        lines.append(f"customer_mv,C{code}-M{f},{name}{f}号专线用户,{feeder},{code},{area},,,,"
                     f"029{rng.randrange(10**8):08d},")
    return "\n".join(lines) + "\n"


def load(*, world, scheduler, rng: random.Random, start_day: date, today: date, now=None) -> None:
    """Schedule the network build at the start of the history, then each county's outages."""
    from outages import network

    def build() -> None:
        for code, county in world.counties.items():
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"network-{code}.csv"
                path.write_text(_network_csv(code, county.name, rng), encoding="utf-8")
                network.network_import(path=path)
            org = county.organisations.filter(kind="utility").order_by("id").first()
            dispatcher = accounts.user_create(username=f"dispatcher_{code}", password_hash=_hash(), role=Role.DISPATCHER,
                                              organisation=org, display_name=f"{county.name}运检调度")
            world.staff.setdefault(code, {})[Role.DISPATCHER] = dispatcher
            world.logins.append((dispatcher.username, Role.DISPATCHER, county.name))

    scheduler.at(datetime.combine(start_day, time(7, 30), tzinfo=TZ), build)
    for code, county in world.counties.items():
        day = start_day + timedelta(days=3)
        while day <= today + timedelta(days=7):
            _schedule_month(world, scheduler, rng, code, county, day, today)
            day += timedelta(days=30)


def _hash() -> str:
    from applications.demo import _password_hash

    return _password_hash()


def _schedule_month(world, scheduler, rng, code, county, day: date, today: date) -> None:
    from outages import actions
    from outages.models import Outage

    feeders = [f"F{code}-{f}" for f in (1, 2, 3)]
    start = datetime.combine(day + timedelta(days=rng.randrange(9, 20)), time(8, 30), tzinfo=TZ)
    end = start + timedelta(hours=rng.choice([2, 3, 4, 6]))
    feeder = rng.choice(feeders)
    scope = ("feeder", feeder) if rng.random() < 0.3 else ("transformer", f"T{code}-{feeder[-1]}-{rng.randint(1, 4)}")
    live = rng.random() < 0.25
    state = {}

    def plan() -> None:
        dispatcher = world.staff[code][Role.DISPATCHER]
        state["outage"] = actions.outage_plan(by=dispatcher, county=county, title=f"{rng.choice(WORKS)}",
                                              cause="maintenance", planned_start=start, planned_end=end,
                                              scopes=[scope])

    def approve_or_avoid() -> None:
        outage = state["outage"]
        if live:
            actions.outage_avoid(by=world.staff[code][Role.DISPATCHER], county=county, method=rng.choice(
                ["live_working", "load_transfer"]), day=start.date(), customers=max(outage.customers_affected, 1),
                hours=str((end - start).seconds // 3600), outage=outage, note="能带不停")
        else:
            actions.outage_approve(outage=outage, by=world.staff[code][Role.SUPERVISOR])

    def begin() -> None:
        outage = Outage.objects.get(pk=state["outage"].pk)
        if outage.status == Outage.Status.APPROVED:
            actions.outage_start(outage=outage, by=world.staff[code][Role.DISPATCHER])

    def finish() -> None:
        outage = Outage.objects.get(pk=state["outage"].pk)
        if outage.status == Outage.Status.ACTIVE:
            actions.outage_restore(outage=outage, by=world.staff[code][Role.DISPATCHER])

    planned_at = start - timedelta(days=8, hours=-1)
    scheduler.at(planned_at, plan)
    scheduler.at(planned_at + timedelta(hours=5), approve_or_avoid)
    scheduler.at(start, begin)
    scheduler.at(end, finish)
    for _ in range(rng.choice([0, 1, 1, 2])):
        _schedule_fault(world, scheduler, rng, code, county, day, feeders)


def _schedule_fault(world, scheduler, rng, code, county, day: date, feeders) -> None:
    from outages import actions
    from outages.models import Outage, RepairOrder

    at = datetime.combine(day + timedelta(days=rng.randrange(0, 30)), time(rng.randrange(0, 24), rng.randrange(60)),
                          tzinfo=TZ)
    feeder = rng.choice(feeders)
    on_feeder = rng.random() < 0.4
    scope = ("feeder", feeder) if on_feeder else ("transformer", f"T{code}-{feeder[-1]}-{rng.randint(1, 4)}")
    cause = rng.choice(FAULT_CAUSES)
    state = {}
    repair_minutes = rng.choice([3, 45, 70, 95, 130, 180])  # some are over in 3 minutes (瞬时)

    def report() -> None:
        outage, _ = actions.fault_report(by=world.staff[code][Role.DISPATCHER], county=county, cause=cause,
                                         scopes=[scope], title=f"{feeder}故障",
                                         estimated_restoration=at + timedelta(minutes=repair_minutes + 30))
        state["outage"] = outage
        if cause == "external":
            actions.referral_make(by=world.staff[code][Role.DISPATCHER], county=county, outage=outage,
                                  kind="reckless_construction", authority=f"{county.name}城市管理局",
                                  description="施工机械碰线导致跳闸", evidence=[f"photo-{outage.pk}-1.jpg"])

    def dispatch() -> None:
        repair = RepairOrder.objects.get(outage=state["outage"])
        actions.repair_advance(repair=repair, by=world.staff[code][Role.DISPATCHER], step="dispatch")

    def arrive() -> None:
        repair = RepairOrder.objects.get(outage=state["outage"])
        actions.repair_advance(repair=repair, by=world.staff[code][Role.DISPATCHER], step="arrive")

    def restore() -> None:
        outage = Outage.objects.get(pk=state["outage"].pk)
        if outage.status != Outage.Status.ACTIVE:
            return
        by = world.staff[code][Role.DISPATCHER]
        if on_feeder and repair_minutes > 60:
            # Restore the healthy section first (partial restoration), then the rest.
            actions.outage_restore(outage=outage, by=by, scopes=[("transformer", f"T{code}-{feeder[-1]}-1")])
        actions.outage_restore(outage=Outage.objects.get(pk=outage.pk), by=by)

    scheduler.at(at, report)
    if repair_minutes > 3:
        scheduler.at(at + timedelta(minutes=2), dispatch)
        scheduler.at(at + timedelta(minutes=min(30, repair_minutes - 1)), arrive)
    scheduler.at(at + timedelta(minutes=repair_minutes), restore)
