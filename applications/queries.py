"""Reads of applications: the only way views and the API fetch what a user may see."""
from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from accounts import access
from accounts.models import User
from applications.models import OPEN_STAGE_STATES, Application, Confirmation, Escalation, Stage
from core.errors import NotFound


def applications_for(user: User) -> QuerySet[Application]:
    return access.scope(user, Application.objects.all(), division_field="county", utility_field="utility",
                        owner_field="applicant_user")


def application_for(user: User, pk) -> Application:
    return access.get_visible(user, Application.objects.select_related("county", "policy_version"), pk=pk,
                              what="application", division_field="county", utility_field="utility",
                              owner_field="applicant_user")


def application_by_number(user: User, number: str) -> Application:
    found = applications_for(user).filter(number=number).values_list("pk", flat=True).first()
    return application_for(user, found if found is not None else -1)


def overdue_stages(today: date) -> QuerySet[Stage]:
    return Stage.objects.filter(state__in=[Stage.State.ACTIVE], due_date__lt=today)


def filter_applications(
    qs: QuerySet[Application], *, status: str | None = None, county: str | None = None,
    category: str | None = None, overdue: bool | None = None, submitted_from: date | None = None,
    submitted_to: date | None = None, today: date | None = None,
) -> QuerySet[Application]:
    if status:
        qs = qs.filter(status=status)
    if county:
        qs = qs.filter(county__code=county)
    if category:
        qs = qs.filter(category=category)
    if submitted_from:
        qs = qs.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        qs = qs.filter(submitted_at__date__lte=submitted_to)
    if overdue is not None and today is not None:
        late = Exists(overdue_stages(today).filter(application=OuterRef("pk")))
        qs = qs.filter(late) if overdue else qs.exclude(late)
    return qs


def my_queue(user: User) -> QuerySet[Stage]:
    """Stages assigned to the user (or, for HV, the managers' applications), soonest due first."""
    from django.db.models import Q

    return (
        Stage.objects.filter(state__in=OPEN_STAGE_STATES)
        .filter(Q(assignee=user) | Q(application__account_manager=user) | Q(application__project_manager=user))
        .select_related("application")
        .order_by("due_date", "id")
        .distinct()
    )


def confirmations_for(user: User) -> QuerySet[Confirmation]:
    """The confirmations waiting for this user (双人复核, force-majeure approvals), oldest first."""
    return (Confirmation.objects.filter(confirmer=user, state=Confirmation.State.PENDING,
                                        application__in=applications_for(user))
            .select_related("application", "stage", "requested_by").order_by("requested_at", "id"))


def confirmation_for(user: User, pk) -> Confirmation:
    """One of the user's own pending confirmations; anyone else's answers as not found."""
    found = confirmations_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"未找到确认事项 {pk}", fields={"confirmation": "未找到"})
    return found


def first_staff(organisation, role: str) -> User | None:
    """The first active user holding `role` in `organisation` (the county supervisor who gets a
    督办, the project manager of an HV file): one definition of "who is that"."""
    return (User.objects.filter(memberships__role=role, memberships__organisation=organisation, is_active=True)
            .order_by("id").first())


def escalations_for(user: User) -> QuerySet[Escalation]:
    """督办 the user may see: all of their jurisdiction for those who oversee, else the ones on
    stages they handle or manage."""
    from django.db.models import Q

    qs = Escalation.objects.filter(stage__application__in=applications_for(user))
    if not access.can(user, "escalation.view"):
        qs = qs.filter(Q(stage__assignee=user) | Q(stage__application__account_manager=user)
                       | Q(stage__application__project_manager=user) | Q(supervisor=user))
    return qs.select_related("stage__application__county", "stage__assignee", "supervisor", "replied_by")


def filter_escalations(qs: QuerySet[Escalation], *, state: str = "", county: str = "", overdue: bool | None = None,
                       today: date) -> QuerySet[Escalation]:
    """Overdue: not closed and past its own deadline. Open ones first, the most urgent on top."""
    if state in Escalation.State.values:
        qs = qs.filter(state=state)
    if county:
        qs = qs.filter(stage__application__county__code=county)
    late = {"due_date__lt": today}
    if overdue is True:
        qs = qs.filter(**late).exclude(state=Escalation.State.CLOSED)
    elif overdue is False:
        qs = qs.exclude(state__in=[Escalation.State.OPEN, Escalation.State.REPLIED], **late)
    return qs.order_by("closed_at", "due_date", "-opened_at", "-id")


def missing_documents(application: Application, stage: Stage | None) -> list[str]:
    """What the policy lists for this stage that is neither on file nor obtained by data sharing
    (四免) nor the one certificate: 设计审查 without the design documents, say. Codes, in the
    policy's order."""
    from applications import rules

    if stage is None or application.policy_version is None:
        return []
    listed = rules.stage_documents(application.policy_version, application.category, stage.code)
    # On file, obtained by data sharing, or the one certificate shown at acceptance (一证通办).
    held = set(application.documents.values_list("doc_type", flat=True)) | rules.shared_documents(
        application.policy_version) | {rules.one_certificate(application.policy_version)}
    return [code for code in listed if code not in held]
