"""Every state change of an application: keyword-only, atomic, one event each.

One module per subdomain; callers import from the package (`from applications import
actions`), so moving a function between modules never changes a call site.
"""
from applications.actions.confirmations import confirmation_confirm, confirmation_decline, second_person_problem
from applications.actions.documents import (
                                            ALLOWED_CONTENT_TYPES,
                                            MAX_UPLOAD_BYTES,
                                            document_delete,
                                            document_reviewed,
                                            document_upload,
                                            open_pause_request,
                                            uploadable_documents,
)
from applications.actions.escalations import (
                                            county_supervisor,
                                            escalation_close,
                                            escalation_reply,
                                            stage_alert,
                                            stages_check_deadlines,
)
from applications.actions.fees import contractor_choose, fee_add
from applications.actions.lifecycle import (
                                            STAFF_CHANNELS,
                                            ApplicationInput,
                                            application_accept,
                                            application_create,
                                            application_reject,
                                            application_withdraw,
)
from applications.actions.schemes import MAX_SCHEMES, SchemeInput, grid_project_open, grid_project_update, scheme_choose, scheme_propose
from applications.actions.stages import stage_assign, stage_complete, stage_pause, stage_resume, stages_recompute_due

__all__ = [
    "ALLOWED_CONTENT_TYPES",
    "MAX_SCHEMES",
    "MAX_UPLOAD_BYTES",
    "STAFF_CHANNELS",
    "ApplicationInput",
    "SchemeInput",
    "application_accept",
    "application_create",
    "application_reject",
    "application_withdraw",
    "confirmation_confirm",
    "confirmation_decline",
    "contractor_choose",
    "county_supervisor",
    "document_delete",
    "document_reviewed",
    "open_pause_request",
    "uploadable_documents",
    "document_upload",
    "escalation_close",
    "escalation_reply",
    "fee_add",
    "grid_project_open",
    "grid_project_update",
    "scheme_choose",
    "scheme_propose",
    "second_person_problem",
    "stage_alert",
    "stage_assign",
    "stage_complete",
    "stage_pause",
    "stage_resume",
    "stages_check_deadlines",
    "stages_recompute_due",
]
