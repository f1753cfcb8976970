from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "供用电合同 contracts"

    def ready(self):
        from applications import closing
        from contracts import checks  # noqa: F401 (registers the SM2 key-pair check)
        from contracts.actions import codes_revoke_for_closed

        closing.register("contracts.codes", codes_revoke_for_closed)
