from django.contrib import admin

from policies.models import PolicyVersion


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Read-only: versions come from the policy files (`getpower policy load`) and are pinned."""

    list_display = ("region", "version", "effective_from", "name", "parent_region", "loaded_at")
    list_filter = ("region",)
    readonly_fields = [f.name for f in PolicyVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
