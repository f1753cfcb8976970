"""Fetch shared data (cache, verify, log), hold documents through sharing (四免 / 一证通办), and
turn project-feed entries into prospects and pre-filled applications (提前介入)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import Division, User
from applications import rules
from applications.actions import ApplicationInput, application_create
from applications.models import Application, Channel
from core import events, outbox, pii
from core.errors import Conflict, DomainError, NotFound, invalid
from sharing import client, signing
from sharing.connectors import CONNECTORS, Connector, providing
from sharing.models import JOINT_UTILITIES, AccessLog, JointForward, Prospect, SharedDocument, SharedRecord

MAX_KEY = 64
MAX_PURPOSE = 200


class SharingUnavailable(DomainError):
    """The government source did not answer: the applicant may upload the document instead."""

    code = "sharing_unavailable"
    status = 503


class BadSignature(DomainError):
    code = "bad_signature"
    status = 502


@dataclass(frozen=True)
class Shared:
    connector: Connector
    data: object
    fetched_at: datetime
    from_cache: bool


def _log(*, connector: Connector, digest: str, by: User | None, purpose: str, application, outcome: str,
         attempts: int = 0) -> None:
    AccessLog.objects.create(connector=connector.code, key_digest=digest, personal=connector.personal, user=by,
                             purpose=purpose, application=application, outcome=outcome, attempts=attempts,
                             at=timezone.now())


def _decode(connector: Connector, record: SharedRecord) -> object:
    text = pii.decrypt(record.data_enc, key=settings.PII_KEY) if connector.personal else record.data_enc
    return json.loads(text)


def shared_fetch(*, connector: str, key: str, by: User | None, purpose: str,
                 application: Application | None = None, sleep=None) -> Shared:
    """The data `connector` holds for `key`: the cached answer while fresh, else fetched from the
    source, verified against the reference public key and cached. Every access is logged."""
    found = CONNECTORS.get(connector)
    if found is None:
        raise invalid("connector", f"unknown connector {connector!r} (known: {', '.join(CONNECTORS)})")
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY or "\x00" in key or "/" in key:
        raise invalid("key", f"1 to {MAX_KEY} characters, no '/' or NUL")
    purpose = (purpose or "").strip()
    if not purpose or len(purpose) > MAX_PURPOSE or "\x00" in purpose:
        raise invalid("purpose", f"say why, in 1 to {MAX_PURPOSE} characters")
    digest = pii.lookup_digest(key, key=settings.PII_KEY)
    now = timezone.now()
    cached = SharedRecord.objects.filter(connector=connector, key_digest=digest, expires_at__gt=now).first()
    if cached is not None:
        _log(connector=found, digest=digest, by=by, purpose=purpose, application=application, outcome="cached")
        return Shared(found, _decode(found, cached), cached.fetched_at, True)
    # The network call runs outside any transaction: a slow source never holds a lock.
    try:
        answer = client.get(settings.SHARING_URL, connector, key, timeout=settings.SHARING_TIMEOUT,
                            retries=settings.SHARING_RETRIES, backoff=settings.SHARING_BACKOFF_SECONDS,
                            **({"sleep": sleep} if sleep else {}))
    except client.NotShared:
        _log(connector=found, digest=digest, by=by, purpose=purpose, application=application, outcome="not_shared",
             attempts=1)
        raise NotFound(f"{found.name}：{found.source}没有这个{found.key}的记录，请上传材料",
                       fields={"key": "nothing shared for this key"}) from None
    except client.SourceUnavailable as exc:
        _log(connector=found, digest=digest, by=by, purpose=purpose, application=application, outcome="unavailable",
             attempts=exc.attempts)
        raise SharingUnavailable(f"{found.name}：数据共享服务暂不可用（{exc}），可以先上传材料，不影响办理",
                                 fields={"connector": "unavailable"}) from None
    public = signing.public_key_b64(settings.SHARING_SIGNING_SEED)
    if answer.body.get("connector") != connector or answer.body.get("key") != key or \
            not signing.verify(answer.body, answer.signature, public_key=public):
        _log(connector=found, digest=digest, by=by, purpose=purpose, application=application,
             outcome="bad_signature", attempts=answer.attempts)
        raise BadSignature(f"{found.name}：签名无效，数据未采用", fields={"connector": "bad signature"})
    text = json.dumps(answer.data, ensure_ascii=False)
    with transaction.atomic():
        SharedRecord.objects.update_or_create(
            connector=connector, key_digest=digest,
            defaults={"data_enc": pii.encrypt(text, key=settings.PII_KEY) if found.personal else text,
                      "signature": answer.signature, "fetched_at": now, "expires_at": now + found.ttl},
        )
        _log(connector=found, digest=digest, by=by, purpose=purpose, application=application, outcome="fetched",
             attempts=answer.attempts)
        events.record(actor=by, verb="sharing.fetched", subject=application,
                      data={"connector": connector, "key": digest[:12], "attempts": answer.attempts})
    return Shared(found, answer.data, now, False)


# ---------------------------------------------------------------- 四免 / 一证通办

def _lookup_key(application: Application, connector: Connector) -> str:
    if application.applicant_kind == Application.ApplicantKind.ENTERPRISE:
        return application.uscc
    return pii.decrypt(application.id_number_enc, key=settings.PII_KEY) if application.id_number_enc else ""


def _connector_for(application: Application, doc_type: str) -> Connector | None:
    enterprise = application.applicant_kind == Application.ApplicantKind.ENTERPRISE
    for connector in providing(doc_type):
        if doc_type == "applicant_id" and (connector.code == "business_licence") != enterprise:
            continue
        return connector
    return None


def documents_share(*, application: Application, by: User) -> dict[str, str]:
    """Obtain, through sharing, every document the policy says sharing can supply (四免);
    the applicant's ID or licence is the only key (一证通办). Returns doc_type → outcome."""
    access.require(by, "application.view")
    version = application.policy_version or rules.version_in_force(application.region, timezone.localdate())
    listed = version.policy().documents
    shareable = list(listed.sharing.documents) if listed and listed.sharing else []
    held = set(application.shared_documents.values_list("doc_type", flat=True))
    outcome: dict[str, str] = {}
    for doc_type in shareable:
        if doc_type in held:
            outcome[doc_type] = "held"
            continue
        connector = _connector_for(application, doc_type)
        key = _lookup_key(application, connector) if connector else ""
        if connector is None or not key:
            outcome[doc_type] = "no_source"
            continue
        try:
            shared = shared_fetch(connector=connector.code, key=key, by=by, application=application,
                                  purpose=f"用电申请 {application.number} 免提交材料（四免）")
        except (SharingUnavailable, NotFound, BadSignature) as exc:
            outcome[doc_type] = exc.code
            continue
        data = shared.data if isinstance(shared.data, dict) else {}
        with transaction.atomic():
            _, created = SharedDocument.objects.get_or_create(
                application=application, doc_type=doc_type,
                defaults={"connector": connector.code, "obtained_at": timezone.now(),
                          "reference": str(data.get("certificate_no") or data.get("permit_no") or "")[:100]})
            if created:
                events.record(actor=by, verb="sharing.document_obtained", subject=application,
                              data={"doc_type": doc_type, "connector": connector.code})
        outcome[doc_type] = "obtained"
    return outcome


# ---------------------------------------------------------------- 提前介入

def prospects_import(*, county: Division, by: User) -> list[Prospect]:
    """New investment projects and small enterprises of a county from the feed, once each."""
    access.require(by, "application.create")
    shared = shared_fetch(connector="project_feed", key=county.code, by=by, purpose=f"提前介入：{county.name}新增项目")
    created = []
    for row in shared.data if isinstance(shared.data, list) else []:
        with transaction.atomic():
            prospect, new = Prospect.objects.get_or_create(code=str(row["code"])[:40], defaults={
                "kind": row.get("kind", "investment_project"), "name": str(row["name"])[:128],
                "company": str(row["company"])[:128], "uscc": str(row.get("uscc", ""))[:18],
                "address": str(row["address"])[:255], "county": county,
                "capacity_kva": Decimal(str(row["capacity_kva"])), "voltage_kv": Decimal(str(row["voltage_kv"])),
                "planned_energising": date.fromisoformat(row["planned_energising"]) if row.get("planned_energising") else None,
                "imported_at": timezone.now(),
            })
            if new:
                events.record(actor=by, verb="prospect.imported", subject=prospect,
                              data={"code": prospect.code, "name": prospect.name})
                created.append(prospect)
    return created


def prospect_convert(*, prospect: Prospect, by: User) -> Application:
    """The customer applies: an application pre-filled from the prospect (hall channel)."""
    access.require(by, "application.create")
    if prospect.application_id is not None:
        raise Conflict("该意向已转为用电申请", fields={"prospect": "已转为申请"})
    data = ApplicationInput(
        county=prospect.county.code, site_address=prospect.address, area_category="urban",
        voltage_kv=prospect.voltage_kv, capacity_kva=prospect.capacity_kva, applicant_kind="enterprise",
        applicant_name=prospect.company, channel=Channel.HALL, uscc=prospect.uscc,
        supply="single",
    )
    with transaction.atomic():
        application, _ = application_create(by=by, data=data, idempotency_key=f"prospect-{prospect.code}")
        prospect.application = application
        prospect.save(update_fields=["application"])
        events.record(actor=by, verb="prospect.converted", subject=application,
                      data={"prospect": prospect.code, "number": application.number})
    return application


# ---------------------------------------------------------------- 水电气暖联办

def joint_forward(*, application: Application, by: User, utilities: list[str]) -> list[JointForward]:
    """Forward one joint application to the water / gas / heating companies through the outbox
    (signed webhook, retried until delivered); once per company."""
    access.require(by, "application.accept")
    if not utilities:
        raise invalid("utilities", "请至少选择水、气、热中的一项")
    unknown = [u for u in utilities if u not in JOINT_UTILITIES]
    if unknown:
        raise invalid("utilities", f"不支持的联办单位 {unknown[0]!r}（可选：水、气、热）")
    missing = [u for u in utilities if not settings.JOINT_UTILITY_ENDPOINTS.get(u)]
    if missing:
        raise Conflict(f"尚未配置接口：{'、'.join(JOINT_UTILITIES[u] for u in missing)}",
                       fields={"utilities": "、".join(JOINT_UTILITIES[u] for u in missing)})
    body = {"application": application.number, "applicant": application.applicant_name,
            "site_address": application.site_address, "county": application.county.code,
            "uscc": application.uscc, "capacity_kva": str(application.capacity_kva),
            "voltage_kv": str(application.voltage_kv)}
    forwarded = []
    with transaction.atomic():
        for utility in utilities:
            key = f"joint:{application.pk}:{utility}"
            row, created = JointForward.objects.get_or_create(
                application=application, utility=utility,
                defaults={"outbox_key": key, "forwarded_by": by, "forwarded_at": timezone.now()})
            if created:
                outbox.enqueue(kind="joint_application", key=key, channels=["webhook"],
                               contact={"name": JOINT_UTILITIES[utility],
                                        "url": settings.JOINT_UTILITY_ENDPOINTS[utility]},
                               text=json.dumps({**body, "utility": utility}, ensure_ascii=False))
                events.record(actor=by, verb="joint.forwarded", subject=application,
                              data={"utility": utility, "key": key})
            forwarded.append(row)
    return forwarded
