"""The regulator's feed for 受电工程市场监管 (market supervision of receiving works), under
/api/v1/supervision/: per application, the designer, builder and supplier the customer chose
and the fees charged, so the regulator can spot 三指定 (a utility steering customers to its
own contractors) and unapproved charges without asking. Jurisdiction-scoped, paginated."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from accounts.auth import API_AUTH
from core.bounds import text
from monitoring import queries

router = Router(tags=["supervision"], auth=API_AUTH)


class ContractorOut(Schema):
    role: str = Field(description="designer | builder | supplier")
    role_name: str = Field(description="设计单位 / 施工单位 / 设备材料供应单位")
    name: str = Field(description="the company the customer chose")
    uscc: str = Field(description="its 统一社会信用代码, when given")
    chosen_at: datetime = Field(description="when the customer recorded the choice")


class FeeOut(Schema):
    item: str = Field(description="the charge as shown to the customer")
    catalogue_code: str = Field(description="the fee catalogue item of the region's policy it was charged under")
    basis: str = Field(description="the approved price item it is charged under")
    amount: Decimal = Field(description="yuan")
    works: bool = Field(description="a charge for connection works (never allowed at zero investment)")
    added_at: datetime
    cancelled: bool = Field(description="cancelled because the application closed before it was paid")


class FeedRow(Schema):
    number: str = Field(description="the application number")
    region: str
    county: str = Field(description="county division code")
    county_name: str
    category: str = Field(description="the policy category code")
    category_name: str
    status: str = Field(description="submitted | in_progress | energised | rejected | withdrawn")
    applicant_kind: str = Field(description="person | enterprise")
    applicant_name: str = Field(description="an enterprise's name; empty for a person (personal data)")
    uscc: str = Field(description="an enterprise's 统一社会信用代码")
    enterprise_size: str = Field(description="large | medium | small | micro; empty for a person or undeclared")
    voltage_kv: Decimal
    capacity_kva: Decimal
    submitted_at: datetime = Field(description="first submission (a refiled case keeps the first)")
    energised_at: datetime | None
    zero_investment: bool | None = Field(description="the utility invests up to the boundary (三零)")
    contractors: list[ContractorOut] = Field(description="the customer's own choices; at most one per role")
    fees: list[FeeOut]
    fees_total: Decimal = Field(description="yuan charged, cancelled fees excluded")


class FeedPage(Schema):
    count: int = Field(description="applications matching the filters within your jurisdiction")
    page: int
    page_size: int
    results: list[FeedRow]


class FeedFilter(Schema):
    region: text(32) = Field("", description="policy region code, e.g. zhejiang; empty: all you may see")
    county: text(12) | None = Field(None, description="a division code: that county (or city) and below")
    submitted_from: date | None = Field(None, description="first submitted on or after this day")
    submitted_to: date | None = Field(None, description="first submitted on or before this day")
    page: int = Field(1, ge=1, le=1_000_000, description="1-based page number")
    page_size: int = Field(50, ge=1, le=queries.FEED_MAX_PAGE, description=f"at most {queries.FEED_MAX_PAGE}")


@router.get("/applications/", response=FeedPage, summary="Receiving-works market feed (受电工程市场监管)")
def applications_feed(request, filters: Query[FeedFilter]):
    """Per application: the designer, builder and supplier the customer chose and the fees charged,
    newest first. Roles: supervisor, energy bureau, regulator, admin; each sees its own jurisdiction."""
    return queries.supervision_feed(user=request.auth, **filters.dict())
