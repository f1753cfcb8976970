"""Read-only views for operators: every change to these records goes through customers.actions,
so the admin never adds, edits or deletes them (that would skip the event log)."""
from django.contrib import admin

from customers.models import Complaint, Rating


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly):
    list_display = ("application", "filed_at", "due_date", "supervisor", "state")
    list_filter = ("state",)


@admin.register(Rating)
class RatingAdmin(ReadOnly):
    list_display = ("application", "score", "created_at")
    list_filter = ("score",)
