from django import forms

from workdays.clock import Unit


class DeadlineForm(forms.Form):
    start = forms.DateField(
        label="起始日（受理、申请或上一环节完成之日，不计入期限）",
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )
    unit = forms.ChoiceField(
        label="时限单位",
        choices=[(Unit.WORKDAY.value, "工作日"), (Unit.DAY.value, "自然日（天）")],
        initial=Unit.WORKDAY.value,
        widget=forms.RadioSelect,
    )
    # The clock refuses limits that run past its calendar; this bound only keeps the form sane.
    limit = forms.IntegerField(label="时限（数字）", min_value=0, max_value=3650, initial=5)


class CalendarImportForm(forms.Form):
    file = forms.FileField(label="CSV 文件（date,kind,name；kind 为 holiday 或 workday）")
    replace_official = forms.BooleanField(
        label="覆盖官方年度（该年已由 chinesecalendar 收录时需勾选）", required=False
    )
    note = forms.CharField(label="来源说明（如通知文号）", required=False, max_length=200)
