import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate

log = logging.getLogger(__name__)


def publish_bundled_documents(sender, using="default", verbosity=1, **kwargs):
    """Setup, not domain flow: the seeds themselves are in the public policy library of a
    freshly migrated database (after the policies, which load earlier in INSTALLED_APPS)."""
    from django.conf import settings

    if not settings.LOAD_DATA_ON_MIGRATE or using != "default":
        return
    from core.errors import DomainError
    from disclosure.actions import documents_load

    try:
        created = documents_load()
    except DomainError as refused:
        log.warning("bundled documents not published: %s (run `getpower disclosure load`)", refused.message)
        return
    if created and verbosity:
        print(f"  public documents published: {created}")


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "信息公开"

    def ready(self):
        post_migrate.connect(publish_bundled_documents, sender=self,
                             dispatch_uid="disclosure.publish_bundled_documents")
