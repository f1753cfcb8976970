"""/api/v1/sharing: the connector registry, and a logged fetch for staff systems."""
from __future__ import annotations

from ninja import Router, Schema
from pydantic import Field

from accounts import access
from accounts.auth import API_AUTH
from applications import queries as application_queries
from core.errors import Forbidden
from sharing import actions
from sharing.connectors import CONNECTORS

router = Router(tags=["sharing"])


class ConnectorOut(Schema):
    code: str
    name: str
    source: str
    key: str
    personal: bool
    ttl_seconds: int
    provides: list[str]


@router.get("/connectors", response=list[ConnectorOut], summary="Every government data source getpower reads")
def connectors(request):
    return [{"code": c.code, "name": c.name, "source": c.source, "key": c.key, "personal": c.personal,
             "ttl_seconds": int(c.ttl.total_seconds()), "provides": list(c.provides)} for c in CONNECTORS.values()]


class FetchIn(Schema):
    connector: str = Field(max_length=32)
    key: str = Field(max_length=64)
    purpose: str = Field(max_length=200, description="why: kept in the access log")
    application_id: int | None = None


@router.post("/fetch", auth=API_AUTH, summary="Fetch one record (cached, verified, logged)")
def fetch(request, payload: FetchIn):
    if not access.is_grid_staff(request.auth):
        raise Forbidden("only grid staff fetch shared data", fields={"role": ",".join(sorted(request.auth.roles))})
    application = (application_queries.application_for(request.auth, payload.application_id)
                   if payload.application_id is not None else None)
    shared = actions.shared_fetch(connector=payload.connector, key=payload.key, by=request.auth,
                                  purpose=payload.purpose, application=application)
    return {"connector": shared.connector.code, "source": shared.connector.source, "data": shared.data,
            "fetched_at": shared.fetched_at, "from_cache": shared.from_cache}
