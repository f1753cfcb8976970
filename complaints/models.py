"""投诉 and hot-line cases (95598 / 12398): filed online by an applicant or entered by staff
from a phone call, about an application or about the service in general; handled by the
county supervisor on the legal clock; answered, confirmed or reopened by the complainant.

Every change goes through complaints.actions; the conversation is kept as entries."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length

TEXT_MAX = 2000
# `text__length` in the constraints below: the bound holds in the database too.
models.TextField.register_lookup(Length)


class Channel(models.TextChoices):
    PORTAL = "portal", "网上国网/网站"
    API = "api", "接口"
    PHONE_95598 = "phone_95598", "95598供电服务热线"
    PHONE_12398 = "phone_12398", "12398能源监管热线"


PHONE_CHANNELS = {Channel.PHONE_95598, Channel.PHONE_12398}


class Complaint(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "处理中"
        REPLIED = "replied", "已答复，待确认"
        CLOSED = "closed", "已办结"

    number = models.CharField(max_length=24, unique=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    application = models.ForeignKey("applications.Application", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="complaints")
    county = models.ForeignKey("accounts.Division", on_delete=models.PROTECT, related_name="complaints")
    utility = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    handling_org = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="complaints")
    complainant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="complaints_filed", help_text="the applicant's account, if any")
    contact_name = models.CharField(max_length=64)
    contact_phone_enc = models.TextField(blank=True, default="", help_text="SM4-GCM ciphertext")
    text = models.TextField()
    text_digest = models.CharField(max_length=64, help_text="SHA-256 of the text, to fold double submissions")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=128, blank=True, default="")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="complaints_assigned")
    # The clock: the limit in force when the case (re)opened, and its due date.
    limit = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=8)
    opened_on = models.DateField(help_text="the day the current round started (filed or reopened)")
    due_date = models.DateField()
    provisional = models.BooleanField(default=False)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    overdue = models.BooleanField(default=False, help_text="marked by the sweep once past due unanswered")
    reopened = models.PositiveSmallIntegerField(default=0)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    satisfied = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["state", "due_date"]), models.Index(fields=["county", "state"])]
        constraints = [
            models.UniqueConstraint(fields=["filed_by", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="complaint_idempotency_once"),
            models.CheckConstraint(condition=Q(text__length__gt=0) & Q(text__length__lte=TEXT_MAX),
                                   name="complaint_text_bounded"),
            models.CheckConstraint(condition=~Q(state="closed") | Q(closed_at__isnull=False),
                                   name="closed_complaint_has_time"),
        ]

    def __str__(self) -> str:
        return self.number

    def message_link(self, user) -> str:
        """Where a message about this case leads its reader: the portal or the workbench."""
        if user is not None and user.pk == self.complainant_id:
            return f"/me/complaints/#c{self.pk}"
        return f"/work/complaints/{self.pk}/"



class Entry(models.Model):
    """One turn of the conversation: staff reply, complainant feedback, or a staff closing note."""

    class Kind(models.TextChoices):
        REPLY = "reply", "答复"
        SATISFIED = "satisfied", "满意，确认办结"
        NOT_SATISFIED = "not_satisfied", "不满意，重新处理"
        CLOSE = "close", "办结说明"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField(blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    on_behalf = models.BooleanField(default=False, help_text="staff recorded the complainant's answer (电话回访)")

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(text__length__lte=TEXT_MAX), name="complaint_entry_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
