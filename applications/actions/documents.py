"""Documents: only what the policy lists for the stage and category is accepted."""
from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications import deadlines, rules
from applications.actions.progress import refuse_not_in_policy
from applications.models import OPEN_STAGE_STATES, Application, Document, Pause, Stage
from core import events
from core.errors import Conflict, Forbidden, invalid


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_CONTENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def open_pause_request(application: Application, stage_code: str) -> Pause | None:
    """The open 等待客户补充资料 pause of this stage, if the clock is stopped for documents."""
    return (Pause.objects.filter(stage__application=application, stage__code=stage_code, ended_at__isnull=True,
                                 stage__state=Stage.State.PAUSED).exclude(requested_documents=[]).first())


def uploadable_documents(application: Application, stage_code: str) -> set[str]:
    """What may be uploaded for a stage: the policy's list for it, plus what an open pause
    of that stage asked for (itself taken from the policy's list for the category)."""
    version = application.policy_version or rules.version_in_force(
        application.region, deadlines.local_date(application.submitted_at))
    allowed = rules.allowed_documents(version, application.category, stage_code)
    pause = open_pause_request(application, stage_code)
    return allowed | set(pause.requested_documents if pause else ())


def document_upload(*, application: Application, by: User, stage_code: str, doc_type: str, upload) -> Document:
    """Accept a document only if the policy lists it for this stage and category, or an
    open pause of the stage asked for it."""
    access.require(by, "application.upload")
    allowed = uploadable_documents(application, stage_code)
    if doc_type not in allowed:
        raise refuse_not_in_policy(application=application, what="doc_type", value=doc_type, by=by,
                                    allowed=sorted(allowed))
    if upload.size > MAX_UPLOAD_BYTES:
        raise invalid("file", f"文件不能超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
    head = upload.read(8)
    upload.seek(0)
    sniffed = ("application/pdf" if head.startswith(b"%PDF") else "image/png" if head.startswith(b"\x89PNG")
               else "image/jpeg" if head.startswith(b"\xff\xd8") else "")
    if content_type not in ALLOWED_CONTENT_TYPES or sniffed != content_type:
        raise invalid("file", "只接受 PDF、JPG 或 PNG 文件，且文件内容须与类型一致")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        document = Document.objects.create(
            application=application, stage_code=stage_code, doc_type=doc_type, file=upload,
            original_name=upload.name[:255], content_type=content_type, size=upload.size,
            sha256=digest.hexdigest(), uploaded_by=by, uploaded_at=timezone.now(),
        )
        events.record(actor=by, verb="document.uploaded", subject=application,
                      data={"stage": stage_code, "doc_type": doc_type, "sha256": document.sha256,
                            "size": document.size})
    return document


def document_reviewed(document: Document) -> bool:
    """Staff have acted on it: its stage moved on, or the pause it answered was resumed."""
    stage = Stage.objects.filter(application_id=document.application_id, code=document.stage_code).first()
    if stage is None or stage.state not in OPEN_STAGE_STATES:
        return True
    return stage.pauses.filter(ended_at__gte=document.uploaded_at).exists()


def document_delete(*, document: Document, by: User) -> None:
    """The uploader takes back a wrong upload nobody has reviewed yet; the event keeps its hash."""
    if document.uploaded_by_id != by.pk:
        raise Forbidden("只能删除本人上传的资料", fields={"document": "只能删除本人上传的资料"})
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=document.application_id)
        if not application.is_open:
            raise Conflict("申请已办结，资料不能删除", fields={"document": "申请已办结"})
        if document_reviewed(document):
            raise Conflict("该资料已经工作人员审核，不能删除；如有错误请联系客户经理",
                           fields={"document": "已审核，不能删除"})
        data = {"stage": document.stage_code, "doc_type": document.doc_type, "sha256": document.sha256,
                "size": document.size, "name": document.original_name}
        stored = document.file.name
        document.delete()
        events.record(actor=by, verb="document.deleted", subject=application, data=data)
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: Document.file.field.storage.delete(stored))
