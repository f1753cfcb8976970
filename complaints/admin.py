"""Read-only views for operators: every change to a complaint goes through complaints.actions."""
from django.contrib import admin

from complaints.models import Complaint, Entry
from core.admin import ReadOnlyAdmin as ReadOnly


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "text", "by", "at", "on_behalf")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly):
    list_display = ("number", "channel", "application", "county", "filed_at", "due_date", "supervisor", "state",
                    "overdue")
    list_filter = ("state", "channel", "overdue")
    search_fields = ("number", "contact_name")
    exclude = ("contact_phone_enc",)
    inlines = [EntryInline]
