"""Event verbs and message kinds of outages (autodiscovered by core; CONTRACTS §1, §3)."""

VERBS = {
    "network.imported": "导入电网拓扑",
    "customer.connected": "新装用户接入电网",
    "scheme.connected": "确定供电方案接入点",
    "outage.planned": "编制停电计划",
    "outage.approved": "批准停电计划",
    "outage.merged": "合并停电计划（一停多用）",
    "outage.cancelled": "取消停电计划",
    "outage.started": "开始停电",
    "outage.fault_reported": "故障停电",
    "outage.progress_updated": "更新抢修进度",
    "outage.partially_restored": "部分恢复送电",
    "outage.ended": "恢复送电",
    "outage.avoided": "转供/带电作业避免停电",
    "repair.dispatched": "抢修派工",
    "repair.arrived": "抢修到达现场",
    "repair.repaired": "故障修复",
    "referral.made": "移交外部隐患/违章",
    "referral.updated": "更新移交处理情况",
    "readings.imported": "导入负荷与电压数据",
}

MESSAGE_KINDS = {
    "planned_outage": "计划停电通知",
    "fault_outage": "故障停电通知",
    "outage_progress": "抢修进度通知",
    "outage_restored": "恢复送电通知",
}
