from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "指标监测"

    def ready(self):
        from applications.demo import DEMO_HOOKS
        from monitoring import (
            demo,
            live,  # noqa: F401 (registers the task ledger's live values)
        )

        DEMO_HOOKS["monitoring"] = demo.plan
