from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "供用电合同 contracts"

    def ready(self):
        from contracts import checks  # noqa: F401 (registers the SM2 key-pair check)
