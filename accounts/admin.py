from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import Division, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "phone", "is_staff", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (("getpower", {"fields": ("display_name", "phone")}),)


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "policy_region", "city_group"]
    list_filter = ["level", "policy_region"]
    search_fields = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "division", "department"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
