
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0006_fee_catalogue_contractor_choice'),
    ]

    operations = [
        migrations.AddField(
            model_name='pause',
            name='requested_documents',
            field=models.JSONField(blank=True, default=list),
        ),
    ]
