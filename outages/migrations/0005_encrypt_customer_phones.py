"""Customers' contact phones at rest: encrypt each stored number with SM4-GCM (core.pii), then
drop the clear column. Reversible: going back decrypts them into the restored column."""

from django.conf import settings
from django.db import migrations, models

from core import pii


def encrypt(apps, schema_editor):
    Customer = apps.get_model("outages", "Customer")
    batch = []
    for c in Customer.objects.exclude(contact_phone="").only("pk", "contact_phone").iterator(chunk_size=2000):
        c.contact_phone_enc = pii.encrypt(c.contact_phone, key=settings.PII_KEY)
        batch.append(c)
        if len(batch) >= 2000:
            Customer.objects.bulk_update(batch, ["contact_phone_enc"])
            batch = []
    Customer.objects.bulk_update(batch, ["contact_phone_enc"])


def decrypt(apps, schema_editor):
    Customer = apps.get_model("outages", "Customer")
    batch = []
    for c in Customer.objects.exclude(contact_phone_enc="").only("pk", "contact_phone_enc").iterator(chunk_size=2000):
        c.contact_phone = pii.decrypt(c.contact_phone_enc, key=settings.PII_KEY)
        batch.append(c)
    Customer.objects.bulk_update(batch, ["contact_phone"], batch_size=2000)


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
