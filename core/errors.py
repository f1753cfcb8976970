"""One error shape for the whole product: {"error": {"code", "message", "fields"}}.

Actions raise these; the API, the CLI and the pages turn them into a 400/404/422,
an exit code 2, or a form message. `fields` maps a field name to what is wrong with it.
"""
from __future__ import annotations


class DomainError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
        if code:
            self.code = code

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}

    @property
    def for_people(self) -> str:
        """The message as a page shows it, in words only (no field codes)."""
        return self.message


class InvalidInput(DomainError):
    """A value is malformed or out of range; the field says which."""

    code = "invalid"
    status = 422

    @property
    def for_people(self) -> str:
        # The message reads "field: what is wrong" for the API; a page says what is wrong.
        return "；".join(dict.fromkeys(self.fields.values())) if self.fields else self.message


class NotFound(DomainError):
    """Missing, or not visible to this user: both answer the same so nothing leaks."""

    code = "not_found"
    status = 404


class Conflict(DomainError):
    """The request is well formed but the stored state does not allow it."""

    code = "conflict"
    status = 400


class PolicyViolation(DomainError):
    """Asking for something the policy does not list (a document, stage, precondition)."""

    code = "not_in_policy"
    status = 400


def invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", fields={field: message})


class Forbidden(DomainError):
    """The object is visible to this user but the user's role may not do this to it."""

    code = "forbidden"
    status = 403
