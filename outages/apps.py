from django.apps import AppConfig


class OutagesConfig(AppConfig):
    name = "outages"
    verbose_name = "停电与可靠性 outages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Applications call the energised hooks without importing outages (dependencies point one way).
        from applications import demo as applications_demo
        from applications import hooks
        from outages import demo, network

        hooks.ENERGISED_HOOKS["outages"] = network.customer_from_application
        applications_demo.DEMO_HOOKS["outages"] = demo.load
