"""`getpower demo load` also builds the network and an outage history for the three regions."""

from accounts.models import Division
from applications import demo
from core import events
from outages import network, queries
from outages.models import AvoidedOutage, Customer, Outage, RepairOrder


def test_demo_has_a_network_and_outages_in_every_region(db):
    from policies.actions import policy_load
    from workdays.actions import calendar_sync

    calendar_sync()
    policy_load()
    demo.load(applications=0)
    assert set(Customer.objects.values_list("county__policy_region", flat=True).distinct()) == {
        "shaanxi", "zhejiang", "zaozhuang"}
    assert Outage.objects.filter(kind="planned", status="ended").exists()
    assert Outage.objects.filter(kind="fault", status="ended").exists()
    assert RepairOrder.objects.filter(arrived_at__isnull=False).exists()
    assert AvoidedOutage.objects.exists()
    assert network.city_group(Division.objects.get(code="370405")) == "taierzhuang_gaoxin"
    assert network.city_group(Division.objects.get(code="370402")) == "other"
    from django.utils import timezone

    report = queries.reliability_report(year=timezone.localdate().year, region="zaozhuang")
    groups = {t["city_group"] for t in report["targets"]}
    assert groups == {"taierzhuang_gaoxin", "other"}
    assert report["saidi_hours"] > 0
    [zone] = queries.reliability_report(year=timezone.localdate().year, region="shaanxi")["zones"]
    assert zone["county"] == "610113" and zone["customers"] > 0 and zone["target_hours"] is not None
    assert events.verify().ok
