"""Event verbs of fee payments."""
from core.verbs import Origin

VERBS = {
    "payment.started": "发起支付",
    "payment.failed": "支付失败",
    "payment.succeeded": "支付成功",
    "fee.cancelled": "取消未缴费用（申请已关闭）",
    "payment.released": "支付超时释放",
}

ORIGINS = [Origin(model="payments.Payment", verb="payment.started", subject="application")]
