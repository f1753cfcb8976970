"""The synthetic province's bulk path writes what the actions and the fact refresh would:
a refresh of every fact afterwards changes nothing, and every row keeps the actions' rules."""
import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from applications.models import Application, Stage, Status
from core.models import Event
from monitoring import synthetic
from monitoring.actions import facts_refresh
from monitoring.models import ApplicationFact, StageFact

pytestmark = pytest.mark.django_db

COMPARED = [f.attname for f in ApplicationFact._meta.concrete_fields if f.attname != "refreshed_at"]


def snapshot():
    facts = {row["application_id"]: row for row in ApplicationFact.objects.values(*COMPARED)}
    stages = sorted(StageFact.objects.values_list("fact_id", "code", "unit", "limit", "held", "within", "ended_on"))
    return facts, stages


def test_a_full_refresh_after_generating_rewrites_identical_facts(policies):
    done = synthetic.generate(applications=400, region="zhejiang", year=2025, seed=7)
    assert (done.applications, Application.objects.count(), ApplicationFact.objects.count()) == (400, 400, 400)
    before = snapshot()
    assert facts_refresh(full=True) == 400
    assert snapshot() == before
    assert Event.objects.filter(verb="synthetic.generated").count() == 1


def test_generated_rows_keep_the_rules_of_the_actions(policies):
    synthetic.generate(applications=300, region="zhejiang", year=2025, seed=11)
    energised = Application.objects.filter(status=Status.ENERGISED)
    assert energised.exists() and not energised.filter(policy_version__isnull=True).exists()
    # Energised: every stage done, the last one ending at the energisation.
    assert not Stage.objects.filter(application__status=Status.ENERGISED).exclude(state=Stage.State.DONE).exists()
    for app in energised[:50]:
        stages = list(app.stages.order_by("seq"))
        assert stages[-1].ended_at == app.energised_at and stages[0].code == "acceptance"
        assert all(a.ended_at <= b.started_at for a, b in zip(stages, stages[1:], strict=False))
    # Overdue exactly when a stage ended after its due date.
    late = Stage.objects.filter(state=Stage.State.DONE, due_date__isnull=False, alert=Stage.Alert.OVERDUE)
    assert late.exists()
    assert all(s.ended_at.date() > s.due_date for s in late.select_related(None)[:50])
    # Only an enterprise has a size class; numbers follow the action's format.
    assert not Application.objects.filter(applicant_kind="person").exclude(enterprise_size="").exists()
    assert not Application.objects.exclude(number__startswith="ZH").exists()
    assert not Application.objects.filter(accepted_at__lt=F("submitted_at")).exists()


def test_the_command_refuses_bad_input_and_a_second_province(policies, capsys):
    with pytest.raises(CommandError) as caught:
        call_command("demo", "generate", "--applications", "0")
    assert caught.value.returncode == 2 and str(caught.value).startswith("--applications")
    call_command("demo", "generate", "--applications", "20", "--year", "2025")
    assert "generated 20 applications" in capsys.readouterr().out
    with pytest.raises(CommandError) as caught:
        call_command("demo", "generate", "--applications", "20", "--year", "2025")
    assert caught.value.returncode == 2 and str(caught.value).startswith("--region")


def test_a_year_prefetched_in_one_pass_gives_every_month_the_figures_of_its_own_scope(policies):
    from monitoring import periods, queries
    from monitoring.indicators import Scope, prefetch_months

    synthetic.generate(applications=600, region="zhejiang", year=2025, seed=3)

    def scopes():
        return [Scope(region="zhejiang", period=m, policy=queries._policy_for("zhejiang", m))
                for m in periods.year(2025).months()]

    one_pass = scopes()
    prefetch_months(one_pass)
    assert all("rollup" in scope.cache for scope in one_pass)
    separate = scopes()  # each month computes its own rollup when first read
    prefetched = [m.as_dict() for scope in one_pass for m in queries.measures(scope)]
    own = [m.as_dict() for scope in separate for m in queries.measures(scope)]
    assert prefetched == own
    assert any(m["cases"] and m["value"] is not None for m in own if m["code"] == "grid_side_p90")
