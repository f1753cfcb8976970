"""Event verbs of electronic supply contracts."""

VERBS = {
    "contract.generated": "生成供用电合同",
    "contract.code_sent": "发送签约验证码",
    "contract.code_refused": "签约验证码错误",
    "contract.signed": "电子签约",
    "contract.codes_revoked": "作废签约验证码（申请已关闭）",
}

# Messages about the supply contract (core.outbox).
MESSAGE_KINDS = {
    "contract_ready": "合同待签署",
}
