from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "缴费与发票 payments"

    def ready(self):
        from applications import closing
        from payments.actions import fees_cancel_open

        closing.register("payments.fees", fees_cancel_open)
