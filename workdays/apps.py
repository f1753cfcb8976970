from django.apps import AppConfig
from django.db.models.signals import post_migrate


def load_official_calendar(sender, using="default", verbosity=1, **kwargs):
    """Setup, not domain flow: a freshly migrated database knows the official schedule, so
    deadlines in the years chinesecalendar covers are never provisional. Idempotent."""
    from django.conf import settings

    if not settings.LOAD_DATA_ON_MIGRATE or using != "default":
        return
    from workdays.actions import calendar_sync

    changed = [result.year for result in calendar_sync() if result.changed]
    if changed and verbosity:
        print(f"  official working-day calendar stored for {changed[0]}–{changed[-1]}")


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = "工作日历 workdays"

    def ready(self):
        post_migrate.connect(load_official_calendar, sender=self, dispatch_uid="workdays.load_official_calendar")
