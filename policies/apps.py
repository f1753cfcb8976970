import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate

log = logging.getLogger(__name__)


def load_bundled_policies(sender, using="default", verbosity=1, **kwargs):
    """Setup, not domain flow: a freshly migrated database has the bundled policy versions.
    Idempotent; a policy file that differs from a stored version is reported, never applied
    (that is `getpower policy load`'s refusal to explain)."""
    from django.conf import settings

    if not settings.LOAD_DATA_ON_MIGRATE or using != "default":
        return
    from core.errors import DomainError
    from policies.actions import policy_load

    try:
        result = policy_load(by="job:migrate")
    except DomainError as refused:
        log.warning("bundled policies not loaded: %s (run `getpower policy load` for details)", refused.message)
        return
    if result.inserted and verbosity:
        print(f"  policies stored: {', '.join(f'{region} {version}' for region, version in result.inserted)}")


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = "政策 policies"

    def ready(self):
        post_migrate.connect(load_bundled_policies, sender=self, dispatch_uid="policies.load_bundled_policies")
