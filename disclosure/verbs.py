"""Event verbs of public disclosure (CONTRACTS §1)."""

VERBS = {
    "disclosure.document_published": "公开政策文件",
    "disclosure.document_withdrawn": "撤下政策文件",
    "disclosure.practice_submitted": "报送经验做法",
    "disclosure.practice_published": "发布经验做法",
    "disclosure.practice_returned": "退回经验做法",
    "disclosure.violation_reported": "收到“三指定”/违规收费举报",
    "disclosure.violation_closed": "办结“三指定”/违规收费举报",
}
MESSAGE_KINDS = {
    "violation_closed": "举报办结告知",
}
