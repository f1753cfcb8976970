"""The signature's code is now the core one-time code; contracts' own code table goes."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0003_signing_codes_into_one_time_codes'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='signature',
            name='code',
        ),
        migrations.RenameField(
            model_name='signature',
            old_name='one_time_code',
            new_name='code',
        ),
        migrations.AlterField(
            model_name='signature',
            name='code',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='contract_signature',
                                       to='core.onetimecode'),
        ),
        migrations.DeleteModel(
            name='SigningCode',
        ),
    ]
