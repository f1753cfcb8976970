from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "核心 core"

    def ready(self):
        from core import checks, verbs  # noqa: F401 (checks registers the key checks)

        verbs.autodiscover(apps.get_app_configs())
