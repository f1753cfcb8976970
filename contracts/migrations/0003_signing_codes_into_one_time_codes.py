"""Copy every contract signing code into core's one-time codes, scope "contract:<pk>", and link
each signature to the copy of the code it was confirmed with: the signature rows (what
`contract verify` checks) stay as they were.

A code still waiting to be used cannot move (its hash is in the old format), so its copy is
revoked: the applicant asks for a new one, as after any ten minutes. Events written before
this migration name the old code ids in `data["code"]`; those ids are retired with the table."""
import hashlib
import hmac

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def destination_digest(value: str) -> str:
    # As core.otp._digest: codes are found by this keyed digest of the phone or e-mail.
    return hmac.new(settings.SECRET_KEY.encode(), f"otp-destination:{value.strip().lower()}".encode(),
                    hashlib.sha256).hexdigest()


def forward(apps, schema_editor):
    SigningCode = apps.get_model("contracts", "SigningCode")
    Signature = apps.get_model("contracts", "Signature")
    OneTimeCode = apps.get_model("core", "OneTimeCode")
    now = timezone.now()
    signature_of = dict(Signature.objects.values_list("code_id", "pk"))
    for old in SigningCode.objects.select_related("user").order_by("id").iterator():
        user = old.user
        copy = OneTimeCode.objects.create(
            purpose="contract", scope=f"contract:{old.contract_id}",
            destination_digest=destination_digest(user.phone or user.email or user.username),
            channel=old.channel, code_hash=old.code_hash, created_at=old.created_at, expires_at=old.expires_at,
            attempts=old.attempts, used_at=old.used_at,
            revoked_at=old.revoked_at or (None if old.used_at else now),
        )
        if old.pk in signature_of:
            Signature.objects.filter(pk=signature_of[old.pk]).update(one_time_code=copy)


def backward(apps, schema_editor):
    """Back into contracts' own table, to the applicant; a code still live is revoked there too."""
    SigningCode = apps.get_model("contracts", "SigningCode")
    Signature = apps.get_model("contracts", "Signature")
    Contract = apps.get_model("contracts", "Contract")
    OneTimeCode = apps.get_model("core", "OneTimeCode")
    now = timezone.now()
    applicant_of = dict(Contract.objects.values_list("pk", "application__applicant_user_id"))
    signature_of = dict(Signature.objects.values_list("one_time_code_id", "pk"))
    moved = []
    for code in OneTimeCode.objects.filter(purpose="contract", scope__startswith="contract:").order_by("id"):
        contract_id = int(code.scope.removeprefix("contract:"))
        if contract_id not in applicant_of:
            continue
        old = SigningCode.objects.create(
            contract_id=contract_id, user_id=applicant_of[contract_id], code_hash=code.code_hash, channel=code.channel,
            created_at=code.created_at, expires_at=code.expires_at, attempts=code.attempts, used_at=code.used_at,
            revoked_at=code.revoked_at or (None if code.used_at else now),
        )
        if code.pk in signature_of:
            Signature.objects.filter(pk=signature_of[code.pk]).update(code=old, one_time_code=None)
        moved.append(code.pk)
    OneTimeCode.objects.filter(pk__in=moved).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0002_signature_one_time_code'),
    ]

    operations = [
        migrations.RunPython(forward, backward, elidable=False),
    ]
