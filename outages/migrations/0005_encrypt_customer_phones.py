"""Customers' contact phones at rest: encrypt each stored number with SM4-GCM (core.pii), then
drop the clear column. Reversible: going back decrypts them into the restored column."""

from django.conf import settings
from django.db import migrations, models

from core import pii


def _convert(apps, source: str, target: str, convert) -> None:
    Customer = apps.get_model("outages", "Customer")
    batch = []
    for c in Customer.objects.exclude(**{source: ""}).only("pk", source).iterator(chunk_size=2000):
        setattr(c, target, convert(getattr(c, source), key=settings.PII_KEY))
        batch.append(c)
    Customer.objects.bulk_update(batch, [target], batch_size=2000)


def encrypt(apps, schema_editor):
    _convert(apps, "contact_phone", "contact_phone_enc", pii.encrypt)


def decrypt(apps, schema_editor):
    _convert(apps, "contact_phone_enc", "contact_phone", pii.decrypt)


class Migration(migrations.Migration):

    dependencies = [
        ('outages', '0004_interruption_gains'),
    ]

    operations = [
        migrations.AddField(
            model_name='customer',
            name='contact_phone_enc',
            field=models.TextField(blank=True, default='', help_text='SM4-GCM ciphertext'),
        ),
        migrations.RunPython(encrypt, decrypt, elidable=False),
        migrations.RemoveField(
            model_name='customer',
            name='contact_phone',
        ),
    ]
