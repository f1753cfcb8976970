"""Roles and what each may do: a plain registry, read by accounts.access."""
from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    APPLICANT = "applicant", "用电客户 applicant"
    ACCOUNT_MANAGER = "account_manager", "客户经理 account manager"
    PROJECT_MANAGER = "project_manager", "项目经理 project manager"
    DESIGNER = "designer", "设计人员 designer"
    INSPECTOR = "inspector", "检验人员 inspector"
    INSTALLER = "installer", "装表接电人员 installer"
    SUPERVISOR = "supervisor", "营销主管 supervisor"
    DISPATCHER = "dispatcher", "运检调度 dispatcher"
    GOV_OFFICER = "gov_officer", "政府部门 gov officer"
    GOV_SUPERVISOR = "gov_supervisor", "政府部门负责人 department supervisor"
    ENERGY_BUREAU = "energy_bureau", "能源主管部门 energy bureau"
    REGULATOR = "regulator", "能源监管 regulator"
    ADMIN = "admin", "系统管理员 admin"



def role_choices() -> list[tuple[str, str]]:
    return Role.choices

GOVERNMENT = {Role.GOV_OFFICER, Role.GOV_SUPERVISOR}
# They judge the programme and hold no work queue of their own.
OVERSIGHT = {Role.REGULATOR, Role.ENERGY_BUREAU}


def landing(roles: set[str]) -> str:
    """Where a person lands after logging in (a URL name): applicants in the portal, the regulator
    and the energy bureau on the overview, government departments in their approval cases,
    dispatchers in the outage list, everyone else in the workbench queue."""
    if not roles or roles <= {Role.APPLICANT}:
        return "customers:home"
    if roles <= OVERSIGHT:
        return "monitoring:overview"
    if roles <= GOVERNMENT:
        return "approvals:workbench"  # departments work their approval cases, not the grid queue
    if roles <= {Role.DISPATCHER}:
        return "outages:list"  # 运检调度 plan and run outages; the application queue is not theirs
    return "applications:queue"

GRID_STAFF = {
    Role.ACCOUNT_MANAGER,
    Role.PROJECT_MANAGER,
    Role.DESIGNER,
    Role.INSPECTOR,
    Role.INSTALLER,
    Role.SUPERVISOR,
}

# Who works in the staff workbench (工作台); everyone else is sent to where they land.
WORKBENCH_ROLES = frozenset({*GRID_STAFF, Role.REGULATOR, Role.ADMIN, Role.GOV_OFFICER})

# permission code -> roles holding it. Jurisdiction is checked separately (access.py).
PERMISSIONS: dict[str, frozenset[str]] = {
    "application.view": frozenset({*GRID_STAFF, Role.APPLICANT, Role.REGULATOR, Role.ADMIN, Role.GOV_OFFICER}),
    "application.create": frozenset({Role.APPLICANT, Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "application.accept": frozenset({Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "application.reject": frozenset({Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "application.withdraw": frozenset({Role.APPLICANT, Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "application.upload": frozenset({Role.APPLICANT, Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "stage.complete": frozenset({*GRID_STAFF, Role.ADMIN}),
    "stage.pause": frozenset({*GRID_STAFF, Role.ADMIN}),
    "stage.resume": frozenset({*GRID_STAFF, Role.ADMIN}),
    "pause.approve_force_majeure": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    "escalation.view": frozenset({Role.SUPERVISOR, Role.REGULATOR, Role.ADMIN}),
    "escalation.reply": frozenset({*GRID_STAFF, Role.ADMIN}),
    "escalation.close": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    "application.reassign": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    "audit.view": frozenset({Role.SUPERVISOR, Role.REGULATOR, Role.ADMIN}),
    "scheme.propose": frozenset({Role.DESIGNER, Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "scheme.choose": frozenset({Role.APPLICANT, Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "project.update": frozenset({Role.PROJECT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "fee.add": frozenset({Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    # Supply contract: anyone who may see the application may read it; only the applicant signs.
    "contract.view": frozenset({*GRID_STAFF, Role.APPLICANT, Role.REGULATOR, Role.ADMIN}),
    "contract.generate": frozenset({Role.APPLICANT, Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "contract.sign": frozenset({Role.APPLICANT}),
    "payment.view": frozenset({*GRID_STAFF, Role.APPLICANT, Role.REGULATOR, Role.ADMIN}),
    "payment.pay": frozenset({Role.APPLICANT}),
    "appointment.publish": frozenset({Role.ACCOUNT_MANAGER, Role.SUPERVISOR}),
    "appointment.book": frozenset({Role.APPLICANT}),
    # Indicators: the energy bureau and the regulator judge the programme; supervisors watch their county.
    "indicators.view": frozenset({Role.SUPERVISOR, Role.ENERGY_BUREAU, Role.REGULATOR, Role.ADMIN}),
    "reports.generate": frozenset({Role.ENERGY_BUREAU, Role.REGULATOR, Role.ADMIN}),
    # Oversight (通报, 抽查, 监督检查与约谈): the energy bureau issues and reviews; supervisors close their follow-ups.
    "bulletin.issue": frozenset({Role.ENERGY_BUREAU, Role.ADMIN}),
    "spot_check.draw": frozenset({Role.ENERGY_BUREAU, Role.REGULATOR, Role.ADMIN}),
    "spot_check.review": frozenset({Role.ENERGY_BUREAU, Role.REGULATOR, Role.ADMIN}),
    "inspection.record": frozenset({Role.ENERGY_BUREAU, Role.REGULATOR, Role.ADMIN}),
    "follow_up.close": frozenset({Role.ENERGY_BUREAU, Role.REGULATOR, Role.SUPERVISOR, Role.ADMIN}),
    # 无感监测: admins register the regulator systems indicator changes are pushed to.
    "monitoring.endpoints": frozenset({Role.ADMIN}),
    # 投诉 / hot-line cases: applicants file their own; staff enter phone cases and answer them.
    "complaint.file": frozenset({Role.APPLICANT}),
    "complaint.enter": frozenset({Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "complaint.view": frozenset({*GRID_STAFF, Role.REGULATOR, Role.ADMIN}),
    "complaint.reply": frozenset({Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "complaint.close": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    # Outages: operations staff plan and run them; the supervisor approves (先算后停).
    "outage.view": frozenset({*GRID_STAFF, Role.DISPATCHER, Role.REGULATOR, Role.ADMIN, Role.GOV_OFFICER}),
    "outage.plan": frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN}),
    "outage.approve": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    "outage.operate": frozenset({Role.DISPATCHER, Role.SUPERVISOR, Role.ADMIN}),
    # Task ledger: units report, the energy bureau (a gov_officer in an energy_bureau org) reviews.
    "ledger.view": frozenset({*GRID_STAFF, Role.GOV_OFFICER, Role.REGULATOR, Role.ADMIN}),
    "ledger.report": frozenset({Role.SUPERVISOR, Role.PROJECT_MANAGER, Role.ACCOUNT_MANAGER, Role.GOV_OFFICER,
                                Role.REGULATOR, Role.ADMIN}),
    "ledger.review": frozenset({Role.GOV_OFFICER, Role.ADMIN}),
    "ledger.rectify": frozenset({Role.SUPERVISOR, Role.GOV_OFFICER, Role.ADMIN}),
    "practice.submit": frozenset({Role.SUPERVISOR, Role.GOV_OFFICER, Role.REGULATOR, Role.ADMIN}),
    "practice.review": frozenset({Role.GOV_OFFICER, Role.REGULATOR, Role.ADMIN}),
    "fee_report.handle": frozenset({Role.REGULATOR, Role.ADMIN}),
    "appointment.cancel": frozenset({Role.APPLICANT, Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    # Power-access approvals: grid staff route and file; the department's officers decide;
    # its supervisor also receives the overdue cases (督办).
    "approval.view": frozenset({*GRID_STAFF, *GOVERNMENT, Role.APPLICANT, Role.REGULATOR, Role.ADMIN}),
    "approval.route": frozenset({Role.ACCOUNT_MANAGER, Role.PROJECT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "approval.file": frozenset({Role.ACCOUNT_MANAGER, Role.PROJECT_MANAGER, Role.SUPERVISOR, Role.ADMIN}),
    "approval.decide": frozenset(GOVERNMENT),
}
