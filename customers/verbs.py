"""Event verbs of the applicant's own account: one-time codes, sign-up, identity, ratings."""

VERBS = {
    "otp.sent": "发送验证码",
    "otp.failed": "验证码错误",
    "otp.verified": "验证码通过",
    "customer.signed_up": "客户注册",
    "customer.identity_verified": "实名认证",
    "customer.password_reset": "找回密码",
    "rating.submitted": "服务评价",
}

