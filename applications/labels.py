"""中文 for the codes of applications, their stages and documents (core.labels registry).
Document and category names mirror the policy data's `document_types` / `categories`
(a test checks every code the policies use has one here)."""

LABELS = {
    "status": {
        "submitted": "已申请待受理",
        "in_progress": "办理中",
        "energised": "已送电",
        "rejected": "已驳回",
        "withdrawn": "已撤回",
    },
    "stage_state": {
        "pending": "未开始",
        "active": "办理中",
        "paused": "暂停（客户原因）",
        "done": "已完成",
        "cancelled": "已终止",
    },
    "alert": {
        "warning": "预警",
        "overdue": "超期",
    },
    "escalation_state": {
        "open": "待处理",
        "replied": "已回复",
        "closed": "已办结",
    },
    "channel": {
        "online": "网上国网/网站",
        "app": "移动客户端/API",
        "hall": "营业厅代办",
        "phone": "95598电话",
    },
    "business_type": {
        "new": "新装",
        "increase": "增容",
        "temporary": "临时用电",
    },
    "applicant_kind": {
        "person": "个人",
        "enterprise": "企业",
    },
    "category": {
        "lv_residential": "低压居民用户",
        "lv_nonresidential": "低压非居民用户",
        "lv_sanling": "实行“三零”服务的低压非居民用户",
        "hv_single": "高压单电源用户",
        "hv_dual": "高压双电源用户",
        "hv10_single": "10千伏单电源用户",
        "hv10_dual": "10千伏双电源用户",
        "hv35_single": "35千伏及以上单电源用户",
        "hv35_dual": "35千伏及以上双电源用户",
        "hv_conditional": "有条件的普通高压用户",
    },
    "document": {
        "applicant_id": "用电人有效身份证明（居民身份证件 / 企业营业执照）",
        "property_certificate": "用电地址物权证件（不动产登记）",
        "project_approval": "用电工程项目批准文件",
        "designer_qualification": "设计单位资质证明材料",
        "design_documents": "用电工程设计及说明书",
        "builder_qualification": "施工单位资质证明材料",
        "concealed_works_records": "隐蔽工程施工及试验记录",
        "completion_report": "工程竣工报告（含竣工图纸）",
        "construction_plan": "施工方案",
        "traffic_plan": "交通疏解方案",
        "road_works_agreement": "涉路工程建设协议",
    },
    "grid_project": {
        "supporting_works": "业扩配套工程",
        "upgrade": "配电网升级改造（过渡方案）",
    },
}
