import datetime

from django.db import migrations, models
from django.db.models import F, Q


def expire_existing(apps, schema_editor):
    # Tokens issued before expiry existed get the default lifetime from their creation.
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_at__isnull=True):
        token.expires_at = token.created_at + datetime.timedelta(days=90)
        if token.revoked:
            token.revoked_at = token.last_used_at or token.created_at
        token.save(update_fields=["expires_at", "revoked_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_role_choices_callable"),
    ]

    operations = [
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.AddField(model_name="apitoken", name="revoked_at",
                            field=models.DateTimeField(blank=True, null=True)),
        migrations.RunPython(expire_existing, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")),
                                              name="api_token_expires_after_creation"),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=Q(revoked=False, revoked_at__isnull=True) | Q(revoked=True, revoked_at__isnull=False),
                name="api_token_revoked_at_with_revoked"),
        ),
    ]
