"""Workbench forms for complaints: shapes only; the rules are in complaints.actions."""
from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import PHONE_CHANNELS, TEXT_MAX, Channel, Complaint

TEXTAREA = {"rows": 4, "maxlength": TEXT_MAX}


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部"))] + list(Complaint.State.choices))
    county = forms.ChoiceField(label=_("区县"), required=False)
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=[("", _("全部"))] + list(Channel.choices))
    overdue = forms.ChoiceField(label=_("超期"), required=False,
                                choices=[("", _("全部")), ("1", _("仅超期")), ("0", _("未超期"))])
    mine = forms.BooleanField(label=_("只看我负责的"), required=False)

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("全部"))] + list(counties)


class EnterForm(forms.Form):
    """A phone case (95598 / 12398) typed in by staff while on the call."""

    channel = forms.ChoiceField(label=_("来电渠道"), choices=[(c, Channel(c).label) for c in Channel.values
                                                           if c in PHONE_CHANNELS])
    application = forms.CharField(label=_("涉及的申请编号（可不填）"), required=False, max_length=32)
    county = forms.ChoiceField(label=_("涉及区县（未填申请编号时必选）"), required=False)
    contact_name = forms.CharField(label=_("来电人姓名"), max_length=64)
    contact_phone = forms.CharField(label=_("来电号码"), max_length=20,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    text = forms.CharField(label=_("投诉内容"), max_length=TEXT_MAX, widget=forms.Textarea(attrs=TEXTAREA))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=lambda: uuid.uuid4().hex)

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("请选择"))] + list(counties)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("答复内容"), max_length=TEXT_MAX, widget=forms.Textarea(attrs=TEXTAREA))


class CloseForm(forms.Form):
    note = forms.CharField(label=_("办结说明（必填）"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}))


class CallbackForm(forms.Form):
    """回访: staff record the caller's answer to the reply."""

    satisfied = forms.TypedChoiceField(label=_("回访结果"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                       choices=[("yes", _("满意，办结")), ("no", _("不满意，重新处理"))])
    comment = forms.CharField(label=_("回访记录（不满意时必填）"), required=False, max_length=TEXT_MAX,
                              widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}))
