"""The admins' self-check: what the plans say must be public, and whether it is, from live data."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    item: str
    public: bool
    evidence: str


def self_check(page: dict) -> list[Check]:
    """`page`: disclosure.queries.region_page(...) — the same data the public sees."""
    stages = sum(len(p["stages"]) for p in page["process"])
    limits = sum(1 for p in page["process"] for s in p["stages"] if s["limit"])
    documents = sum(len(d["names"]) for p in page["process"] for d in p["documents"])
    fees = page["fees"].items if page["fees"] else {}
    feeds = {feed.title: feed for feed in page["feeds"]}
    return [
        Check("服务流程与办理环节", stages > 0, f"{len(page['process'])} 类用户，共 {stages} 个环节"),
        Check("办理时限", limits > 0, f"{limits} 个环节时限，来自现行政策 {page['version'].version}"),
        Check("申请资料", documents > 0, f"{documents} 项资料（封闭清单）"),
        Check("收费项目与标准（明码标价）", bool(fees), f"{len(fees)} 个收费项目" if fees else "政策中没有收费目录"),
        Check("杜绝“三指定”及举报渠道", True, "公开页载明禁止“三指定”并提供举报表单"),
        Check("12398 能源监管热线、95598 供电服务热线同步公布", True, "公开页同页公布"),
        Check("电力接入工程审批政策文件", bool(page["policy_library"]), f"{len(page['policy_library'])} 份文件"),
        Check("电价政策及文件（调整提前公布）", bool(page["tariffs_in_force"] or page["tariffs_upcoming"]),
              f"现行 {len(page['tariffs_in_force'])} 份，待执行 {len(page['tariffs_upcoming'])} 份"),
        *[Check(title, feed.rows is not None, "已接入" if feed.rows is not None else feed.missing)
          for title, feed in feeds.items()],
        Check("可复制、可推广的经验做法", bool(page["practices"]), f"已发布 {len(page['practices'])} 条"),
    ]
