"""中文 for the codes approvals shows (CONTRACTS.md §2 namespaces)."""
from __future__ import annotations

LABELS = {
    "route": {
        "exempt": "免于行政许可",
        "standard": "按原程序审批",
        "parallel": "并联审批",
        "notification_commitment": "告知承诺",
        "advance_notice": "提前告知审批",
        "road_works_agreement": "签订涉路工程建设协议",
        "filing": "审批改备案",
        "cancelled": "取消审批",
    },
    "department": {
        "natural_resources": "自然资源和规划部门",
        "housing_construction": "住房和城乡建设部门",
        "roads": "交通运输（公路）部门",
        "greening": "林业和绿化部门",
        "traffic_police": "公安交警部门",
        "administrative_approval": "行政审批服务部门",
    },
    "crossing": {
        "expressway": "城市快速路",
        "trunk_road": "城市主干道",
        "highway": "公路、公路用地、改线",
        "city_road": "其他城市道路",
        "green_space": "城市绿地",
        "trees": "树木采伐",
        "ancient_trees": "古树名木",
        "national_road": "国道",
        "provincial_road": "省道",
        "county_road": "县乡道",
    },
    "case_status": {
        "pending": "审批中",
        "approved": "已批准",
        "approved_with_conditions": "附条件批准",
        "rejected": "不予批准",
    },
    "voltage_class": {"lv": "低压", "hv": "高压"},
    "unit": {"workday": "个工作日", "day": "天", "month": "个月"},
}


def label(namespace: str, code: str) -> str:
    return LABELS.get(namespace, {}).get(code, code)
