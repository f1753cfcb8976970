"""中文 for roles, organisation kinds and division levels (core.labels registry)."""

LABELS = {
    "role": {
        "applicant": "用电客户",
        "account_manager": "客户经理",
        "project_manager": "项目经理",
        "designer": "设计人员",
        "inspector": "检验人员",
        "installer": "装表接电人员",
        "supervisor": "营销主管",
        "dispatcher": "运检调度",
        "gov_officer": "政府部门",
        "gov_supervisor": "政府部门负责人",
        "energy_bureau": "能源主管部门",
        "regulator": "能源监管",
        "admin": "系统管理员",
    },
    "org_kind": {
        "utility": "供电企业",
        "gov_department": "政府部门",
        "energy_bureau": "能源主管部门",
        "regulator": "能源监管机构",
    },
    "division_level": {
        "province": "省",
        "city": "市",
        "county": "区县",
    },
}
