"""中文 for the codes outages shows (autodiscovered by core.labels; CONTRACTS §2)."""
from outages.models import Area, AvoidedOutage, Cause, Kind, Outage, Referral, RepairOrder

LABELS = {
    "outage_kind": dict(Kind.choices),
    "outage_cause": dict(Cause.choices),
    "outage_status": dict(Outage.Status.choices),
    "area": dict(Area.choices),
    "avoid_method": dict(AvoidedOutage.Method.choices),
    "repair_status": dict(RepairOrder.Status.choices),
    "referral_kind": dict(Referral.Kind.choices),
    "referral_status": dict(Referral.Status.choices),
    "city_group": {"taierzhuang_gaoxin": "台儿庄区、高新区", "xian": "西安市", "hangzhou_ningbo": "杭州、宁波",
                   "other": "其他", "all": "全省"},
}
