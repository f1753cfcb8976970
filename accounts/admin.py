"""Users, roles and organisations are read here; they change only through accounts.actions
(each change writes its event), never by an edit form that the log would not see."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Division, Membership, Organisation, User
from core.admin import ReadOnlyAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin, BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "is_staff", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (("getpower", {"fields": ("display_name", "phone")}),)


@admin.register(Division)
class DivisionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent", "policy_region", "city_group"]
    list_filter = ["level", "policy_region"]
    search_fields = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "parent", "division", "department"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
