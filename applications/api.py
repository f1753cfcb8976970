"""/api/v1/applications: create (idempotent), list, detail with timeline, actions, documents."""
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from pydantic import BaseModel, Field

from accounts import queries as account_queries
from accounts.auth import API_AUTH
from accounts.models import User
from applications import actions, queries
from applications.models import CAPACITY_KVA, VOLTAGE_KV, Application, Stage, current_stage
from core.bounds import MONEY, NOTE_LENGTH, POSITIVE_MONEY, text
from core.dates import StrictDate
from core.errors import NotFound, invalid
from core.readcache import versioned_read
from workdays import clock
from workdays.schedule import get_schedule

router = Router(tags=["applications"], auth=API_AUTH)

Note = text(NOTE_LENGTH)
Username = text(150)


class ApplicationIn(Schema):
    county: text(12) = Field(description="county division code, e.g. 610113")
    site_address: text(255)
    area_category: text(16) = Field(description="city_core | urban | town | rural")
    voltage_kv: VOLTAGE_KV.schema(description="supply voltage in kV, 0.22 to 1000")
    capacity_kva: CAPACITY_KVA.schema(description="capacity in kVA, above 0 and at most 1,000,000")
    applicant_kind: text(16) = Field(description="person | enterprise")
    applicant_name: text(128)
    channel: text(16) = Field("online", description="online | app | hall | phone")
    supply: text(8) = "single"
    uscc: text(18) = ""
    enterprise_size: text(8) = Field("", description="enterprise size class (国家统计局大中小微型企业划分): "
                                                    "large | medium | small | micro; empty for a person")
    id_number: text(18) = ""
    contact_phone: text(20) = ""
    business_type: text(16) = "new"
    residential: bool = False
    important: bool = False
    sanling: bool = False
    no_works: bool = False
    conditional: bool = False
    in_park: bool = False
    utility: text(64) = ""


class Shaped(BaseModel):
    """An answer the view shapes itself as plain dicts: pydantic validates it directly, without
    ninja's Django getter around every value (a fifth of a 50-row list's time)."""


class PauseOut(Shaped):
    reason: str
    note: str
    started_at: datetime
    started_by: str
    ended_at: datetime | None
    workdays: int | None
    requested_documents: list[str]


class StageOut(Shaped):
    seq: int
    code: str
    name: str
    limit: int | None
    unit: str
    state: str
    alert: str
    start_date: date | None
    counts_from: date | None
    own_limit: bool
    base_due: date | None
    due_date: date | None
    provisional: bool
    paused_workdays: int
    ended_at: datetime | None
    grid_workdays: int | None
    assignee: str | None
    completed_by: str | None
    result: str
    explain: dict | None
    pauses: list[PauseOut]


class EventOut(Shaped):
    seq: int
    at: datetime
    actor: str
    verb: str
    data: dict
    claimed_at: datetime | None


class ApplicationSummary(Shaped):
    id: int
    number: str
    status: str
    region: str
    county: str
    category: str
    category_name: str
    channel: str
    applicant_name: str
    voltage_kv: Decimal
    capacity_kva: Decimal
    submitted_at: datetime
    current_stage: str | None
    current_due: date | None
    alert: str


class SchemeOut(Schema):
    label: str
    connection_point: str
    boundary: str
    customer_cost: Decimal
    utility_cost: Decimal
    description: str
    onsite: bool
    transitional: bool
    chosen: bool


class ProjectOut(Schema):
    id: int
    kind: str
    name: str
    planned_end: date | None
    filed_on: date | None
    construction_start: date | None
    construction_end: date | None


class FeeOut(Schema):
    item: str
    amount: Decimal
    basis: str
    works: bool
    cancelled_at: datetime | None


class ConfirmationOut(Shaped):
    id: int
    application: str
    kind: str
    stage: str
    requested_by: str
    confirmer: str
    state: str
    requested_at: datetime
    data: dict


def confirmation_dict(c) -> dict:
    return {"id": c.pk, "application": c.application.number, "kind": c.kind, "stage": c.stage.code,
            "requested_by": c.requested_by.username, "confirmer": c.confirmer.username, "state": c.state,
            "requested_at": c.requested_at, "data": c.data}


class ApplicationDetail(ApplicationSummary):
    site_address: str
    area_category: str
    supply: str
    enterprise_size: str = Field(description="large | medium | small | micro; empty for a person or undeclared")
    policy_version: str | None
    zero_investment: bool | None
    investment_boundary: str
    accepted_at: datetime | None
    energised_at: datetime | None
    closing_reason: str
    previous: str | None
    first_submitted_at: datetime
    account_manager: str | None
    project_manager: str | None
    grid_side_workdays: int
    stages: list[StageOut]
    schemes: list[SchemeOut]
    grid_projects: list[ProjectOut]
    fees: list[FeeOut]
    confirmations: list[ConfirmationOut]
    events: list[EventOut]


def summary_row(row: dict) -> dict:
    """A list row (queries.summary_rows) in the API's shape."""
    row["alert"] = row.pop("current_alert") or ""
    return row


def summary(application: Application, stages) -> dict:
    current = current_stage(stages)
    return summary_row({
        "id": application.pk, "number": application.number, "status": application.status,
        "region": application.region, "county": queries.related(application, "county_code"), "category": application.category,
        "category_name": application.category_name, "channel": application.channel,
        "applicant_name": application.applicant_name, "voltage_kv": application.voltage_kv,
        "capacity_kva": application.capacity_kva, "submitted_at": application.submitted_at,
        "current_stage": current.code if current else None, "current_due": current.due_date if current else None,
        "current_alert": current.alert if current else "",
    })


def explain_dict(stage: Stage, schedule) -> dict | None:
    if stage.counts_from is None or stage.limit is None:
        return None
    why = clock.explain(stage.counts_from, stage.limit, stage.unit, schedule).as_json()
    return {
        **why,
        "paused_workdays": stage.paused_workdays, "due_after_pauses": stage.due_date,
    }


def detail(application: Application) -> dict:
    """The detail of an application read by queries.application_detail_for (any other
    instance gets what it lacks read here, in the same fixed number of queries)."""
    queries.prefetch_detail(application)
    stages = list(application.stages.all())
    has_pauses = queries.has_rows(application, "pauses")
    # One schedule for every stage's explanation: the calendar is checked once per request.
    schedule = get_schedule() if any(s.counts_from and s.limit is not None for s in stages) else None
    return {
        **summary(application, stages),
        "site_address": application.site_address, "area_category": application.area_category,
        "supply": application.supply, "enterprise_size": application.enterprise_size,
        "policy_version": queries.related(application, "policy_version_label"),
        "zero_investment": application.zero_investment, "investment_boundary": application.investment_boundary,
        "accepted_at": application.accepted_at, "energised_at": application.energised_at,
        "closing_reason": application.closing_reason,
        "previous": queries.related(application, "previous_number"),
        "first_submitted_at": application.first_submitted_at,
        "account_manager": queries.related(application, "account_manager_name"),
        "project_manager": queries.related(application, "project_manager_name"),
        "grid_side_workdays": sum(s.grid_workdays or 0 for s in stages),
        "stages": [
            {
                "seq": s.seq, "code": s.code, "name": s.name, "limit": s.limit, "unit": s.unit, "state": s.state,
                "alert": s.alert, "start_date": s.start_date,
                "counts_from": s.counts_from, "own_limit": s.own_limit, "base_due": s.base_due, "due_date": s.due_date,
                "provisional": s.provisional, "paused_workdays": s.paused_workdays, "ended_at": s.ended_at,
                "grid_workdays": s.grid_workdays, "assignee": queries.related(s, "assignee_name"),
                "completed_by": queries.related(s, "completed_by_name"),
                "result": s.result, "explain": explain_dict(s, schedule),
                "pauses": [
                    {"reason": p.reason, "note": p.note, "started_at": p.started_at,
                     "started_by": queries.related(p, "started_by_name"), "ended_at": p.ended_at, "workdays": p.workdays,
                     "requested_documents": p.requested_documents}
                    for p in (s.pauses.all() if has_pauses else ())
                ],
            }
            for s in stages
        ],
        **{name: list(getattr(application, name).all()) if queries.has_rows(application, name) else []
           for name in queries.DETAIL_LISTS},
        "confirmations": [confirmation_dict(c) for c in application.pending_confirmations],
        "events": [
            {"seq": e.seq, "at": e.at, "actor": e.actor_label, "verb": e.verb, "data": e.data,
             "claimed_at": e.claimed_at}
            for e in queries.application_events(application)
        ],
    }


class SummaryPage:
    """What the paginator slices: the count comes from the database and only the rows of the
    requested page are read and shaped (never the whole jurisdiction)."""

    def __init__(self, applications):
        self.applications = applications
        self.total: int | None = None

    def __len__(self) -> int:
        # The page's query counted the rows already, unless the page was empty.
        return self.total if self.total is not None else self.applications.count()

    def __getitem__(self, page: slice) -> list[dict]:
        rows, self.total = queries.summary_rows(self.applications, page)
        return [summary_row(row) for row in rows]


class ListFilters(Schema):
    status: str | None = None
    county: str | None = None
    category: str | None = None
    overdue: bool | None = None
    submitted_from: StrictDate | None = None
    submitted_to: StrictDate | None = None


@router.post("/", response={200: ApplicationDetail, 201: ApplicationDetail})
def create_application(request: HttpRequest, payload: ApplicationIn):
    """Register an application. Send an `Idempotency-Key` header: a repeat returns the first result."""
    key = request.headers.get("Idempotency-Key", "").strip()
    application, created = actions.application_create(
        by=request.auth, data=actions.ApplicationInput(**payload.dict()), idempotency_key=key)
    return Status(201 if created else 200, detail(application))


@router.get("/", response=list[ApplicationSummary])
@versioned_read
@paginate(PageNumberPagination, page_size=50)
def list_applications(request: HttpRequest, filters: Query[ListFilters]):
    return SummaryPage(queries.filter_applications(queries.applications_for(request.auth),
                                                   today=timezone.localdate(timezone.now()), **filters.dict()))


@router.get("/{int:application_id}", response=ApplicationDetail)
@versioned_read
def get_application(request: HttpRequest, application_id: int):
    return detail(queries.application_detail_for(request.auth, application_id))


class AcceptIn(Schema):
    result: Note = ""


class CompleteIn(Schema):
    result: Note = ""
    checked_by: Username | None = Field(None, description="username of the second person, where the policy needs two")
    checker_password: text(128) | None = Field(
        None, description="the checker's own password, checking on the spot; without it the check waits in their queue")
    evidence_date: StrictDate | None = Field(None, description="date written on the evidence (survey, meter reading)")
    claimed_at: datetime | None = Field(None, description="when the client says it happened; stored as a claim only")


class PauseIn(Schema):
    reason: text(32) = Field(description="awaiting_documents | customer_works | customer_requested_date | force_majeure")
    note: Note = ""
    respond_by: StrictDate | None = Field(None, description="the day the customer is asked to act by")
    approved_by: Username | None = None
    approver_password: text(128) | None = Field(
        None, description="the supervisor's own password, approving on the spot; without it the approval waits in their queue")
    documents: list[str] = Field(default_factory=list, max_length=20,
                                 description="awaiting_documents: the policy's document codes asked for")


class ReasonIn(Schema):
    reason: Note = ""


def _user(field: str, username: str | None) -> User | None:
    if not username:
        return None
    user = account_queries.active_user(username)
    if user is None:
        raise invalid(field, f"没有这个账号：{username!r}")
    return user


@router.post("/{int:application_id}/accept", response=ApplicationDetail)
def accept(request, application_id: int, payload: AcceptIn):
    application = queries.application_for(request.auth, application_id)
    return detail(actions.application_accept(application=application, by=request.auth, result=payload.result))


@router.post("/{int:application_id}/stages/{code}/complete", response=ApplicationDetail)
def complete_stage(request, application_id: int, code: str, payload: CompleteIn):
    application = queries.application_for(request.auth, application_id)
    actions.stage_complete(application=application, code=code, by=request.auth, result=payload.result,
                           checked_by=_user("checked_by", payload.checked_by),
                           checker_password=payload.checker_password, evidence_date=payload.evidence_date,
                           claimed_at=payload.claimed_at)
    return detail(queries.application_detail_for(request.auth, application_id))


@router.post("/{int:application_id}/stages/{code}/pause", response=ApplicationDetail)
def pause_stage(request, application_id: int, code: str, payload: PauseIn):
    application = queries.application_for(request.auth, application_id)
    actions.stage_pause(application=application, code=code, by=request.auth, reason=payload.reason,
                        note=payload.note, approved_by=_user("approved_by", payload.approved_by),
                        approver_password=payload.approver_password, respond_by=payload.respond_by,
                        documents=payload.documents)
    return detail(queries.application_detail_for(request.auth, application_id))


@router.post("/{int:application_id}/stages/{code}/resume", response=ApplicationDetail)
def resume_stage(request, application_id: int, code: str):
    application = queries.application_for(request.auth, application_id)
    actions.stage_resume(application=application, code=code, by=request.auth)
    return detail(queries.application_detail_for(request.auth, application_id))


@router.post("/{int:application_id}/reject", response=ApplicationDetail)
def reject(request, application_id: int, payload: ReasonIn):
    application = queries.application_for(request.auth, application_id)
    return detail(actions.application_reject(application=application, by=request.auth, reason=payload.reason))


@router.post("/{int:application_id}/withdraw", response=ApplicationDetail)
def withdraw(request, application_id: int, payload: ReasonIn):
    application = queries.application_for(request.auth, application_id)
    return detail(actions.application_withdraw(application=application, by=request.auth, reason=payload.reason))


class DocumentOut(Schema):
    id: int
    stage_code: str
    doc_type: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


@router.post("/{int:application_id}/documents", response={201: DocumentOut})
def upload_document(request, application_id: int, stage_code: Form[str], doc_type: Form[str],
                    file: File[UploadedFile]):
    application = queries.application_for(request.auth, application_id)
    document = actions.document_upload(application=application, by=request.auth, stage_code=stage_code,
                                       doc_type=doc_type, upload=file)
    return Status(201, document)


class FindingOut(Schema):
    number: str
    kind: str
    stage: str | None
    detail: str


@router.get("/integrity/findings", response=list[FindingOut])
def integrity_findings(request):
    """体外循环 report over the applications the caller may see (supervisors, regulator, admin)."""
    from accounts import access
    from applications.integrity import findings

    access.require(request.auth, "audit.view")
    return [f.as_dict() for f in findings(queries.applications_for(request.auth))]


class SchemeIn(Schema):
    label: text(32)
    connection_point: text(255)
    boundary: text(40)
    customer_cost: MONEY.schema(description="yuan, fen precision")
    utility_cost: MONEY.schema(description="yuan, fen precision")
    description: Note = ""


class SchemesIn(Schema):
    schemes: list[SchemeIn] = Field(max_length=actions.MAX_SCHEMES)
    onsite: bool = Field(False, description="answered at the site survey where the policy allows; completes scheme_reply")
    transitional: bool = Field(False, description="过渡方案 where the grid is constrained and the policy allows")


@router.post("/{int:application_id}/schemes", response=ApplicationDetail)
def propose_schemes(request, application_id: int, payload: SchemesIn):
    application = queries.application_for(request.auth, application_id)
    actions.scheme_propose(application=application, by=request.auth,
                           schemes=[actions.SchemeInput(**s.dict()) for s in payload.schemes],
                           onsite=payload.onsite, transitional=payload.transitional)
    return detail(queries.application_detail_for(request.auth, application_id))


class ChoiceIn(Schema):
    label: text(32)


@router.post("/{int:application_id}/schemes/choose", response=ApplicationDetail)
def choose_scheme(request, application_id: int, payload: ChoiceIn):
    application = queries.application_for(request.auth, application_id)
    actions.scheme_choose(application=application, by=request.auth, label=payload.label)
    return detail(queries.application_detail_for(request.auth, application_id))


class ProjectIn(Schema):
    kind: text(20) = Field(description="supporting_works | upgrade")
    name: text(128)
    planned_end: StrictDate | None = None


@router.post("/{int:application_id}/projects", response=ApplicationDetail)
def open_project(request, application_id: int, payload: ProjectIn):
    application = queries.application_for(request.auth, application_id)
    actions.grid_project_open(application=application, by=request.auth, **payload.dict())
    return detail(queries.application_detail_for(request.auth, application_id))


class ProjectDatesIn(Schema):
    filed_on: StrictDate | None = None
    construction_start: StrictDate | None = None
    construction_end: StrictDate | None = None


@router.post("/{int:application_id}/projects/{int:project_id}", response=ApplicationDetail)
def update_project(request, application_id: int, project_id: int, payload: ProjectDatesIn):
    application = queries.application_for(request.auth, application_id)
    project = application.grid_projects.filter(pk=project_id).first()
    if project is None:
        raise NotFound(f"未找到工程 {project_id}", fields={"project_id": "未找到"})
    actions.grid_project_update(project=project, by=request.auth, **payload.dict())
    return detail(queries.application_detail_for(request.auth, application_id))


class FeeIn(Schema):
    item: text(64) = Field(description="a fee catalogue item of the region's policy: code or name")
    amount: POSITIVE_MONEY.schema(description="yuan, fen precision, above 0")


class ContractorIn(Schema):
    role: str = Field(description="designer | builder | supplier")
    name: str = Field(max_length=128)
    uscc: str = Field("", max_length=18)


class ContractorOut(Schema):
    role: str
    name: str
    uscc: str
    chosen_at: datetime


@router.put("/{int:application_id}/contractors", response=list[ContractorOut],
            summary="The applicant records their own choice of designer / builder / supplier (三指定 ban)")
def choose_contractor(request, application_id: int, payload: ContractorIn):
    application = queries.application_for(request.auth, application_id)
    actions.contractor_choose(application=application, by=request.auth, **payload.dict())
    return list(application.contractors.all())


@router.get("/{int:application_id}/contractors", response=list[ContractorOut])
def list_contractors(request, application_id: int):
    return list(queries.application_for(request.auth, application_id).contractors.all())


@router.post("/{int:application_id}/fees", response=ApplicationDetail)
def add_fee(request, application_id: int, payload: FeeIn):
    application = queries.application_for(request.auth, application_id)
    actions.fee_add(application=application, by=request.auth, **payload.dict())
    return detail(queries.application_detail_for(request.auth, application_id))


@router.get("/confirmations", response=list[ConfirmationOut])
def my_confirmations(request):
    """双人复核 and force-majeure approvals waiting for the caller to confirm themselves."""
    return [confirmation_dict(c) for c in queries.confirmations_for(request.auth).select_related("confirmer")]


class DeclineIn(Schema):
    note: Note = ""


@router.post("/confirmations/{int:confirmation_id}/confirm", response=ApplicationDetail)
def confirm(request, confirmation_id: int):
    confirmation = queries.confirmation_for(request.auth, confirmation_id)
    actions.confirmation_confirm(confirmation=confirmation, by=request.auth)
    return detail(queries.application_detail_for(request.auth, confirmation.application_id))


@router.post("/confirmations/{int:confirmation_id}/decline", response=ApplicationDetail)
def decline(request, confirmation_id: int, payload: DeclineIn):
    confirmation = queries.confirmation_for(request.auth, confirmation_id)
    actions.confirmation_decline(confirmation=confirmation, by=request.auth, note=payload.note)
    return detail(queries.application_detail_for(request.auth, confirmation.application_id))
