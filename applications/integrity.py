"""体外循环 detection: records that show work done off-system or a clock reset.

- evidence dated before the application was registered (a survey or meter reading, a
  contract signed before the application existed);
- 重走流程: an application rejected or withdrawn and filed again for the same customer
  and site (linked; its full-process clock is measured from the first);
- a stage the policy wants checked by two people, completed and checked by the same user.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db.models import F, QuerySet
from django.utils.timezone import localdate as local_date

from applications import rules
from applications.models import Application, Stage


@dataclass(frozen=True)
class Finding:
    number: str
    kind: str  # evidence_before_registration | refiled | same_person_checked
    stage: str | None
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


def findings(applications: QuerySet[Application]) -> list[Finding]:
    found: list[Finding] = []
    stages = Stage.objects.filter(application__in=applications).select_related("application", "completed_by")
    for stage in stages.filter(evidence_date__isnull=False).order_by("application_id", "seq"):
        registered = local_date(stage.application.submitted_at)
        if stage.evidence_date < registered:
            found.append(Finding(stage.application.number, "evidence_before_registration", stage.code,
                                 f"evidence dated {stage.evidence_date}, application registered {registered}"))
    for application in applications.filter(previous__isnull=False).select_related("previous").order_by("id"):
        found.append(Finding(application.number, "refiled", None,
                             f"re-filed after {application.previous.number} ({application.previous.status}); "
                             f"clock measured from {local_date(application.first_submitted_at)}"))
    same = stages.filter(state=Stage.State.DONE, checked_by=F("completed_by")).order_by("application_id", "seq")
    for stage in same:
        application = stage.application
        if application.policy_version and stage.code in rules.two_person_stages(application.policy_version,
                                                                               application.category):
            found.append(Finding(application.number, "same_person_checked", stage.code,
                                 f"completed and checked by {stage.completed_by}"))
    return found
