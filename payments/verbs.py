"""Event verbs of fee payments."""

VERBS = {
    "payment.started": "发起支付",
    "payment.failed": "支付失败",
    "payment.succeeded": "支付成功",
}
