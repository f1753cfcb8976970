"""Event verbs of monitoring, declared once with their Chinese labels."""
VERBS = {
    "indicators.facts_refreshed": "更新指标事实表",
    "indicators.snapshot_taken": "保存指标快照",
    "indicators.corrected": "更正指标快照",
    "report.generated": "生成报告",
    "endpoint.registered": "登记监管接收系统",
    "synthetic.generated": "生成合成数据省份",
    "endpoint.retired": "停用监管接收系统",
    "bulletin.published": "发布通报",
    "spot_check.drawn": "抽取抽查样本",
    "spot_check.finding_recorded": "记录抽查发现",
    "inspection.recorded": "登记监督检查或约谈",
    "follow_up.closed": "整改事项办结",
    "report.delivered": "按期报送报告",
}
MESSAGE_KINDS = {
    "report_ready": "报告已生成",
    "bulletin_issued": "通报",
    "follow_up_due": "整改事项",
    "indicators_changed": "指标变化推送",
}
