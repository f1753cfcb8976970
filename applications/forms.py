"""Workbench forms: each asks for what one action needs; the choices come from the policy
pinned on the application (pause reasons, investment boundaries) and from the handling
company's staff (checkers, approvers, assignees)."""
from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import GRID_STAFF, Role
from applications import rules
from applications.models import Application, Escalation, GridProject, Pause, Status
from core import labels
from core.bounds import MONEY, NOTE_LENGTH, POSITIVE_MONEY

DATE = forms.DateInput(attrs={"type": "date"})


def staff_of(application: Application, *roles: str):
    """Active users of the application's handling company, optionally of some roles."""
    # One membership must carry both the company and the role: not a role held somewhere else.
    held = {"memberships__organisation": application.handling_org}
    if roles:
        held["memberships__role__in"] = roles
    return User.objects.filter(is_active=True, **held).distinct().order_by("username")


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return labels.person(user)  # people by name, never the login


OVERDUE_CHOICES = [("", _("全部")), ("1", _("仅超期")), ("0", _("未超期"))]


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部"))] + list(Status.choices))
    county = forms.ChoiceField(label=_("区县"), required=False)
    category = forms.ChoiceField(label=_("用户类别"), required=False)
    overdue = forms.ChoiceField(label=_("超期"), required=False, choices=OVERDUE_CHOICES)

    def __init__(self, *args, counties=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("全部"))] + list(counties)
        self.fields["category"].choices = [("", _("全部"))] + list(categories)


class EscalationFilterForm(forms.Form):
    """督办 list filters; the page size is fixed by the view, so nothing here can ask for more."""
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=[("", _("全部"))] + list(Escalation.State.choices))
    county = forms.ChoiceField(label=_("区县"), required=False)
    overdue = forms.ChoiceField(label=_("超过督办期限"), required=False, choices=OVERDUE_CHOICES)

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("全部"))] + list(counties)


class AcceptForm(forms.Form):
    result = forms.CharField(label=_("受理意见"), required=False, max_length=500)


class CompleteForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=32)
    result = forms.CharField(label=_("办理结果"), max_length=500)
    checked_by = UserChoice(label=_("复核人"), queryset=User.objects.none(), required=False)
    checker_password = forms.CharField(
        label=_("复核人密码（当面复核时由复核人本人输入）"), required=False, max_length=128, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("留空则发送到复核人的待办，由其本人确认后本环节完成"))
    evidence_date = forms.DateField(label=_("凭证日期（勘查、抄表等）"), required=False, widget=DATE)

    def __init__(self, *args, application: Application, by: User, needs_checker: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # The second person is someone else of the handling company (双人复核).
        self.fields["checked_by"].queryset = staff_of(application, *GRID_STAFF).exclude(pk=by.pk)
        self.fields["checked_by"].required = needs_checker
        if not needs_checker:
            self.fields["checked_by"].help_text = _("本环节政策不要求双人复核")
        else:
            self.fields["checked_by"].help_text = _("政策要求本环节由第二人复核")


class PauseForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=32)
    reason = forms.ChoiceField(label=_("暂停原因（客户原因）"))
    documents = forms.MultipleChoiceField(label=_("需要客户补充的资料（等待客户补充资料时必选）"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("需要客户做什么"), required=False, max_length=500)
    respond_by = forms.DateField(label=_("请客户在此日期前办理"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    approved_by = UserChoice(label=_("批准主管（不可抗力时必填）"), queryset=User.objects.none(), required=False)
    approver_password = forms.CharField(
        label=_("主管密码（当面审批时由主管本人输入）"), required=False, max_length=128, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("留空则发送到主管的待办，由其本人确认后开始暂停"))

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        if application.policy_version:
            # Only what the policy lists for the category and data sharing does not already provide (四免).
            names = rules.document_names(application.policy_version)
            shared = rules.shared_documents(application.policy_version)
            self.fields["documents"].choices = [
                (code, names.get(code, code))
                for code in rules.category_documents(application.policy_version, application.category)
                if code not in shared]
        reasons = rules.pause_reasons(application.policy_version) if application.policy_version else {}
        self.fields["reason"].choices = (
            [(code, name) for code, (name, _needs) in reasons.items()] if reasons else list(Pause.Reason.choices))
        self.fields["approved_by"].queryset = staff_of(application, Role.SUPERVISOR)


class StageForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=32)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("驳回原因（客户可见）"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=32)
    assignee = UserChoice(label=_("改派给"), queryset=User.objects.none())

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_of(application).exclude(memberships__role=Role.APPLICANT)


class SchemeRowForm(forms.Form):
    label = forms.CharField(label=_("方案名称"), max_length=32, required=False)
    connection_point = forms.CharField(label=_("接入点"), max_length=255, required=False)
    boundary = forms.ChoiceField(label=_("投资界面"))
    customer_cost = forms.DecimalField(label=_("客户投资（元）"), initial=0, required=False, **MONEY.form_kwargs())
    utility_cost = forms.DecimalField(label=_("供电公司投资（元）"), initial=0, required=False, **MONEY.form_kwargs())
    description = forms.CharField(label=_("说明"), required=False, max_length=500)

    def __init__(self, *args, boundaries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["boundary"].choices = [(b, labels.label("boundary", b)) for b in sorted(boundaries)]

    @property
    def filled(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("label") or data.get("connection_point"))


class SchemeOptionsForm(forms.Form):
    onsite = forms.BooleanField(label=_("现场答复（完成供电方案答复环节）"), required=False)
    transitional = forms.BooleanField(label=_("过渡方案"), required=False)


SCHEME_ROWS = 2


def scheme_forms(application: Application, data=None) -> tuple[list[SchemeRowForm], SchemeOptionsForm]:
    boundaries = rules.boundaries(application.policy_version, application.category, in_park=application.in_park)
    labels = ["方案一", "方案二", "方案三"]
    rows = [
        SchemeRowForm(data, prefix=f"s{i}", boundaries=boundaries,
                      initial={"label": labels[i] if i == 0 else "", "boundary": application.investment_boundary})
        for i in range(SCHEME_ROWS)
    ]
    return rows, SchemeOptionsForm(data, prefix="opt")


class ChooseForm(forms.Form):
    label = forms.ChoiceField(label=_("客户选定的方案"))

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].choices = [(s.label, s.label) for s in application.schemes.all()]


class ProjectOpenForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=GridProject.Kind.choices)
    name = forms.CharField(label=_("工程名称"), max_length=128)
    planned_end = forms.DateField(label=_("计划完成日期"), required=False, widget=DATE)


class ProjectUpdateForm(forms.Form):
    project = forms.ModelChoiceField(label=_("工程"), queryset=GridProject.objects.none())
    filed_on = forms.DateField(label=_("备案日期"), required=False, widget=DATE)
    construction_start = forms.DateField(label=_("开工日期"), required=False, widget=DATE)
    construction_end = forms.DateField(label=_("竣工日期"), required=False, widget=DATE)

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = application.grid_projects.all()
        self.fields["project"].label_from_instance = lambda p: f"{p.name}（{p.get_kind_display()}）"


class FeeForm(forms.Form):
    # Only items of the region's fee catalogue; the basis comes from the catalogue.
    item = forms.CharField(label=_("收费项目（收费目录中的项目）"), max_length=64)
    amount = forms.DecimalField(label=_("金额（元）"), **{**POSITIVE_MONEY.form_kwargs(), "min_value": Decimal("0.01")})


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("督办回复"), max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("退回理由"), required=False, max_length=NOTE_LENGTH)
