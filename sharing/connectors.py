"""The connector registry: one entry per kind of government data getpower fetches instead of
asking for it. Adding a source is adding an entry here (all share the HTTP transport)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Connector:
    code: str
    name: str  # 中文, shown as the source of a document
    source: str  # the government system it comes from
    key: str  # what it is looked up by
    personal: bool  # personal data: every access is logged with who, why and which application
    ttl: timedelta  # how long a fetched answer may be reused
    provides: tuple[str, ...] = ()  # document types (policy codes) it replaces (四免)


CONNECTORS: dict[str, Connector] = {
    "id_card": Connector("id_card", "居民身份证电子证照", "公安部门电子证照库", "身份证号", True, timedelta(days=1), ("applicant_id",)),
    "business_licence": Connector("business_licence", "营业执照电子证照", "市场监管部门电子证照库", "统一社会信用代码",
                                  False, timedelta(days=30), ("applicant_id",)),
    "property_certificate": Connector("property_certificate", "不动产权证书", "不动产登记平台", "权利人证件号", True,
                                      timedelta(days=7), ("property_certificate",)),
    "investment_project": Connector("investment_project", "投资项目赋码与审批信息", "投资项目在线审批监管平台", "项目代码",
                                    False, timedelta(days=7), ("project_approval",)),
    "planning_permit": Connector("planning_permit", "建设工程规划许可证", "工程建设项目审批管理系统", "项目代码", False,
                                 timedelta(days=30)),
    "construction_permit": Connector("construction_permit", "建筑工程施工许可证", "工程建设项目审批管理系统", "项目代码",
                                     False, timedelta(days=30)),
    "enterprise_registration": Connector("enterprise_registration", "企业登记信息", "市场监管部门企业登记系统",
                                         "统一社会信用代码", False, timedelta(days=7)),
    "project_feed": Connector("project_feed", "新增投资项目和新设小微企业", "工程建设项目审批平台", "区县代码", False,
                              timedelta(hours=1)),
    "address": Connector("address", "结构化地址", "标准地址库", "地址", False, timedelta(days=30)),
}


def providing(doc_type: str) -> list[Connector]:
    return [c for c in CONNECTORS.values() if doc_type in c.provides]
