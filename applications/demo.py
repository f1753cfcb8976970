"""`getpower demo load`: a believable history, generated through the real actions with
time travelled (time-machine), so every row has its events and the chain verifies.

Deterministic (fixed seed). All steps of all applications are sorted by time before they
run, because the event log's time only moves forward."""
from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

import time_machine
from django.db import transaction
from django.utils import timezone

from accounts import actions as accounts
from accounts.models import Division, Organisation, User
from accounts.roles import Role
from applications import actions, deadlines, queries, rules
from applications.models import Application, Pause, Stage
from workdays.schedule import get_schedule

SEED = 20261123
PASSWORD = "getpower-demo"
TZ = ZoneInfo("Asia/Shanghai")
MONTHS_OF_HISTORY = 18

# Applicant profiles per category: inputs an applicant would type; the policy resolves the category.
PROFILES: dict[str, dict] = {
    "lv_residential": dict(voltage_kv="0.22", capacity_kva="8", residential=True, applicant_kind="person"),
    "lv_residential_noworks": dict(voltage_kv="0.22", capacity_kva="6", residential=True, no_works=True,
                                   applicant_kind="person"),
    "lv_sanling": dict(voltage_kv="0.38", capacity_kva="80", sanling=True, applicant_kind="enterprise"),
    "lv_nonresidential": dict(voltage_kv="0.38", capacity_kva="200", applicant_kind="enterprise"),
    "hv10_single": dict(voltage_kv="10", capacity_kva="800", supply="single", applicant_kind="enterprise"),
    "hv10_dual": dict(voltage_kv="10", capacity_kva="2500", supply="dual", important=True,
                      applicant_kind="enterprise"),
    "hv35_single": dict(voltage_kv="35", capacity_kva="8000", supply="single", applicant_kind="enterprise"),
    "hv35_dual": dict(voltage_kv="35", capacity_kva="20000", supply="dual", important=True,
                      applicant_kind="enterprise"),
    "hv_conditional": dict(voltage_kv="10", capacity_kva="630", supply="single", conditional=True,
                           applicant_kind="enterprise"),
}
REGION_PROFILES = {
    "shaanxi": ["lv_residential", "lv_residential_noworks", "lv_sanling", "lv_nonresidential", "hv10_single",
                "hv10_dual"],
    "zhejiang": ["lv_residential", "lv_sanling", "lv_nonresidential", "hv10_single", "hv10_dual", "hv_conditional"],
    # Zaozhuang promises 当日申请，次日接电 to LV customers with no works: some of its residents have none.
    "zaozhuang": ["lv_residential", "lv_residential_noworks", "lv_sanling", "lv_nonresidential", "hv10_single",
                  "hv10_dual", "hv35_single", "hv35_dual"],
}
# Other apps add their demo history here (AppConfig.ready): hook(world=, scheduler=, rng=,
# start_day=, today=, now=) builds what it needs and schedules its steps on the same time line,
# so their steps run in the same time order as the applications'.
DEMO_HOOKS: dict[str, Callable[..., None]] = {}
# A county's own reliability city group where it differs from its city's (枣庄 台儿庄区).
COUNTY_CITY_GROUPS = {"370405": "taierzhuang_gaoxin"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
COMPANIES = ["秦川机械", "长安食品", "曲江文旅", "丝路物流", "高新电子", "鸿运建材", "华清药业", "钱塘纺织",
             "西湖茶业", "甬江模具", "台儿庄酒业", "薛城化工", "峄城石榴", "榆林能源", "神木兰炭"]
STREETS = ["科技路", "长安南路", "雁塔北路", "韦曲街", "文昌路", "西湖大道", "滨江路", "光明路", "解放路", "府谷路"]


@dataclass
class World:
    counties: dict[str, Division] = field(default_factory=dict)
    staff: dict[str, dict[str, User]] = field(default_factory=dict)  # county code -> role -> user
    applicants: list[User] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role, where)


def is_loaded() -> bool:
    return User.objects.filter(username="demo_admin").exists()


@functools.cache
def _password_hash() -> str:
    # Hash once: a hundred PBKDF2 rounds of a million iterations would make loading slow.
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


def _user(world: World, username: str, role: str, org: Organisation | None, display: str, where: str) -> User:
    user = accounts.user_create(username=username, password_hash=_password_hash(), role=role, organisation=org,
                                display_name=display)
    world.logins.append((username, role, where))
    return user


def build_world() -> World:
    world = World()
    D = Division.Level
    U = Organisation.Kind.UTILITY
    # 陕西: two utilities (国网, 地电) — 神木 is served by both.
    sx = accounts.division_create(code="610000", name="陕西省", level=D.PROVINCE, policy_region="shaanxi")
    xian = accounts.division_create(code="610100", name="西安市", level=D.CITY, parent=sx, city_group="xian")
    yulin = accounts.division_create(code="610800", name="榆林市", level=D.CITY, parent=sx, city_group="other")
    sx_counties = {
        "610113": ("雁塔区", xian), "610116": ("长安区", xian), "610802": ("榆阳区", yulin), "610881": ("神木市", yulin),
    }
    # 浙江 and 山东枣庄: one city each, for the other two policies.
    zj = accounts.division_create(code="330000", name="浙江省", level=D.PROVINCE, policy_region="zhejiang")
    hz = accounts.division_create(code="330100", name="杭州市", level=D.CITY, parent=zj, city_group="hangzhou_ningbo")
    sd = accounts.division_create(code="370000", name="山东省", level=D.PROVINCE, policy_region="zaozhuang")
    zz = accounts.division_create(code="370400", name="枣庄市", level=D.CITY, parent=sd, city_group="other")
    other_counties = {
        "330106": ("西湖区", hz), "330108": ("滨江区", hz), "370402": ("市中区", zz), "370405": ("台儿庄区", zz),
    }
    roots = {
        "shaanxi": accounts.organisation_create(code="sgcc-sx", name="国网陕西省电力有限公司", kind=U, division=sx),
        "zhejiang": accounts.organisation_create(code="sgcc-zj", name="国网浙江省电力有限公司", kind=U, division=zj),
        "zaozhuang": accounts.organisation_create(code="sgcc-sd", name="国网山东省电力公司", kind=U, division=sd),
    }
    local = accounts.organisation_create(code="sxdd", name="陕西省地方电力（集团）有限公司", kind=U, division=sx)
    city_orgs = {}
    for city, region, slug in ((xian, "shaanxi", "xian"), (yulin, "shaanxi", "yulin"), (hz, "zhejiang", "hangzhou"),
                               (zz, "zaozhuang", "zaozhuang")):
        city_orgs[city.code] = accounts.organisation_create(
            code=f"sgcc-{slug}", name=f"国网{city.name.rstrip('市')}供电公司", kind=U, division=city,
            parent=roots[region])
        supervisor = _user(world, f"sup_{slug}", Role.SUPERVISOR, city_orgs[city.code], f"{city.name}营销部主管",
                           city.name)
        world.staff.setdefault(city.code, {})[Role.SUPERVISOR] = supervisor
    for code, (name, city) in {**sx_counties, **other_counties}.items():
        county = accounts.division_create(code=code, name=name, level=D.COUNTY, parent=city,
                                          city_group=COUNTY_CITY_GROUPS.get(code, ""))
        world.counties[code] = county
        org = accounts.organisation_create(code=f"sgcc-{code}", name=f"国网{name}供电公司", kind=U, division=county,
                                           parent=city_orgs[city.code])
        staff = {}
        for role, label in ((Role.ACCOUNT_MANAGER, "客户经理"), (Role.PROJECT_MANAGER, "项目经理"),
                            (Role.DESIGNER, "设计"), (Role.INSPECTOR, "检验"), (Role.INSTALLER, "装接"),
                            (Role.SUPERVISOR, "主管")):
            staff[role] = _user(world, f"{role}_{code}", role, org, f"{name}{label}", name)
        world.staff[code] = staff
    shenmu_local = accounts.organisation_create(code="sxdd-610881", name="陕西地电神木分公司", kind=U,
                                                division=world.counties["610881"], parent=local)
    _user(world, "am_sxdd_610881", Role.ACCOUNT_MANAGER, shenmu_local, "地电神木客户经理", "神木市（地电）")
    _user(world, "sup_sxdd_610881", Role.SUPERVISOR, shenmu_local, "地电神木主管", "神木市（地电）")
    regulator = accounts.organisation_create(code="nea-nw", name="国家能源局西北监管局",
                                             kind=Organisation.Kind.REGULATOR, division=sx)
    _user(world, "regulator", Role.REGULATOR, regulator, "西北能监局", "陕西省")
    nature = accounts.organisation_create(code="xian-zrzy", name="西安市自然资源和规划局",
                                          kind=Organisation.Kind.GOV_DEPARTMENT, division=xian,
                                          department="natural_resources")
    _user(world, "gov_xian", Role.GOV_OFFICER, nature, "西安市自然资源和规划局", "西安市")
    _user(world, "demo_admin", Role.ADMIN, roots["shaanxi"], "系统管理员", "全部")
    for i in range(40):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        user = accounts.user_create(username="alice" if i == 0 else f"applicant{i:02d}",
                                    password_hash=_password_hash(), role=Role.APPLICANT, display_name=name)
        world.applicants.append(user)
    world.logins.append(("alice", Role.APPLICANT, "用电客户（网上国网）"))
    return world


def _id_number(rng: random.Random) -> str:
    from accounts.identity import id_check_char

    born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 15000))
    body = f"610113{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + id_check_char(body)


def _uscc(rng: random.Random) -> str:
    from accounts.identity import USCC_CHARSET, uscc_check_char

    body = "91" + "610113" + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    return body + uscc_check_char(body)


def _askable_documents(application) -> list[str]:
    version = application.policy_version
    return [code for code in rules.category_documents(version, application.category)
            if code not in rules.shared_documents(version)]


def _enterprise_size(capacity_kva: str) -> str:
    """A size class that goes with the load (no draw from the generator, so the demo stays as it was)."""
    capacity = float(capacity_kva)
    return "large" if capacity >= 8000 else "medium" if capacity >= 800 else "small" if capacity >= 200 else "micro"


def _work_time(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(hour=rng.randrange(9, 17), minute=rng.randrange(0, 60)), tzinfo=TZ)


@dataclass(order=True)
class Step:
    at: datetime
    order: int
    run: Callable[[], None] = field(compare=False)


class Scheduler:
    """Steps run in time order; a running step may schedule later ones (the next stage)."""

    def __init__(self) -> None:
        self.heap: list[Step] = []
        self.counter = 0

    def at(self, moment: datetime, fn: Callable[[], None]) -> None:
        import heapq

        self.counter += 1
        heapq.heappush(self.heap, Step(moment, self.counter, fn))

    def run(self, *, until: datetime) -> None:
        """Run every step up to `until` (real now): nothing may be logged in the future."""
        import heapq

        sweep_day = None
        while self.heap:
            step = heapq.heappop(self.heap)
            if step.at > until:
                continue
            # The warning sweep as the periodic job would have run it (weekly here, to keep loading fast).
            if sweep_day is None or (step.at.date() - sweep_day).days >= 7:
                sweep_day = step.at.date()
                with time_machine.travel(datetime.combine(sweep_day, time(7), tzinfo=TZ), tick=False):
                    actions.stages_check_deadlines(today=sweep_day)
            with time_machine.travel(step.at, tick=False):
                step.run()


ACTOR_BY_STAGE = {
    "scheme_reply": Role.DESIGNER, "design_review": Role.DESIGNER, "midway_inspection": Role.INSPECTOR,
    "completion_inspection": Role.INSPECTOR, "connection": Role.INSTALLER,
    "construction_connection": Role.INSTALLER, "completion_connection": Role.INSTALLER,
}
PAUSABLE = {"completion_inspection", "midway_inspection", "construction_connection", "completion_connection"}


def _plan_application(rng: random.Random, world: World, county: Division, profile_key: str, submitted: datetime,
                      today: date, scheduler: Scheduler) -> None:
    """The life of one application as timed steps; each step re-reads its application."""
    staff = world.staff[county.code]
    manager = staff[Role.ACCOUNT_MANAGER]
    profile = dict(PROFILES[profile_key])
    kind = profile.pop("applicant_kind")
    applicant = rng.choice(world.applicants)
    person = kind == "person"
    channel = rng.choices(["online", "app", "hall", "phone"], weights=[55, 30, 12, 3])[0]
    by = applicant if channel in ("online", "app") else manager
    data = actions.ApplicationInput(
        county=county.code,
        site_address=f"{county.name}{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
        area_category=rng.choices(["city_core", "urban", "town", "rural"], weights=[20, 40, 25, 15])[0],
        applicant_kind=kind,
        applicant_name=applicant.display_name if person else
        f"{county.parent.name.rstrip('市')}{rng.choice(COMPANIES)}有限公司",
        channel=channel,
        id_number=_id_number(rng) if person else "",
        uscc="" if person else _uscc(rng),
        enterprise_size="" if person else _enterprise_size(profile["capacity_kva"]),
        contact_phone=f"13{rng.randrange(100000000, 999999999)}",
        utility=f"sgcc-{county.code}",  # 神木 is also served by 地电; the demo teams are the 国网 ones
        **profile,
    )
    ref: dict = {}

    def app() -> Application:
        return Application.objects.get(pk=ref["id"])

    def create():
        application, _ = actions.application_create(by=by, data=data)
        ref["id"] = application.pk

    scheduler.at(submitted, create)
    fate = rng.random()
    if fate < 0.04:
        scheduler.at(submitted + timedelta(hours=3), lambda: actions.application_reject(
            application=app(), by=manager, reason="用电地址与产权证明不一致，请核实后重新申请"))
        return
    if fate < 0.07:
        scheduler.at(submitted + timedelta(hours=5), lambda: actions.application_withdraw(
            application=app(), by=by, reason="客户暂缓用电计划"))
        return
    late_habit = rng.random() < 0.12  # some files run late: they feed the overdue lists and 督办

    def plan_current_stage(since: datetime) -> None:
        stage = app().stages.filter(state=Stage.State.ACTIVE).first()
        if stage is None:
            return
        fraction = rng.uniform(1.2, 2.0) if late_habit else rng.uniform(0.2, 0.95)
        workdays = max(1, round(max(stage.limit or 3, 1) * fraction))  # no limit in the policy: a few days
        done_at = _work_time(deadlines.add(timezone.localdate(since), workdays, "workday", schedule=get_schedule()), rng)
        if stage.code in PAUSABLE and rng.random() < 0.35:
            pause_at = since + timedelta(hours=2)
            reason = rng.choice([Pause.Reason.CUSTOMER_WORKS, Pause.Reason.AWAITING_DOCUMENTS])
            # Waiting for documents names one the policy lists and data sharing does not provide.
            askable = _askable_documents(app())
            if reason == Pause.Reason.AWAITING_DOCUMENTS and askable:
                asked, note = [rng.choice(askable)], "请补充上传所列资料"
            else:
                reason, asked, note = Pause.Reason.CUSTOMER_WORKS, [], "等待客户受电工程完工"
            scheduler.at(pause_at, lambda code=stage.code, reason=reason, asked=asked, note=note: actions.stage_pause(
                application=app(), code=code, by=manager, reason=reason, note=note, documents=asked))
            resume_day = deadlines.add(timezone.localdate(pause_at), rng.randrange(2, 8), "workday", schedule=get_schedule())
            resume_at = _work_time(resume_day, rng)
            scheduler.at(resume_at, lambda code=stage.code: actions.stage_resume(
                application=app(), code=code, by=manager))
            done_at = max(done_at, resume_at + timedelta(hours=1))
        actor = staff[ACTOR_BY_STAGE.get(stage.code, Role.ACCOUNT_MANAGER)]

        def complete(code=stage.code, at=done_at):
            checker = staff[Role.SUPERVISOR]
            actions.stage_complete(application=app(), code=code, by=actor, checked_by=checker, result="已办结")
            # The supervisor confirms the check from their own queue, as in the workbench.
            for waiting in queries.confirmations_for(checker).filter(application=app()):
                actions.confirmation_confirm(confirmation=waiting, by=checker)
            plan_current_stage(at)

        scheduler.at(done_at, complete)

    accept_at = submitted + timedelta(hours=rng.randrange(1, 20))

    def accept():
        actions.application_accept(application=app(), by=manager)
        plan_current_stage(accept_at)

    scheduler.at(accept_at, accept)


def load(*, today: date | None = None, applications: int = 300, stdout=None) -> World | None:
    """Build the demo world and history; None when it is already loaded."""
    if is_loaded():
        return None
    rng = random.Random(SEED)
    now = timezone.now()
    today = today or timezone.localdate(now)
    start_day = today - timedelta(days=30 * MONTHS_OF_HISTORY)
    with time_machine.travel(datetime.combine(start_day - timedelta(days=3), time(9), tzinfo=TZ), tick=False), transaction.atomic():
        world = build_world()
    counties = list(world.counties.values())
    scheduler = Scheduler()
    for _ in range(applications):
        county = rng.choice(counties)
        profile = rng.choice(REGION_PROFILES[county.policy_region])
        # Up to yesterday: an application planned for later today would not have happened yet.
        day = start_day + timedelta(days=rng.randrange(0, (today - start_day).days))
        _plan_application(rng, world, county, profile, _work_time(day, rng), today, scheduler)
    for hook in DEMO_HOOKS.values():
        hook(world=world, scheduler=scheduler, rng=random.Random(SEED), start_day=start_day, today=today, now=now)
    scheduler.run(until=now)
    # A last sweep as of now marks today's warnings, overdue stages and 督办.
    actions.stages_check_deadlines(today=today)
    return world


def demo_logins() -> list[tuple[str, str, str]]:
    """One login per role (first county of each), for `make run` to print."""
    from accounts.models import Membership

    shown, rows = set(), []
    memberships = Membership.objects.select_related("user", "organisation__division").order_by("user__id")
    for m in memberships:
        key = (m.role, m.organisation.division.policy_region if m.organisation else "")
        if key in shown and m.user.username not in ("alice", "demo_admin"):
            continue
        shown.add(key)
        rows.append((m.user.username, m.role, m.organisation.name if m.organisation else "用电客户"))
    return rows
