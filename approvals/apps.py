from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "电力接入工程审批 approvals"

    def ready(self):
        from applications.demo import DEMO_HOOKS
        from applications.hooks import ENERGISED_HOOKS
        from approvals import demo
        from approvals.actions import process_time_record

        # The full-process time is recorded in the energising transaction.
        ENERGISED_HOOKS["approvals"] = lambda application: process_time_record(application=application)
        DEMO_HOOKS["approvals"] = demo.plan
