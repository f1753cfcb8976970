from django.contrib import admin

from core.models import Event


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only actions may write (each writing its event): staff view, never edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """The log is read here; events come only from `core.events.record`."""

    list_display = ["seq", "at", "actor_label", "verb", "subject_type", "subject_id", "claimed_at"]
    # Exact matches: a %contains% search over the whole log would read every row.
    search_fields = ["=subject_id", "=verb", "=actor_label"]
    # Counting a long table on every page view is the slow part of the changelist.
    show_full_result_count = False
    list_per_page = 50
