"""The shape of a policy: what every file in policies/data must say, checked at load.

Pure (no Django). Two levels:
- `PolicyFile`: one YAML file as written — header, file-level notes and one-way rules, and
  a list of versions. A version is an overlay on the one before it (and the first on the
  parent region), so its content is only typed loosely here.
- `PolicyDocument`: a version in force after inheritance has been applied. This is what is
  validated in full, stored, pinned by applications and shown.

Every number is a `Quantity`: value, unit, kind and the source it comes from (a seed file
and its section or table row, or `setting` with a reason when the number is ours).

Effective dates follow one rule (policies.effective), for every version of every region:
each version lists the `deadlines` it brings in force, in the seed's words; a deadline dated
within year X ("X年底前", "X年M月底前", "X年M月D日前", "X年上半年", "X年起", "X年") takes effect
on 1 January of X, so that version's `effective_from` is 1 January of X; a promise achieved
already or undated ("已实现，持续巩固提升", "已完成 巩固推进", "持续推进", "现行") binds from the
file's first version. A version whose date does not follow from its deadlines is refused.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from policies import effective

SEED_FILE = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
SEED_CITATION = re.compile(r"(\d{3}_[0-9a-f]{16}\.txt)\s+\S")
# A county or a later region cites its own document the same way: file name, then where.
DOCUMENT_CITATION = re.compile(r"([\w.-]+\.(?:txt|pdf|docx?|html?))\s+\S")
SETTING = "setting"


def _seed_citation(value: str) -> str:
    if not DOCUMENT_CITATION.match(value):
        raise ValueError(
            "cite a document file and where in it, e.g. '003_e17465e3b27c8d74.txt 附件1 高压单电源用户 供电方案答复'"
        )
    return value


def _source(value: str) -> str:
    return value if value == SETTING else _seed_citation(value)


def _seed_file(value: str) -> str:
    if not SEED_FILE.fullmatch(value):
        raise ValueError("a seed file name looks like '003_e17465e3b27c8d74.txt'")
    return value


def _keep_integers(value: float) -> float | int:
    # 53 stays 53 in the JSON a person reads and in the hash; 0.8 stays 0.8.
    return int(value) if float(value).is_integer() else value


Source = Annotated[str, AfterValidator(_source)]
SeedCitation = Annotated[str, AfterValidator(_seed_citation)]
SeedFile = Annotated[str, AfterValidator(_seed_file)]
Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
NoteId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
Text = Annotated[str, Field(min_length=1)]
# Ints stay ints (53 prints as 53, not 53.0); strict, so "53" or true in a file is an error.
Number = Annotated[
    Annotated[int, Field(strict=True, ge=0)] | Annotated[float, Field(strict=True, ge=0)],
    Field(union_mode="left_to_right"),
    AfterValidator(_keep_integers),
]

Unit = Literal["workday", "day", "month", "hour", "kW", "kVA", "kV", "m", "percent", "stage", "ratio"]
# limit: binds every case; average / share / relative: measured over many cases;
# minimum: a lead time the customer must give (advance notice), not a limit on anyone.
Kind = Literal["limit", "average", "share", "relative", "minimum"]
STAGE_CODES = (
    "acceptance",
    "scheme_reply",
    "design_review",
    "midway_inspection",
    "completion_inspection",
    "connection",
    "construction_connection",
    "completion_connection",
)
StageCode = Literal[STAGE_CODES]
AREAS = ("city_core", "urban", "town", "rural")
Area = Literal[AREAS]
AreaGroup = Literal["all", "urban", "rural"]
Voltage = Literal["lv", "hv"]
Supply = Literal["single", "dual"]
Boundary = Literal[
    "to_meter", "to_red_line", "to_red_line_incl_metering", "to_planning_red_line", "to_building_zone_red_line"
]
# in_force: binding now; pilot/explore: being tried; encouraged: the seed only encourages it.
Status = Literal["in_force", "pilot", "explore", "encouraged"]
Route = Literal[
    "exempt",
    "notification_commitment",
    "advance_notice",
    "parallel",
    "filing",
    "cancelled",
    "standard",
    "road_works_agreement",
]
# What a grid-connection route crosses or digs (issue 11); the policy maps each to departments.
CROSSING_CODES = (
    "expressway",
    "trunk_road",
    "highway",
    "city_road",
    "green_space",
    "trees",
    "ancient_trees",
    "national_road",
    "provincial_road",
    "county_road",
)
Crossing = Literal[CROSSING_CODES]
# One department code list for policy data, demo and tests (issue 11).
DEPARTMENT_CODES = (
    "natural_resources",
    "housing_construction",
    "roads",
    "greening",
    "traffic_police",
    "administrative_approval",
)
Department = Literal[DEPARTMENT_CODES]
Period = Literal["month", "quarter", "year", "realtime", "unspecified"]
OneWayRuleCode = Literal["zero_investment_never_shrinks", "saidi_never_loosens"]


class Model(BaseModel):
    # A misspelt key is an error, never silently ignored.
    model_config = ConfigDict(extra="forbid")


class Quantity(Model):
    value: Number
    value_max: Number | None = None  # a range such as "再压减1-3个工作日"
    unit: Unit
    kind: Kind
    source: Source
    reason: str | None = None  # required when the number is our setting
    basis: str | None = None  # what a relative target is relative to
    derived: str | None = None  # how the number follows from the cited figures
    reading: str | None = None  # what we infer beyond the cited words (the source quotes only the seed)
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Quantity:
        if self.source == SETTING and not self.reason:
            raise ValueError("a number marked 'source: setting' needs a 'reason'")
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError("value_max is below value")
        if self.kind == "relative" and not self.basis:
            raise ValueError("a relative target needs a 'basis' (what it is relative to)")
        return self

    def __str__(self) -> str:
        shown = f"{self.value}" if self.value_max is None else f"{self.value}–{self.value_max}"
        return f"{shown} {self.unit}"


# Narrower quantities: a wrong unit is reported at `....unit`, where it was written.
class Duration(Quantity):
    unit: Literal["workday", "day"]


class Months(Quantity):
    unit: Literal["month"]


class Hours(Quantity):
    unit: Literal["hour"]


class Percent(Quantity):
    unit: Literal["percent"]


class Capacity(Quantity):
    unit: Literal["kW", "kVA"]


class Length(Quantity):
    unit: Literal["m"]


class VoltageLevel(Quantity):
    unit: Literal["kV"]


class StageCount(Quantity):
    unit: Literal["stage"]


# --- customer categories and their stages ---------------------------------------------


class StageDocuments(Model):
    """The closed list: nothing outside `required` may be asked at this stage."""

    required: list[Code]
    source: Source
    reading: str | None = None


class Stage(Model):
    code: StageCode
    name: Text
    limit: Duration | None = None  # None: the seed sets no limit of its own; the totals bind
    when: Literal["important"] | None = None  # only for important / high-risk customers
    documents: StageDocuments | None = None


class AppliesTo(Model):
    """Criteria for category resolution; the most specific matching category wins."""

    voltage: Voltage
    voltage_kv_min: VoltageLevel | None = None  # inclusive
    voltage_kv_below: VoltageLevel | None = None  # exclusive
    supply: Supply | None = None
    residential: bool | None = None
    sanling: bool | None = None
    important: bool | None = None
    conditional: bool | None = None
    capacity_max: Capacity | None = None  # inclusive
    source: Source
    reading: str | None = None

    def criteria(self) -> dict[str, Any]:
        return {k: v for k, v in self.model_dump(exclude={"source", "reading"}).items() if v is not None}


class Target(Model):
    """A promise measured over many cases (average, share, relative) rather than per case."""

    name: Text
    quantity: Quantity


class Covers(Model):
    """Whose promise a category is, for a category no application resolves to (the root's
    53 / 74 days): a region's new category may not take these customers from it."""

    voltage: Voltage
    supply: Supply | None = None


class Category(Model):
    name: Text
    unit: Literal["workday", "day"]
    parent_category: Code | None = None
    covers: Covers | None = None
    applies_to: AppliesTo | None = None
    stages: list[Stage] = []
    stages_source: Source | None = None
    max_stages: StageCount | None = None  # at most this many stages per case, whatever the flags
    grid_side_limit: Duration | None = None
    full_process_limit: Duration | None = None
    targets: dict[Code, Target] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Category:
        codes = [stage.code for stage in self.stages]
        if len(codes) != len(set(codes)):
            raise ValueError(f"a stage is listed twice: {codes}")
        for stage in self.stages:
            if stage.limit is not None and stage.limit.unit != self.unit:
                raise ValueError(
                    f"stage {stage.code}: limit unit '{stage.limit.unit}' differs from the category unit '{self.unit}'"
                )
        if self.applies_to is not None:
            if not self.stages:
                raise ValueError("a category that applications can resolve to needs its stages")
            if self.stages_source is None:
                raise ValueError("stages_source: say where the stage list comes from")
            missing = [stage.code for stage in self.stages if stage.documents is None]
            if missing:
                raise ValueError(f"stages without their closed document list: {missing}")
        # Whatever the customer's flags, the stages a case goes through never promise more
        # time than the category's total (note zj-hv-stages-by-risk for the one seed table
        # that would: its important single-supply customers).
        total = self.grid_side_limit or self.full_process_limit
        if total is not None:
            for important in (False, True):
                limits = [
                    s.limit
                    for s in self.stages
                    if (s.when is None or important) and s.limit is not None and s.limit.unit == total.unit
                ]
                stage_sum = sum(limit.value for limit in limits)
                if stage_sum > total.value:
                    who = "important customers" if important and any(s.when for s in self.stages) else "every customer"
                    raise ValueError(f"stage limits add up to {stage_sum} {total.unit} for {who}, above the total {total}")
        return self


# --- approvals (电力接入工程审批) ----------------------------------------------------------


class Departments(Model):
    """Which departments a case goes to, and on what authority."""

    departments: list[Department] = Field(min_length=1)
    source: Source
    reason: str | None = None

    @model_validator(mode="after")
    def _reasoned(self) -> Departments:
        if self.source == SETTING and not self.reason:
            raise ValueError("departments marked 'source: setting' need a 'reason'")
        return self


class ApprovalLimit(Model):
    name: Text
    voltage: Voltage
    voltage_kv_min: VoltageLevel | None = None
    voltage_kv_max: VoltageLevel | None = None
    routes: list[Route] = []
    # All apply and the earliest due date binds; empty: the seed gives no figure.
    limits: list[Duration] = []
    note: str | None = None
    source: Source


class ExemptionConditions(Model):
    voltage: Voltage
    capacity_max: Capacity | None = None
    line_length_max: Length | None = None
    sanling: bool | None = None
    no_interested_parties: bool | None = None
    short_distance: bool | None = None


class LeadTime(Duration):
    """How long before the works the customer must notify (提前3天): a minimum, not a limit."""

    kind: Literal["minimum"]


class ExemptionException(Model):
    works: Text
    # The crossings that take a case out of the exemption onto this exception's routes.
    crossings: list[Crossing] = []
    routes: list[Route]
    departments: list[Department] = []
    advance_notice: LeadTime | None = None
    requires: list[Text] = []
    source: Source


class Exemption(Model):
    status: Status
    conditions: ExemptionConditions
    routes: list[Route]
    exceptions: list[ExemptionException] = []
    source: Source


class NotificationCommitment(Model):
    status: Status
    applies_to: Text
    documents: list[Code]
    steps: list[Text]
    report_within: Months | None = None
    source: Source


class CompletionPush(Model):
    within: Months
    recipients: list[Code]
    source: Source


class FullProcessRule(Model):
    """Whether the departments' approval time counts toward full-process limits."""

    counts_approval_time: bool
    source: Source
    reason: str | None = None


class Approvals(Model):
    limits: dict[Code, ApprovalLimit] = {}
    exemption: Exemption | None = None
    notification_commitment: NotificationCommitment | None = None
    completion_push: CompletionPush | None = None
    # Every case that is not exempt goes to `base`, plus each crossing's departments.
    base: Departments | None = None
    crossings: dict[Crossing, Departments] = {}
    full_process: FullProcessRule | None = None

    @model_validator(mode="after")
    def _exceptions_disjoint(self) -> Approvals:
        if self.exemption is not None:
            seen: dict[str, int] = {}
            for i, exception in enumerate(self.exemption.exceptions):
                for crossing in exception.crossings:
                    if crossing in seen:
                        raise ValueError(
                            f"exemption.exceptions[{i}]: crossing {crossing} is already in exceptions[{seen[crossing]}]"
                        )
                    seen[crossing] = i
        return self


# --- zero investment and the investment boundary -------------------------------------


class ZeroInvestmentScope(Model):
    name: Text
    categories: list[Code]
    thresholds: dict[AreaGroup, Capacity] = {}  # empty: the seed names the group, no kW figure
    source: Source
    reading: str | None = None


class ZeroInvestment(Model):
    scope: dict[Code, ZeroInvestmentScope]
    # Which threshold an area category uses where the seed splits 城市 / 农村.
    area_map: dict[Area, Literal["urban", "rural"]] | None = None
    area_map_reason: str | None = None

    @model_validator(mode="after")
    def _area_map_explained(self) -> ZeroInvestment:
        if self.area_map is not None and not self.area_map_reason:
            raise ValueError("area_map_reason: say why the area categories map this way")
        split = any(set(s.thresholds) & {"urban", "rural"} for s in self.scope.values())
        if split and self.area_map is None:
            raise ValueError("area_map: thresholds split urban / rural, so map every area category to one of them")
        return self


class InvestmentBoundary(Model):
    code: Code
    name: Text
    categories: list[Code]
    boundary: Boundary | None = None  # None: the seed says "extend" without saying how far
    conditions: list[Code] = []  # any of them qualifies (e.g. provincial_park)
    capacity_max: Capacity | None = None
    areas: list[Area] = []  # empty: every area
    status: Status
    source: Source


# --- reliability ----------------------------------------------------------------------


class ReliabilityTarget(Model):
    """Either bound suffices where the seed says "…以内，或年均同比压缩8%以上"."""

    year: int
    city_group: Code
    area: Area | Literal["all"]
    saidi: Hours | None = None
    yoy_reduction: Percent | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _something(self) -> ReliabilityTarget:
        if self.saidi is None and self.yoy_reduction is None:
            raise ValueError("a reliability target needs saidi, yoy_reduction or both")
        return self

    @property
    def key(self) -> str:
        return f"{self.city_group}.{self.area}"


class HighReliabilityZones(Model):
    saidi: Hours
    status: Status
    source: Source


class Criteria(Model):
    voltage_kv: VoltageLevel | None = None
    supply: Supply | None = None
    capacity_max: Capacity | None = None


class OnsiteSchemeReply(Model):
    applies_to: Criteria
    completes_stage: StageCode
    status: Status
    source: Source


class TransitionalScheme(Model):
    applies_to: Criteria
    trigger: Text
    opens: Text
    status: Status
    source: Source


class NextDayConnection(Model):
    voltage: Voltage
    no_works: bool
    limit: Duration
    source: Source


class Connection(Model):
    lv_capacity_max: Capacity
    # True: only 三零 customers are connected at low voltage up to the cap (Zaozhuang);
    # None: every customer up to the cap.
    sanling: Literal[True] | None = None


# --- reporting, rules, documents, settings --------------------------------------------


class ReportingRule(Model):
    name: Text
    period: Period
    due: Duration | None = None
    due_from: str | None = None  # what the due limit counts from
    recipients: list[Text] = []
    cc: list[Text] = []
    contents: list[Text] = []
    source: Source

    @model_validator(mode="after")
    def _due_explained(self) -> ReportingRule:
        if self.due is not None and not self.due_from:
            raise ValueError("due_from: say what the due limit counts from")
        return self


class Rule(Model):
    name: Text
    text: Text
    status: Status = "in_force"
    source: Source


class DocumentType(Model):
    name: Text
    source: Source


class Principle(Model):
    name: Text
    source: Source


class OneCertificate(Model):
    document: Code
    source: Source


class Sharing(Model):
    documents: list[Code]
    source: Source


class DocumentRules(Model):
    principles: dict[Code, Principle] = {}
    one_certificate: OneCertificate | None = None
    sharing: Sharing | None = None


class PauseReason(Model):
    name: Text
    needs_supervisor: bool = False


class PowerFactor(Quantity):
    """cos φ: real power (kW) = apparent power (kVA) × power factor; a minimum the customer's
    installation must reach (kind minimum), used to convert between kW and kVA."""

    value: Annotated[float, Field(strict=True, gt=0, le=1)]
    unit: Literal["ratio"]
    kind: Literal["minimum"]


class Settings(Model):
    """Numbers and lists that are ours, not the seeds' (all `source: setting`)."""

    warning_days_left: Duration
    warning_share_used: Percent
    escalation_limit: Duration
    two_person_stages: list[StageCode]
    pause_reasons: dict[Code, PauseReason]
    # Planned outages are noticed at least this long before they start (outages app).
    outage_notice_lead: Duration | None = None
    # Planned works on the same feeder within this many days are proposed for merging (一停多用).
    outage_merge_window: Duration | None = None
    # Converts the kW an applicant states into the kVA an application stores, and back (portal).
    power_factor: PowerFactor | None = None
    reason: Text
    source: Literal["setting"]


class LowVoltage(Model):
    name: Text
    max: VoltageLevel


class HighVoltage(Model):
    name: Text
    min: VoltageLevel


class VoltageClasses(Model):
    lv: LowVoltage
    hv: HighVoltage


# --- fee catalogue (明码标价; owned by the ledger/disclosure stream) ---------------------


class FeeItem(Model):
    """One chargeable item: only items in the catalogue may be put on an application."""

    name: Text
    standard: Text  # the standard as published to the public (rate, how it is computed)
    basis: Text  # the approved price item or document it is charged under
    applies_to: Text
    works: bool = False  # a charge for connection works (never at zero investment)
    source: Source
    reason: str | None = None

    @model_validator(mode="after")
    def _cited(self) -> FeeItem:
        if self.source == SETTING and not self.reason:
            raise ValueError("a fee item marked 'source: setting' needs a 'reason'")
        return self


class FeeCatalogue(Model):
    items: dict[Code, FeeItem]
    # How long the regulator has to handle a report of 三指定 or an irregular fee.
    report_limit: Duration
    source: Source


# --- notes and one-way rules (file level) ----------------------------------------------


class NoteCitation(Model):
    source: SeedCitation
    quote: Text


class NoteException(Model):
    """This note is the cited, explicit exception to a one-way rule at one key and version."""

    rule: OneWayRuleCode
    key: Text
    version: Text


class Note(Model):
    id: NoteId
    kind: Literal["contradiction", "reading"]
    topic: Text
    citations: list[NoteCitation]
    reading: Text
    reason: Text
    affects: list[Text] = []
    exception_for: NoteException | None = None
    region: Code | None = None  # filled in when a document collects its ancestors' notes

    @model_validator(mode="after")
    def _cited(self) -> Note:
        needed = 2 if self.kind == "contradiction" else 1
        if len(self.citations) < needed:
            raise ValueError(f"a {self.kind} note needs at least {needed} citation(s)")
        return self


class OneWayRule(Model):
    rule: OneWayRuleCode
    source: Source
    reading: str | None = None


class ChainLink(Model):
    region: Code
    version: Text


# --- the resolved document --------------------------------------------------------------

META_KEYS = ("region", "name", "title", "parent", "seed", "unit", "version", "effective_from", "basis", "chain")
FILE_LEVEL_KEYS = ("one_way", "notes")


class PolicyDocument(Model):
    region: Code
    name: Text
    title: Text
    parent: Code | None = None
    seed: SeedFile | None = None
    unit: Literal["workday", "day"]
    version: Text
    effective_from: date
    basis: Text
    chain: list[ChainLink]

    categories: dict[Code, Category]
    voltage_classes: VoltageClasses | None = None
    city_groups: dict[Code, Text] = {}
    document_types: dict[Code, DocumentType] = {}
    documents: DocumentRules | None = None
    approvals: Approvals | None = None
    zero_investment: ZeroInvestment | None = None
    investment_boundary: list[InvestmentBoundary] = []
    next_day_connection: NextDayConnection | None = None
    connection: Connection | None = None
    onsite_scheme_reply: OnsiteSchemeReply | None = None
    transitional_scheme: TransitionalScheme | None = None
    high_reliability_zones: HighReliabilityZones | None = None
    reliability_targets: list[ReliabilityTarget] = []
    reporting: dict[Code, ReportingRule] = {}
    rules: dict[Code, Rule] = {}
    targets: dict[Code, Target] = {}
    settings: Settings | None = None
    fees: FeeCatalogue | None = None

    one_way: list[OneWayRule] = []
    notes: list[Note] = []

    @model_validator(mode="after")
    def _references(self) -> PolicyDocument:
        known_docs = set(self.document_types)
        used: list[tuple[str, str]] = []
        for code, category in self.categories.items():
            for stage in category.stages:
                if stage.documents is not None:
                    used += [(f"categories.{code}.stages.{stage.code}", d) for d in stage.documents.required]
        if self.documents is not None:
            if self.documents.one_certificate is not None:
                used.append(("documents.one_certificate", self.documents.one_certificate.document))
            if self.documents.sharing is not None:
                used += [("documents.sharing", d) for d in self.documents.sharing.documents]
        if self.approvals is not None and self.approvals.notification_commitment is not None:
            used += [("approvals.notification_commitment", d) for d in self.approvals.notification_commitment.documents]
        unknown = [f"{where}: {doc}" for where, doc in used if doc not in known_docs]
        if unknown:
            raise ValueError(f"document types not in document_types: {unknown}")

        cats = set(self.categories)
        refs = []
        if self.zero_investment is not None:
            refs += [(f"zero_investment.scope.{k}", c) for k, s in self.zero_investment.scope.items() for c in s.categories]
        refs += [(f"investment_boundary.{b.code}", c) for b in self.investment_boundary for c in b.categories]
        bad = [f"{where}: {cat}" for where, cat in refs if cat not in cats]
        if bad:
            raise ValueError(f"unknown categories referenced: {bad}")

        keys = [(t.year, t.key) for t in self.reliability_targets]
        if len(keys) != len(set(keys)):
            raise ValueError("reliability_targets: a (year, city_group, area) appears twice")
        groups = set(self.city_groups) | {"all"}
        unnamed = sorted({t.city_group for t in self.reliability_targets} - groups)
        if unnamed:
            raise ValueError(f"reliability_targets: city groups not named in city_groups: {unnamed}")
        boundary_codes = [b.code for b in self.investment_boundary]
        if len(boundary_codes) != len(set(boundary_codes)):
            raise ValueError("investment_boundary: a code appears twice")
        return self


CONTENT_KEYS = tuple(
    name for name in PolicyDocument.model_fields if name not in META_KEYS and name not in FILE_LEVEL_KEYS
)


# --- the file as written ----------------------------------------------------------------


class Deadline(Model):
    """A deadline this version implements, in the seed's words and where they stand: its
    `effective_from` follows from it by the one rule of policies.effective."""

    text: Text
    source: SeedCitation

    @model_validator(mode="after")
    def _a_deadline(self) -> Deadline:
        effective.effective_year(self.text)  # raises, quoting the words, for any other form
        return self


class VersionOverlay(Model):
    """One version as written: its content overlays the previous version (see loader)."""

    version: Text
    effective_from: date
    basis: Text
    # The deadlines whose promises this version brings in force; each must name its year
    # (X年底前, X年M月底前, X年起 ...: 1 January of X) or, in the first version only, say the
    # promise is achieved or undated (已实现, 已完成, 持续推进, 现行). See policies.effective.
    deadlines: list[Deadline] = Field(min_length=1)
    # Content is checked in full once merged; here only that each section is a mapping/list.
    categories: dict[Code, dict[str, Any]] | None = None
    voltage_classes: dict[str, Any] | None = None
    city_groups: dict[str, Any] | None = None
    document_types: dict[str, Any] | None = None
    documents: dict[str, Any] | None = None
    approvals: dict[str, Any] | None = None
    zero_investment: dict[str, Any] | None = None
    investment_boundary: list[Any] | None = None
    next_day_connection: dict[str, Any] | None = None
    connection: dict[str, Any] | None = None
    onsite_scheme_reply: dict[str, Any] | None = None
    transitional_scheme: dict[str, Any] | None = None
    high_reliability_zones: dict[str, Any] | None = None
    reliability_targets: list[Any] | None = None
    reporting: dict[str, Any] | None = None
    rules: dict[str, Any] | None = None
    targets: dict[str, Any] | None = None
    settings: dict[str, Any] | None = None
    fees: dict[str, Any] | None = None

    def content(self) -> dict[str, Any]:
        return self.model_dump(include=set(CONTENT_KEYS), exclude_unset=True)


class PolicyFile(Model):
    region: Code
    name: Text
    title: Text
    parent: Code | None = None
    seed: SeedFile | None = None
    unit: Literal["workday", "day"]
    one_way: list[OneWayRule] = []
    notes: list[Note] = []
    versions: list[VersionOverlay] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> PolicyFile:
        ids = [v.version for v in self.versions]
        if len(ids) != len(set(ids)):
            raise ValueError(f"versions: an id appears twice: {ids}")
        dates = [v.effective_from for v in self.versions]
        if dates != sorted(set(dates)) or len(dates) != len(set(dates)):
            raise ValueError("versions: effective_from must strictly increase from one version to the next")
        first = self.versions[0].effective_from
        for i, version in enumerate(self.versions):
            for j, deadline in enumerate(version.deadlines):
                due = effective.effective_from(deadline.text, first=first)
                if due != version.effective_from:
                    raise ValueError(
                        f"versions[{i}].deadlines[{j}]: '{deadline.text}' takes effect on {due.isoformat()} by the "
                        f"effective-date rule (policies.effective), not on {version.effective_from.isoformat()}"
                    )
        note_ids = [n.id for n in self.notes]
        if len(note_ids) != len(set(note_ids)):
            raise ValueError("notes: an id appears twice")
        for note in self.notes:
            if note.exception_for is not None and note.exception_for.version not in ids:
                raise ValueError(f"notes: {note.id} names version {note.exception_for.version!r}, not in this file")
        return self


def error_path(loc: tuple[Any, ...]) -> str:
    """('versions', 2, 'categories', 'x', 'stages', 1) -> 'versions[2].categories.x.stages[1]'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
