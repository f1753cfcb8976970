
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0001_portal'),
        # Rows are copied over first (complaints 0002), then this table goes.
        ('complaints', '0002_from_customers'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Complaint',
        ),
    ]
