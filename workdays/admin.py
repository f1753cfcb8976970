"""Admin: stored years read-only (changes arrive as validated imports, so the recompute
hooks always run), plus the "import CSV" form, which calls the same action as the CLI."""
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.errors import Conflict, DomainError
from workdays.actions import calendar_import_csv
from workdays.forms import CalendarImportForm
from workdays.models import CalendarDay, CalendarYear


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ["date", "kind", "name"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "day_count", "imported_at", "imported_by", "note"]
    list_filter = ["source"]
    fields = ["year", "source", "imported_at", "imported_by", "changed_at", "note"]
    readonly_fields = ["year", "source", "imported_at", "imported_by", "changed_at"]
    inlines = [CalendarDayInline]
    change_list_template = "admin/workdays/calendaryear/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(day_count=Count("days"))

    @admin.display(description="天数", ordering="day_count")
    def day_count(self, obj):
        return obj.day_count

    # Years appear through sync or import; deleting one would silently turn it provisional
    # without recomputing deadlines.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="workdays_calendaryear_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied("calendar import needs the change permission on calendar years")
        form = CalendarImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", "文件不是 UTF-8 编码的文本")
            else:
                try:
                    result = calendar_import_csv(
                        text=text,
                        by=request.user,
                        replace_official=form.cleaned_data["replace_official"],
                        note=form.cleaned_data["note"],
                    )
                except Conflict as exc:
                    form.add_error("replace_official", exc.message)
                except DomainError as exc:
                    for place, message in exc.fields.items():
                        form.add_error("file", f"{place}: {message}")
                else:
                    recomputed = "，".join(f"{name} {n} 条" for name, n in result.recomputed.items()) or "无"
                    messages.success(
                        request,
                        f"{result.year} 年：{result.previous_source} → {result.source}，{result.rows} 天"
                        f"（{result.outcome}）；重新计算的期限：{recomputed}",
                    )
                    return redirect(reverse("admin:workdays_calendaryear_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "导入国务院放假安排（CSV）",
            "form": form,
        }
        return TemplateResponse(request, "admin/workdays/calendaryear/import.html", context)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "year"]
    list_filter = ["kind", "year__source", "year"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
