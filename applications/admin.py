"""Read-only admin views: changes go through applications.actions so each writes its event."""
from django.contrib import admin

from applications.models import Application, Document, Escalation, Pause, Stage
from core.admin import ReadOnlyAdmin


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    can_delete = False
    fields = ["seq", "code", "limit", "unit", "state", "alert", "start_date", "due_date", "paused_workdays",
              "ended_at", "grid_workdays", "assignee"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["number", "status", "region", "county", "category", "channel", "submitted_at"]
    list_filter = ["status", "region", "category", "channel"]
    search_fields = ["number", "applicant_name", "uscc"]
    exclude = ["id_number_enc", "contact_phone_enc", "id_digest", "site_digest"]
    inlines = [StageInline]


@admin.register(Pause)
class PauseAdmin(ReadOnlyAdmin):
    list_display = ["stage", "reason", "started_at", "ended_at", "workdays"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["stage", "supervisor", "state", "opened_at", "due_date"]
    list_filter = ["state"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["application", "stage_code", "doc_type", "size", "uploaded_at"]
