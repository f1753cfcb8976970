"""Event verbs of divisions, organisations, users, roles and API tokens."""

VERBS = {
    "division.created": "新建行政区划",
    "organisation.created": "新建单位",
    "organisation.updated": "修改单位",
    "user.created": "新建用户",
    "user.updated": "修改用户",
    "user.password_set": "设置密码",
    "membership.added": "授予角色",
    "membership.removed": "撤销角色",
    "api_token.created": "签发接口令牌",
    "api_token.revoked": "吊销接口令牌",
    "platform.bootstrapped": "初始化平台",
}
