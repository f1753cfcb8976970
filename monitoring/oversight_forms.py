"""Forms of the oversight pages: each field bounded as its action bounds it."""
from __future__ import annotations

from django import forms

from core.bounds import NOTE_LENGTH
from monitoring.models import RegulatorEndpoint
from monitoring.oversight_actions import ACTION_LENGTH, SAMPLE_MAX, SUBJECT_LENGTH
from monitoring.oversight_models import Inspection, SpotCheckItem

PERIOD_HELP = "2026-10（月）、2026Q3（季度）或 2026（年）"
FOLLOW_UP_ROWS = 3  # blank rows offered on the form; more can be added by recording again


class BulletinForm(forms.Form):
    region = forms.ChoiceField(label="地区")
    period = forms.CharField(label="期间", max_length=7, help_text=PERIOD_HELP)

    def __init__(self, *args, regions: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = list(regions.items())


class SpotCheckForm(forms.Form):
    county = forms.ChoiceField(label="区县")
    period = forms.CharField(label="期间", max_length=7, help_text=PERIOD_HELP)
    size = forms.IntegerField(label="抽取案例数", min_value=1, max_value=SAMPLE_MAX)
    seed = forms.IntegerField(label="随机种子（可选，留空自动生成）", required=False, min_value=0, max_value=2**62)

    def __init__(self, *args, counties: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [(c.code, c.name) for c in counties]


class FindingForm(forms.Form):
    verdict = forms.ChoiceField(label="核查结论", choices=[(SpotCheckItem.Verdict.CONFORMS, "符合规定"),
                                                         (SpotCheckItem.Verdict.PROBLEM, "发现问题")])
    finding = forms.CharField(label="核查发现", max_length=NOTE_LENGTH, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label="种类", choices=Inspection.Kind.choices)
    county = forms.ChoiceField(label="区县")
    held_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    subject = forms.CharField(label="事由", max_length=SUBJECT_LENGTH)
    findings = forms.CharField(label="检查或约谈情况", max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, counties: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [(c.code, c.name) for c in counties]
        for n in range(1, FOLLOW_UP_ROWS + 1):
            self.fields[f"action_{n}"] = forms.CharField(label=f"整改事项{n}", max_length=ACTION_LENGTH, required=False)
            self.fields[f"due_{n}"] = forms.DateField(label=f"整改期限{n}", required=False,
                                                      widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        for n in range(1, FOLLOW_UP_ROWS + 1):
            if data.get(f"action_{n}") and not data.get(f"due_{n}"):
                self.add_error(f"due_{n}", "请填写整改期限")
        return data

    def follow_ups(self) -> list:
        data = self.cleaned_data
        return [(data[f"action_{n}"], data[f"due_{n}"]) for n in range(1, FOLLOW_UP_ROWS + 1) if data.get(f"action_{n}")]


class CloseForm(forms.Form):
    result = forms.CharField(label="整改结果", max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class EndpointForm(forms.Form):
    """A regulator's receiving system (无感监测), bounded as `push.endpoint_register` bounds it."""
    name = forms.CharField(label="接收系统名称", max_length=RegulatorEndpoint._meta.get_field("name").max_length)
    url = forms.CharField(label="接收地址", max_length=RegulatorEndpoint._meta.get_field("url").max_length,
                          help_text="以 https:// 开头，接收签名的指标变化推送")
    region = forms.ChoiceField(label="地区", required=False)

    def __init__(self, *args, regions: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "全部地区"), *regions.items()]
