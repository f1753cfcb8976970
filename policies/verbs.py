"""Event verbs of policy documents."""

VERBS = {
    "policy.loaded": "载入政策文件",
}
