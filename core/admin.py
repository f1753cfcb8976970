from django.contrib import admin
from django.utils import timezone

from core.models import Event, OutboxMessage


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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Delivery state of every message; filter by 发送失败（已停止重试） for the dead ones."""

    list_display = ["created_at", "kind", "channel", "recipient", "status", "attempts", "next_attempt_at",
                    "last_error"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["=key", "=user__username"]
    exclude = ["destination_enc"]  # personal data: not shown, not needed to judge delivery
    show_full_result_count = False
    list_per_page = 50
    actions = ["retry_now"]

    @admin.display(description="收件人")
    def recipient(self, obj):
        return obj.user.display_name or obj.user.username if obj.user_id else obj.contact_name

    @admin.action(description="立即重试所选消息")
    def retry_now(self, request, queryset):
        from core import events, outbox

        ids = list(queryset.filter(status__in=["failed", "dead"]).values_list("pk", flat=True))
        n = OutboxMessage.objects.filter(pk__in=ids).update(status="pending", attempts=0,
                                                            next_attempt_at=timezone.now(), lease_until=None)
        if n:
            events.record(actor=request.user, verb="outbox.retried", data={"messages": n, "ids": ids[:100]})
        run = outbox.deliver_due()
        self.message_user(request, f"已重试 {n} 条：成功 {run.sent}，失败 {run.failed}，停止 {run.dead}")
