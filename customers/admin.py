"""Read-only views for operators: every change to these records goes through customers.actions,
so the admin never adds, edits or deletes them (that would skip the event log)."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin as ReadOnly
from customers.models import Rating


@admin.register(Rating)
class RatingAdmin(ReadOnly):
    list_display = ("application", "score", "created_at")
    list_filter = ("score",)
