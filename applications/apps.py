from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "用电申请 applications"

    def ready(self):
        from applications.actions import stages_recompute_due
        from workdays.hooks import DEADLINE_RECOMPUTERS

        # Open stages computed on a provisional year follow the official schedule once imported.
        DEADLINE_RECOMPUTERS["applications"] = stages_recompute_due
