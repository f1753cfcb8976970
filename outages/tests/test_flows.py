"""Planned and fault outages through the actions: lead time, lawful basis, 先算后停, merges,
partial restoration, notices exactly once (also across a crash), repair and referrals."""
import pytest

from core import outbox
from core.errors import Conflict, InvalidInput
from core.models import Event, OutboxMessage
from outages import actions, notices, queries
from outages.models import Interruption, Notice, Outage, RepairOrder
from outages.tests.conftest import at


def _plan(grid, start, end, scopes=(("transformer", "T1"),), **kw):
    return actions.outage_plan(by=grid.dan, county=grid.county, title="科技路1号公变检修", cause="maintenance",
                               planned_start=start, planned_end=end, scopes=scopes, **kw)


def test_a_plan_noticed_less_than_seven_days_ahead_is_refused(grid, travel):
    travel(at(2026, 3, 2, 9))
    outage = _plan(grid, at(2026, 3, 6, 8), at(2026, 3, 6, 12))  # 4 days ahead
    with pytest.raises(InvalidInput) as caught:
        actions.outage_approve(outage=outage, by=grid.carol)
    assert caught.value.code == "lead_time" and "urgent_reason" in caught.value.fields
    assert Outage.objects.get(pk=outage.pk).status == "proposed"
    assert not Notice.objects.exists()


def test_an_urgent_reason_lets_a_late_plan_through_and_is_logged(grid, travel):
    travel(at(2026, 3, 2, 9))
    outage = _plan(grid, at(2026, 3, 6, 8), at(2026, 3, 6, 12))
    actions.outage_approve(outage=outage, by=grid.carol, urgent_reason="10kV开关柜发热，须尽快更换")
    event = Event.objects.filter(verb="outage.approved").get()
    assert event.data["late_notice"] is True and event.data["urgent_reason"] == "10kV开关柜发热，须尽快更换"


def test_approval_seven_days_ahead_notices_every_affected_customer_once(grid, travel):
    travel(at(2026, 3, 2, 9))
    outage = _plan(grid, at(2026, 3, 9, 9), at(2026, 3, 9, 13))  # exactly 7 days + 0 h
    actions.outage_approve(outage=outage, by=grid.carol)
    assert sorted(Notice.objects.values_list("customer__code", flat=True)) == ["C1", "C2"]
    assert notices.notify(outage=outage, kind="planned_outage", event="planned") == 0  # a retry adds none
    assert Notice.objects.count() == 2
    assert "2026-03-09 09:00" in Notice.objects.first().text
    # Through the outbox: alice (C1) in her message centre, C2 — not a user — by her phone.
    c1, c2 = grid.c("C1"), grid.c("C2")
    rows = OutboxMessage.objects.filter(key__startswith=f"outage:{outage.pk}:planned:")
    assert rows.filter(key=f"outage:{outage.pk}:planned:{c1.pk}", user=grid.world.alice, channel="inapp").exists()
    contact_row = rows.get(key__startswith=f"outage:{outage.pk}:planned:{c2.pk}")
    assert contact_row.user is None and contact_row.contact_name == "李娜" and contact_row.kind == "planned_outage"


def test_a_crash_mid_notice_leaves_nothing_and_the_retry_notices_each_once(grid, travel, monkeypatch):
    travel(at(2026, 3, 2, 9))
    outage = _plan(grid, at(2026, 3, 20, 9), at(2026, 3, 20, 13), scopes=(("feeder", "F1"),))
    real_enqueue_many = outbox.enqueue_many
    written = {}

    def crash_after_the_notices(**kwargs):
        written["notices"] = Notice.objects.count()
        raise RuntimeError("worker killed")  # the notices are written, their messages not yet

    monkeypatch.setattr(outbox, "enqueue_many", crash_after_the_notices)
    with pytest.raises(RuntimeError):
        actions.outage_approve(outage=outage, by=grid.carol)
    assert written == {"notices": 3}
    assert not Notice.objects.exists() and Outage.objects.get(pk=outage.pk).status == "proposed"
    monkeypatch.setattr(outbox, "enqueue_many", real_enqueue_many)
    actions.outage_approve(outage=outage, by=grid.carol)
    with pytest.raises(Conflict):
        actions.outage_approve(outage=outage, by=grid.carol)
    codes = list(Notice.objects.values_list("customer__code", flat=True))
    assert sorted(codes) == ["C1", "C2", "C3"] and len(codes) == len(set(codes))
    # One outbox row per customer and channel; the rolled-back attempt left none behind.
    keys = list(OutboxMessage.objects.filter(key__startswith=f"outage:{outage.pk}:").values_list("key", flat=True))
    assert len(keys) == len(set(keys)) and {k.split("#")[0].rsplit(":", 1)[1] for k in keys} == {
        str(grid.c(code).pk) for code in ("C1", "C2", "C3")}


def test_supply_shortage_without_a_lawful_basis_is_refused(grid, travel):
    travel(at(2026, 3, 2, 9))
    with pytest.raises(InvalidInput) as caught:
        actions.fault_report(by=grid.dan, county=grid.county, cause="supply_shortage", scopes=[("feeder", "F2")])
    assert caught.value.code == "no_lawful_basis" and "lawful_basis" in caught.value.fields
    assert not Outage.objects.exists()
    outage, _ = actions.fault_report(by=grid.dan, county=grid.county, cause="supply_shortage",
                                     scopes=[("feeder", "F2")], lawful_basis="西安市2026年有序用电方案（市发改委批复）")
    assert outage.customers_affected == 3


def test_fault_partial_restore_then_end_with_interruptions_and_repair(grid, travel):
    travel(at(2026, 4, 1, 10))
    outage, created = actions.fault_report(by=grid.dan, county=grid.county, cause="equipment",
                                           scopes=[("feeder", "F1")], external_id="OMS-1")
    again, created_again = actions.fault_report(by=grid.dan, county=grid.county, cause="equipment",
                                                scopes=[("feeder", "F1")], external_id="OMS-1")
    assert created and not created_again and again.pk == outage.pk
    assert Interruption.objects.filter(outage=outage, end_s__isnull=True).count() == 3
    repair = RepairOrder.objects.get(outage=outage)
    assert repair.crew == "科技路10kV线网格抢修班"
    travel(at(2026, 4, 1, 10, 20))
    actions.repair_advance(repair=repair, by=grid.dan, step="dispatch")
    actions.outage_progress(outage=outage, by=grid.dan, progress="已找到故障点", estimated_restoration=at(2026, 4, 1, 12))
    actions.outage_progress(outage=outage, by=grid.dan, progress="已找到故障点", estimated_restoration=at(2026, 4, 1, 12))
    assert Notice.objects.filter(kind="outage_progress").count() == 3  # the repeat told nobody again
    travel(at(2026, 4, 1, 11))
    actions.outage_restore(outage=outage, by=grid.dan, scopes=[("transformer", "T2")])
    assert Outage.objects.get(pk=outage.pk).status == "active"
    travel(at(2026, 4, 1, 12))
    actions.outage_progress(outage=outage, by=grid.dan, progress="更换熔断器", estimated_restoration=at(2026, 4, 1, 13))
    assert Notice.objects.filter(kind="outage_progress").count() == 5  # only C1 and C2 are still off
    actions.outage_restore(outage=outage, by=grid.dan)
    outage.refresh_from_db()
    assert outage.status == "ended"
    minutes = sorted((r.end_s - r.start_s) // 60 for r in Interruption.objects.filter(outage=outage))
    assert minutes == [60, 120, 120]
    assert RepairOrder.objects.get(outage=outage).status == "closed"


def test_assessment_counts_customer_hours_saidi_budget_and_merges(grid, travel):
    travel(at(2026, 3, 2, 9))
    first = _plan(grid, at(2026, 3, 20, 9), at(2026, 3, 20, 13), scopes=(("feeder", "F1"),))
    second = _plan(grid, at(2026, 3, 25, 9), at(2026, 3, 25, 11), scopes=(("transformer", "T2"),))
    a = queries.assess(first)
    assert a["customers"] == 3 and a["customer_hours"] == 12.0
    assert a["saidi_effect_hours"] == 2.0  # 12 customer-hours over the county's 6 customers
    # Xi'an 2022 targets (the latest ≤ 2026): urban 2 h × 3 customers + city core 1 h × 3.
    assert a["budget"]["budget_customer_hours"] == 9
    assert a["budget"]["remaining_after"] == -3.0
    assert [m["id"] for m in a["merge_with"]] == [second.pk]
    actions.outage_merge(outage=second, into=first, by=grid.carol)
    assert Outage.objects.get(pk=second.pk).status == "merged"


def test_avoided_outages_are_counted(grid, travel):
    travel(at(2026, 3, 2, 9))
    plan = _plan(grid, at(2026, 3, 20, 9), at(2026, 3, 20, 13))
    actions.outage_avoid(by=grid.dan, county=grid.county, method="live_working", day=at(2026, 3, 20).date(),
                         customers=2, hours="4", outage=plan)
    assert Outage.objects.get(pk=plan.pk).status == "cancelled"
    summary = queries.avoided_summary(year=2026, region="shaanxi")
    assert summary["live_working"] == {"count": 1, "customer_hours": 8.0}


def test_referral_with_evidence_is_tracked(grid, travel):
    travel(at(2026, 3, 2, 9))
    referral = actions.referral_make(by=grid.dan, county=grid.county, kind="reckless_construction",
                                     authority="雁塔区城市管理和综合执法局", description="挖掘机挖断10kV电缆",
                                     evidence=["photo-0302-01.jpg"])
    with pytest.raises(InvalidInput):
        actions.referral_make(by=grid.dan, county=grid.county, kind="illegal_use", authority="公安",
                              description="窃电", evidence=[])
    actions.referral_update(referral=referral, by=grid.dan, status="closed", outcome="施工单位已赔偿")
    assert queries.referral_summary(year=2026, region="shaanxi") == {"reckless_construction": {"closed": 1}}


def test_audit_finds_every_repair_order_referral_and_avoided_outage_explained(grid, travel):
    from core import audit

    test_referral_with_evidence_is_tracked(grid, travel)
    travel(at(2026, 3, 3, 9))
    actions.fault_report(by=grid.dan, county=grid.county, cause="equipment", scopes=[("feeder", "F1")])
    actions.outage_avoid(by=grid.dan, county=grid.county, method="load_transfer", day=at(2026, 3, 3).date(),
                         customers=3, hours="2")
    assert audit.unexplained_rows() == []
    RepairOrder.objects.create(outage=Outage.objects.create(kind="fault", cause="other", status="active",
                                                            county=grid.county, title="绕过动作"),
                               county=grid.county, crew="x", opened_at=at(2026, 3, 3, 10))
    assert any("outages.repairorder" in line for line in audit.unexplained_rows())


def test_contact_phones_are_stored_encrypted_and_notices_still_reach_them(grid, travel, settings):
    from django.db import connection

    from core import pii

    with connection.cursor() as cur:
        cur.execute("SELECT * FROM outages_customer")
        stored = " ".join(str(v) for row in cur.fetchall() for v in row)
    assert "13800000002" not in stored and "3800000002" not in stored
    assert grid.c("C2").contact_phone == "13800000002"  # read back through SM4-GCM
    travel(at(2026, 3, 2, 9))
    outage = _plan(grid, at(2026, 3, 9, 9), at(2026, 3, 9, 13))
    actions.outage_approve(outage=outage, by=grid.carol)
    row = OutboxMessage.objects.get(key=f"outage:{outage.pk}:planned:{grid.c('C2').pk}")
    assert pii.decrypt(row.destination_enc, key=settings.PII_KEY) == "13800000002"


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_phones_stored_in_clear(settings):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from accounts.models import Division
    from core import pii

    province = Division.objects.create(code="M00", name="迁移省", level="province", policy_region="shaanxi")
    county = Division.objects.create(code="M01", name="迁移县", level="county", parent=province,
                                     policy_region="shaanxi")
    executor = MigrationExecutor(connection)
    executor.migrate([("outages", "0004_interruption_gains")])
    old = executor.loader.project_state([("outages", "0004_interruption_gains")]).apps
    sub = old.get_model("outages", "Substation").objects.create(code="MS", name="站", county_id=county.pk)
    feeder = old.get_model("outages", "Feeder").objects.create(code="MF", name="线", substation=sub,
                                                               county_id=county.pk, area="rural")
    Customer = old.get_model("outages", "Customer")
    Customer.objects.create(code="MC1", name="甲", kind="mv", feeder=feeder, county_id=county.pk, area="rural",
                            contact_phone="13912345678")
    Customer.objects.create(code="MC2", name="乙", kind="mv", feeder=feeder, county_id=county.pk, area="rural")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from outages.models import Customer as Now

    with connection.cursor() as cur:
        cur.execute("SELECT code, contact_phone_enc FROM outages_customer WHERE code LIKE 'MC%%' ORDER BY code")
        rows = dict(cur.fetchall())
    assert "13912345678" not in rows["MC1"] and rows["MC2"] == ""
    assert pii.decrypt(rows["MC1"], key=settings.PII_KEY) == "13912345678"
    assert Now.objects.get(code="MC1").contact_phone == "13912345678"
