"""The approvals part of `getpower demo load`: each demo city's six department offices with an
officer and a supervisor, and a few weeks of routed works decided in parallel — most on
time, some with conditions, one rejection, and a few left late for the sweep to escalate.
Runs inside the applications demo's time-ordered scheduler (applications.demo.DEMO_HOOKS)."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from accounts import actions as accounts
from accounts.models import Division, Organisation, User
from accounts.roles import Role
from applications import demo as application_demo
from applications import rules
from applications.models import Application, Status
from approvals import actions
from approvals.labels import LABELS
from approvals.models import CaseStatus, DepartmentCase
from policies.schema import DEPARTMENT_CODES

TZ = ZoneInfo("Asia/Shanghai")
OFFICE_NAMES = {
    "natural_resources": "自然资源和规划局", "housing_construction": "住房和城乡建设局", "roads": "交通运输局",
    "greening": "林业和绿化局", "traffic_police": "公安局交通警察支队", "administrative_approval": "行政审批服务局",
}
# Days before today on which a works is routed, with what it crosses.
ROUTED = [
    (45, ["city_road"]), (38, []), (30, ["green_space", "trees"]), (24, ["highway"]), (18, ["city_road"]),
    (12, ["national_road"]), (9, ["green_space"]), (6, ["city_road", "green_space"]), (4, []), (2, ["trees"]),
]


def _offices() -> None:
    password = application_demo._password_hash()
    for city in Division.objects.filter(level=Division.Level.CITY, organisations__kind=Organisation.Kind.UTILITY).distinct():
        for department in DEPARTMENT_CODES:
            office = Organisation.objects.filter(kind=Organisation.Kind.GOV_DEPARTMENT, department=department,
                                                 division=city).first()
            if office is None:
                office = accounts.organisation_create(
                    code=f"gov-{city.code}-{department}".replace("_", "-"), name=f"{city.name}{OFFICE_NAMES[department]}",
                    kind=Organisation.Kind.GOV_DEPARTMENT, division=city, department=department)
            slug = f"{department}_{city.code}"
            if not User.objects.filter(username=f"gov_{slug}").exists():
                accounts.user_create(username=f"gov_{slug}", password_hash=password, role=Role.GOV_OFFICER,
                                     organisation=office, display_name=f"{office.name}经办人")
            accounts.user_create(username=f"govchief_{slug}", password_hash=password, role=Role.GOV_SUPERVISOR,
                                 organisation=office, display_name=f"{office.name}负责人")


def _route(*, world, scheduler, rng: random.Random, crossings: list[str], at: datetime, today: date, late: bool) -> None:
    open_ones = (Application.objects.filter(status=Status.IN_PROGRESS, approval_requests__isnull=True)
                 .select_related("county").order_by("pk"))
    candidates = list(open_ones[:60])
    if not candidates:
        return
    application = rng.choice(candidates)
    manager = world.staff[application.county.code][Role.ACCOUNT_MANAGER]
    # The kW of the request: the stored kVA by the policy's power factor (a national setting).
    kw = rules.kw_for(application.policy_version, application.capacity_kva) or float(application.capacity_kva)
    request = actions.request_submit(application=application, by=manager, kw=kw,
                                     length_m=rng.choice([80, 150, 199, 260, 900, 1500]), crossings=crossings,
                                     sanling=application.sanling)
    for case in request.cases.all():
        if late and case.department == "natural_resources":
            continue  # left undecided: the sweep escalates it once it is past due
        decide_at = at + timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5))
        if decide_at.date() > today:
            continue
        case_rng = random.Random(rng.random())
        scheduler.at(decide_at, lambda case=case, rng=case_rng: _decide(case, rng))


def _decide(case: DepartmentCase, rng: random.Random) -> None:
    officer = User.objects.filter(username=f"gov_{case.department}_{case.organisation.division.code}").first()
    if officer is None:
        return
    roll = rng.random()
    if roll < 0.65:
        actions.case_decide(case=case, by=officer, decision=CaseStatus.APPROVED)
    elif roll < 0.93:
        conditions = {"greening": "施工后补植同等数量乔木", "traffic_police": "夜间22时至次日6时施工，设置交通疏导标志",
                      "housing_construction": "按原标准恢复路面并接受验收"}.get(case.department, "按审批范围施工")
        actions.case_decide(case=case, by=officer, decision=CaseStatus.APPROVED_WITH_CONDITIONS, conditions=conditions)
    else:
        actions.case_decide(case=case, by=officer, decision=CaseStatus.REJECTED,
                            reason=f"{LABELS['department'][case.department]}：管线路径与既有设施冲突，请调整后重新申请")


def plan(*, scheduler, world, rng: random.Random, start_day: date, today: date, now: datetime) -> None:
    scheduler.at(datetime.combine(start_day - timedelta(days=2), time(9), tzinfo=TZ), _offices)
    for index, (days_before, crossings) in enumerate(ROUTED):
        moment = datetime.combine(today - timedelta(days=days_before), time(10, 30), tzinfo=TZ)
        if moment >= now:
            continue
        scheduler.at(moment, lambda crossings=crossings, moment=moment, late=index % 4 == 1: _route(
            world=world, scheduler=scheduler, rng=rng, crossings=crossings, at=moment, today=today, late=late))
    scheduler.at(now - timedelta(minutes=1), actions.cases_check_overdue)
