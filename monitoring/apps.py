from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "指标监测"

    def ready(self):
        from monitoring import live  # noqa: F401 (registers the task ledger's live values)
