
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0002_one_time_codes'),
        # Rows are copied over first (complaints 0002), then this table goes.
        ('complaints', '0002_from_customers'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Complaint',
        ),
    ]
