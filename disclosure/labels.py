"""中文 labels of disclosure codes (CONTRACTS §2)."""

LABELS = {
    "document_kind": {"approval_policy": "电力接入工程审批政策文件", "tariff": "电价政策文件",
                      "service": "用电报装服务政策文件"},
    "violation_kind": {"designation": "指定设计、施工、供货单位（三指定）", "irregular_fee": "违规收费"},
    "violation_state": {"open": "待处理", "closed": "已办结"},
    "practice_state": {"submitted": "待审核", "published": "已发布", "returned": "已退回"},
}
