"""Stored State Council schedules. A year with no row here is provisional: its holidays are
computed from the law (workdays/provisional.py) and never stored, so importing the real
notice later replaces nothing but a guess."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

# The first year chinesecalendar knows; the clock covers from here.
FIRST_YEAR = 2004
# lunar_python and the 2024 law are both good well past this; a later year is a typo.
LAST_IMPORTABLE_YEAR = 2099


class Source(models.TextChoices):
    OFFICIAL = "official", "官方（chinesecalendar 收录）"
    IMPORTED = "imported", "导入（国务院通知）"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(primary_key=True)
    source = models.CharField(max_length=16, choices=Source.choices)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, default="", help_text="e.g. the notice: 国办发明电〔2026〕x号")
    # Bumped on every save: get_schedule() compares it to know its cached clock is stale,
    # also in other processes (web, worker) that did not do the import themselves.
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"
        constraints = [
            models.CheckConstraint(condition=Q(source__in=Source.values), name="calendaryear_source_known"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_IMPORTABLE_YEAR), name="calendaryear_year_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}（{self.get_source_display()}）"


class CalendarDay(models.Model):
    """A day that differs from the plain week: a holiday, or a weekend day worked (调休)."""

    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(unique=True)
    kind = models.CharField(max_length=10, choices=DayKind.choices)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日/调休日"
        verbose_name_plural = "节假日/调休日"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DayKind.values), name="calendarday_kind_known"),
            models.CheckConstraint(condition=~Q(name=""), name="calendarday_name_present"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
