"""Portal forms: they check shapes only; the rules live in the actions, whose DomainError
fields are shown next to the matching input (see `show_errors`)."""
from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import CAPACITY_KVA, Application, AreaCategory
from complaints.models import TEXT_MAX
from core.bounds import NOTE_LENGTH
from core.errors import DomainError
from customers import queries
from customers.models import Profile


def show_errors(form: forms.Form, exc: DomainError) -> None:
    """Put each field's message next to its input; the rest above the form."""
    if not exc.fields:
        form.add_error(None, exc.for_people)
    for name, message in exc.fields.items():
        form.add_error(name if name in form.fields else None, message)


class PasswordPair:
    """A form with `password` and `password2`: both must be the same."""

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class SignupForm(PasswordPair, forms.Form):
    contact = forms.CharField(label=_("手机号码或电子邮箱"), max_length=254,
                              widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}))
    display_name = forms.CharField(label=_("称呼"), max_length=64, required=False)
    password = forms.CharField(label=_("密码"), max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("再次输入密码"), max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class CodeForm(forms.Form):
    code = forms.CharField(label=_("验证码"), max_length=12,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class LoginForm(forms.Form):
    identifier = forms.CharField(label=_("用户名、手机号码或电子邮箱"), max_length=254,
                                 widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("密码"), max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ContactForm(forms.Form):
    contact = forms.CharField(label=_("注册时的手机号码或电子邮箱"), max_length=254,
                              widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}))


class PasswordResetForm(PasswordPair, CodeForm):
    password = forms.CharField(label=_("新密码"), max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("再次输入新密码"), max_length=128,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class ProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("身份类型"), choices=Profile.Kind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("姓名或企业名称"), max_length=128)
    number = forms.CharField(label=_("居民身份证号码或统一社会信用代码"), max_length=18)
    code = forms.CharField(label=_("验证码"), max_length=12, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


FLAGS = {
    "residential": _("居民生活用电"),
    "sanling": _("申请低压“三零”服务（小微企业）"),
    "no_works": _("无需外部工程（已有表位线路）"),
    "important": _("重要用户或高危用户"),
    "conditional": _("具备条件的高压用户（合并环节）"),
    "in_park": _("位于省级及以上园区或重点项目"),
}


def _county_choices():
    return [("", _("请选择"))] + [
        (c.code, f"{c.parent.name if c.parent else ''} {c.name}".strip()) for c in queries.counties()
    ]


def _utility_choices():
    """Utilities serving some county (provincial grid, 地方电力, 增量配电): where several serve
    the chosen county the applicant picks one; the action checks it serves that county."""
    from accounts.models import Organisation

    roots = {}
    for org in Organisation.objects.filter(kind=Organisation.Kind.UTILITY, division__level="county"):
        root = org.utility_root
        roots[root.code] = root.name
    return [("", _("按区县自动确定"))] + sorted(roots.items())


class ApplyForm(forms.Form):
    business_type = forms.ChoiceField(label=_("办理业务"), choices=Application.BusinessType.choices,
                                      widget=forms.RadioSelect, initial=Application.BusinessType.NEW)
    county = forms.ChoiceField(label=_("用电地址所在区县"), choices=())
    site_address = forms.CharField(label=_("用电地址"), max_length=255)
    area_category = forms.ChoiceField(label=_("地区类别"), choices=[("", _("请选择"))] + AreaCategory.choices)
    # People state the power of their equipment in kW, as the policies' thresholds do ("160千瓦及以下");
    # the application stores kVA, converted by the policy's power factor (the page shows both).
    # kW ≤ kVA, so the stored kVA bound is also an upper bound here; the converted kVA is checked too.
    capacity_kw = forms.DecimalField(label=_("用电容量（kW）"), **{**CAPACITY_KVA.form_kwargs(), "min_value": Decimal("0.1")},
                                     help_text=_("按用电设备总功率填写千瓦数，系统按功率因数折算为千伏安"),
                                     widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}))
    voltage_kv = forms.ChoiceField(label=_("供电电压"), initial="auto")
    utility = forms.ChoiceField(label=_("供电企业"), required=False,
                                help_text=_("同一区县有多家供电企业时请选择"))
    supply = forms.ChoiceField(label=_("电源"), choices=Application.Supply.choices, initial="single")
    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=Application.ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("申请人（姓名或企业名称）"), max_length=128)
    id_number = forms.CharField(label=_("居民身份证号码"), max_length=18, required=False)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    enterprise_size = forms.ChoiceField(label=_("企业规模"), required=False,
                                        choices=[("", _("不适用（个人）"))] + Application.EnterpriseSize.choices,
                                        help_text=_("按国家统计局大中小微型企业划分标准"))
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = _county_choices()
        self.fields["utility"].choices = _utility_choices()
        self.fields["voltage_kv"].choices = [("auto", _("按容量自动建议"))] + [
            (str(v), f"{v} kV") for v in queries.VOLTAGES]
        for name, label in FLAGS.items():
            self.fields[name] = forms.BooleanField(label=label, required=False)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def flag_fields(self):
        return [self[name] for name in FLAGS]


class UploadForm(forms.Form):
    document = forms.CharField(label=_("资料类型"), max_length=96)  # "stage_code:doc_type", choices built per application
    file = forms.FileField(label=_("文件（PDF、JPG、PNG）"))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("评分"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)],
                                   widget=forms.RadioSelect)
    comment = forms.CharField(label=_("评价内容（可选）"), required=False, max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))


class ComplaintForm(forms.Form):
    text = forms.CharField(label=_("投诉内容"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX}))
    # One key per form load: a double click or a resent post files one case.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=lambda: uuid.uuid4().hex)


class GeneralComplaintForm(ComplaintForm):
    """A complaint about the service in general (no application): which county it concerns."""

    county = forms.ChoiceField(label=_("涉及区县"))

    field_order = ["county", "text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("请选择"))] + [
            (d.code, f"{d.parent.name if d.parent else ''}{d.name}") for d in queries.counties()]


class FeedbackForm(forms.Form):
    satisfied = forms.TypedChoiceField(label=_("您对答复是否满意"), coerce=lambda v: v == "yes",
                                       choices=[("yes", _("满意，确认办结")), ("no", _("不满意，请重新处理"))],
                                       widget=forms.RadioSelect)
    comment = forms.CharField(label=_("补充说明（不满意时必填）"), required=False, max_length=TEXT_MAX,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}))


class ChooseSchemeForm(forms.Form):
    label = forms.CharField(label=_("选择的供电方案"), max_length=32)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因（可选）"), required=False, max_length=500)
