"""Event verbs of sharing (CONTRACTS.md §1)."""

VERBS = {
    "sharing.fetched": "通过数据共享获取数据",
    "sharing.document_obtained": "通过数据共享取得材料（免提交）",
    "prospect.imported": "导入提前介入项目",
    "prospect.converted": "提前介入项目转为用电申请",
    "joint.forwarded": "水电气暖联办：转送公用事业单位",
}

MESSAGE_KINDS = {
    "joint_application": "水电气暖联办申请",
}
