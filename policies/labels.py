"""Chinese labels of the policy codes, contributed to the one registry (core.labels) by
namespace; `FLAT` is the same codes in one table for the policy pages and command line,
which list codes of several kinds side by side."""

UNITS = {
    "workday": "个工作日",
    "day": "天",
    "month": "个月",
    "hour": "小时",
    "kW": "千瓦",
    "kVA": "千伏安",
    "kV": "千伏",
    "m": "米",
    "percent": "%",
    "stage": "个",
}
LABELS = {
    "unit": UNITS,
    "target_kind": {
        "limit": "逐案时限",
        "average": "平均值目标",
        "share": "比例目标",
        "relative": "相对目标",
        "minimum": "最短提前时间",
    },
    "stage": {
        "acceptance": "业务受理",
        "scheme_reply": "供电方案答复",
        "design_review": "设计审查",
        "midway_inspection": "中间检查",
        "completion_inspection": "竣工检验",
        "connection": "装表接电",
        "construction_connection": "施工接电",
        "completion_connection": "竣工装表接电",
    },
    "area": {
        "city_core": "市中心区",
        "urban": "市区",
        "town": "城镇",
        "rural": "农村",
        "all": "全部",
    },
    "policy_status": {
        "in_force": "执行",
        "pilot": "试点",
        "explore": "探索",
        "encouraged": "鼓励",
    },
    "route": {
        "exempt": "免于行政许可",
        "notification_commitment": "告知承诺",
        "advance_notice": "提前告知",
        "parallel": "并联审批",
        "filing": "审批改备案",
        "cancelled": "取消审批",
        "standard": "按原程序审批",
        "road_works_agreement": "签订涉路工程建设协议",
    },
    "boundary": {
        "to_meter": "投资至电能表",
        "to_red_line": "投资建设到用户红线",
        "to_red_line_incl_metering": "延伸至用户红线（含计量装置）",
        "to_planning_red_line": "延伸至用户规划红线",
        "to_building_zone_red_line": "延伸至用户建筑区划红线",
        "connection_point": "投资至产权分界点（接入点）",
    },
    "period": {
        "month": "每月",
        "quarter": "每季度",
        "year": "每年",
        "realtime": "实时",
        "unspecified": "定期",
    },
    "voltage_class": {
        "lv": "低压",
        "hv": "高压",
    },
    "supply": {
        "single": "单电源",
        "dual": "双电源",
        "important": "重要/高风险用户",
    },
    "department": {
        "roads": "道路管理部门",
        "greening": "绿化管理部门",
        "administrative_approval": "行政审批部门",
    },
    "note_kind": {
        "contradiction": "矛盾",
        "reading": "解读",
    },
    "one_way_rule": {
        "zero_investment_never_shrinks": "零投资范围不得缩小",
        "saidi_never_loosens": "停电时间目标不得放宽",
    },
    # version ids that are words, not years (the root's one version)
    "policy_version": {"current": "现行"},
    "region": {
        "national": "国家现行规定",
        "zaozhuang": "枣庄市",
        "zhejiang": "浙江省",
        "shaanxi": "陕西省",
    },
    "pause_reason": {
        "awaiting_documents": "等待客户补充资料",
        "customer_works": "客户受电工程施工中",
        "customer_requested_date": "客户要求的日期",
        "force_majeure": "不可抗力",
    },
    # conditions that extend the investment boundary (policies' investment_boundary)
    "condition": {
        "major_risk_prevention": "防范化解重大风险项目",
        "poverty_alleviation": "精准脱贫项目",
        "pollution_control": "污染防治项目",
        "rural_revitalization": "乡村振兴项目",
        "pilot_area": "试点地区",
        "provincial_industrial_park": "省级工业园区",
        "provincial_park": "省级及以上园区",
        "provincial_key_project": "省级新旧动能转换项目库项目",
    },
}

# Units stay out of the flat table: "month" there is the reporting period 每月.
FLAT: dict[str, str] = {}
for _namespace, _table in LABELS.items():
    if _namespace != "unit":
        for _code, _text in _table.items():
            FLAT.setdefault(_code, _text)
