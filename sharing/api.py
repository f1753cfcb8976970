"""/api/v1/sharing: connector status and fetches for staff."""
from ninja import Router

router = Router(tags=["sharing"])
