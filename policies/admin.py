from django.contrib import admin

from core.admin import ReadOnlyAdmin
from policies.models import PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    """Read-only: versions come from the policy files (`getpower policy load`) and are pinned."""

    list_display = ("region", "version", "effective_from", "name", "parent_region", "loaded_at")
    list_filter = ("region",)
    readonly_fields = [f.name for f in PolicyVersion._meta.fields]

