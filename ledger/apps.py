import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate

log = logging.getLogger(__name__)


def load_bundled_ledgers(sender, using="default", verbosity=1, **kwargs):
    """Setup, not domain flow: a freshly migrated database has the seeds' task ledgers.
    Idempotent; a corrected row is stored and logged (see ledger.actions.ledger_load)."""
    from django.conf import settings

    if not settings.LOAD_DATA_ON_MIGRATE or using != "default":
        return
    from ledger.actions import ledger_load
    from ledger.catalogue import LedgerDataError

    try:
        result = ledger_load()
    except LedgerDataError as broken:
        log.warning("bundled ledgers not loaded: %s (run `getpower ledger load` for details)", broken)
        return
    created = {region: n for region, n in result.created.items() if n}
    if created and verbosity:
        print(f"  ledgers stored: {', '.join(f'{region} {n}' for region, n in created.items())}")


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "任务台账"

    def ready(self):
        post_migrate.connect(load_bundled_ledgers, sender=self, dispatch_uid="ledger.load_bundled_ledgers")
