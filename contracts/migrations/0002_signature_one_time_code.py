"""Signatures point at core's one-time codes (core.otp) instead of contracts' own table:
first a nullable link beside the old one, filled by the next migration (the old link turns
nullable too, so the whole change can be reversed)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0001_contract_signing'),
        ('core', '0006_one_time_code_revoked'),
    ]

    operations = [
        migrations.AlterField(
            model_name='signature',
            name='code',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='signature',
                                       to='contracts.signingcode'),
        ),
        migrations.AddField(
            model_name='signature',
            name='one_time_code',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+',
                                       to='core.onetimecode'),
        ),
    ]
