"""Spot-check draws, bulletin ranking, appraisal scores and the report schedule: pure, property-tested."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring import appraisal, periods, ranking, sampling, schedule

ids = st.lists(st.integers(1, 10_000), max_size=60)


@given(ids, st.integers(1, 100), st.integers(0, 2**48))
def test_a_draw_is_reproducible_distinct_and_from_the_population(population, size, seed):
    sample = sampling.draw(population, size=size, seed=seed)
    assert sample == sampling.draw(list(reversed(population)), size=size, seed=seed)  # order of rows is irrelevant
    assert len(sample) == len(set(sample)) == min(size, len(set(population)))
    assert set(sample) <= set(population)


results = st.builds(ranking.CountyResult, code=st.text("0123456789", min_size=6, max_size=6), name=st.just("区"),
                    utility=st.just(""), met=st.integers(0, 20), at_risk=st.integers(0, 5), missed=st.integers(0, 20))


@given(st.lists(results, max_size=20, unique_by=lambda r: r.code))
def test_ranking_orders_by_the_share_missed_and_names_one_best_and_one_worst(counties):
    rows = ranking.ranked(counties)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    judged = [r for r in rows if r["judged"]]
    assert rows[:len(judged)] == judged  # counties with nothing judged come last
    shares = [r["missed"] / r["judged"] for r in judged]
    assert shares == sorted(shares)
    assert sum(r["standing"] == "best" for r in rows) == (1 if judged else 0)
    assert sum(r["standing"] == "worst" for r in rows) == (1 if len(judged) > 1 else 0)


SCHEME = appraisal.load()
codes = [code for item in SCHEME.items for code in item.indicators]
statuses = st.lists(st.tuples(st.sampled_from(codes + ["saidi"]), st.sampled_from(["met", "at_risk", "missed", "n/a"])))


@given(statuses)
def test_an_appraisal_score_lies_between_0_and_100_and_all_met_scores_100(rows):
    result = appraisal.appraise(rows, SCHEME)
    judged = [r for r in rows if r[1] != "n/a" and r[0] in codes]
    assert (result.score is None) == (not judged)
    if result.score is not None:
        assert 0 <= result.score <= 100
    all_met = appraisal.appraise([(code, "met") for code, _ in judged], SCHEME)
    assert all_met.score in (None, 100.0)


@given(statuses, st.sampled_from(codes))
def test_turning_a_miss_into_a_met_never_lowers_the_score(rows, code):
    worse = appraisal.appraise([*rows, (code, "missed")], SCHEME)
    better = appraisal.appraise([*rows, (code, "met")], SCHEME)
    assert better.score >= worse.score


def test_every_weight_has_a_reason_and_bad_weights_are_refused():
    assert all(item.reason and item.weight > 0 for item in SCHEME.items)
    assert all(SCHEME.credit_reasons.values())
    with pytest.raises(appraisal.BadWeights):
        appraisal.parse({"status_credit": {"met": {"value": 1}}, "items": []})


REPORTING = {
    "monthly_statistics": {"name": "月统计", "period": "month"},
    "quarterly_analysis": {"name": "季分析", "period": "quarter",
                           "due": {"value": 10, "unit": "day", "kind": "limit", "source": "x"}},
    "progress": {"name": "进展", "period": "unspecified"},
}


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_the_report_due_on_a_day_is_about_the_period_just_ended(day):
    due = {d.kind: d for d in schedule.due_reports(REPORTING, day)}
    assert set(due) == {"monthly", "quarterly"}
    assert due["monthly"].period.end == periods.containing(day, "month").start
    assert due["quarterly"].period.end == periods.containing(day, "quarter").start
    assert due["quarterly"].due_n == 10 and due["monthly"].due_n is None


def test_a_year_of_reports_due_within_holds_each_quarter_once():
    due = schedule.reports_due_within(REPORTING, periods.parse("2026"))
    assert [d.period.label for d in due] == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert [d.period.label for d in schedule.reports_due_within(REPORTING, periods.parse("2026-10"))] == ["2026Q3"]
    assert schedule.reports_due_within(REPORTING, periods.parse("2026-11")) == []
