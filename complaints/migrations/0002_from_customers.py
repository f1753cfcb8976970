"""Complaints filed before this app existed lived in customers.Complaint: carry them over
with their clock (filed day and due date) so no case is lost when that table goes."""
import hashlib

from django.db import migrations


def carry_over(apps, schema_editor):
    Old = apps.get_model("customers", "Complaint")
    New = apps.get_model("complaints", "Complaint")
    for old in Old.objects.select_related("application", "application__county", "application__handling_org",
                                          "by").order_by("id"):
        application = old.application
        text = (old.text or "").strip()[:2000] or "（原投诉内容为空）"
        state = "closed" if old.state == "closed" else "open"
        new = New.objects.create(
            number="", channel="portal", application=application, county_id=application.county_id,
            utility_id=application.utility_id, handling_org_id=application.handling_org_id,
            complainant_id=old.by_id, contact_name=(old.by.display_name or old.by.username)[:64],
            text=text, text_digest=hashlib.sha256(text.encode()).hexdigest(), filed_by_id=old.by_id,
            filed_at=old.filed_at, supervisor_id=old.supervisor_id, limit=0, unit="workday",
            opened_on=old.filed_at.date(), due_date=old.due_date, state=state,
            closed_at=old.filed_at if state == "closed" else None,
        )
        New.objects.filter(pk=new.pk).update(number=f"TS{old.filed_at:%Y%m%d}{new.pk:05d}")


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("customers", "0001_portal"),
    ]
    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
