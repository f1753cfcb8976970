"""Documents: only what the policy lists for the stage and category is accepted."""
from __future__ import annotations

import hashlib
import re

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications import rules
from applications.actions.progress import lock_open, refuse_not_in_policy
from applications.models import OPEN_STAGE_STATES, Application, Document, Pause, Stage
from core import events
from core.bounds import NUL, check_text
from core.errors import Conflict, Forbidden, invalid

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Per application: enough for every document of an HV file several times over, not a file store.
MAX_DOCUMENTS = 60
MAX_APPLICATION_BYTES = 200 * 1024 * 1024
# The stored name's extension comes from what the content is, never from the client.
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
ALLOWED_CONTENT_TYPES = set(EXTENSIONS)
# A scanned page at 600 dpi is ~35 Mpx; anything far larger is a decompression bomb.
MAX_IMAGE_PIXELS = 80_000_000


def _sniff(head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return ""


def _pdf_problem(upload) -> str:
    """A complete PDF ends with `startxref <offset>` and %%EOF, and the offset points at its
    cross-reference section inside the file (a truncated or spliced file fails)."""
    upload.seek(max(upload.size - 1024, 0))
    tail = upload.read()
    found = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", tail)
    if found is None:
        return "PDF 文件不完整（缺少文件结尾），请重新导出后上传"
    offset = int(found.group(1))
    if offset >= upload.size:
        return "PDF 文件已损坏，请重新导出后上传"
    upload.seek(offset)
    section = upload.read(32)
    if not (section.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", section)):
        return "PDF 文件已损坏，请重新导出后上传"
    return ""


def _whole_file_problem(upload, content_type: str) -> str:
    """Check the whole file, not only its first bytes: a truncated or forged body is refused."""
    upload.seek(0)
    try:
        if content_type == "application/pdf":
            return _pdf_problem(upload)
        from PIL import Image

        with Image.open(upload) as image:
            if image.format != EXTENSIONS[content_type].upper().replace("JPG", "JPEG"):
                return f"the image is {image.format}, not {content_type}"
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return "图片像素过多，请压缩后上传"
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # decodes every byte: a truncated JPEG fails here
        return ""
    except Exception as exc:  # Pillow raises many kinds for a broken file; each means "not an image"
        return f"the file cannot be read as {content_type} ({type(exc).__name__})"
    finally:
        upload.seek(0)


def open_pause_request(application: Application, stage_code: str) -> Pause | None:
    """The open 等待客户补充资料 pause of this stage, if the clock is stopped for documents."""
    return (Pause.objects.filter(stage__application=application, stage__code=stage_code, ended_at__isnull=True,
                                 stage__state=Stage.State.PAUSED).exclude(requested_documents=[]).first())


def uploadable_documents(application: Application, stage_code: str) -> set[str]:
    """What may be uploaded for a stage: the policy's list for it, plus what an open pause
    of that stage asked for (itself taken from the policy's list for the category)."""
    version = application.policy_version or rules.version_in_force(
        application.region, timezone.localdate(application.submitted_at))
    allowed = rules.allowed_documents(version, application.category, stage_code)
    pause = open_pause_request(application, stage_code)
    return allowed | set(pause.requested_documents if pause else ())


def document_upload(*, application: Application, by: User, stage_code: str, doc_type: str, upload) -> Document:
    """Accept a document only if the policy lists it for this stage and category, its whole
    content is the type it claims, and the application's quota has room for it."""
    access.require(by, "application.upload")
    check_text("stage_code", stage_code, max_length=32)
    check_text("doc_type", doc_type, max_length=48)
    allowed = uploadable_documents(application, stage_code)
    if doc_type not in allowed:
        raise refuse_not_in_policy(application=application, what="doc_type", value=doc_type, by=by,
                                    allowed=sorted(allowed))
    if upload.size > MAX_UPLOAD_BYTES:
        raise invalid("file", f"文件不能超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    if upload.size == 0:
        raise invalid("file", "文件是空的")
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
    head = upload.read(8)
    upload.seek(0)
    if content_type not in ALLOWED_CONTENT_TYPES or _sniff(head) != content_type:
        raise invalid("file", "只接受 PDF、JPG 或 PNG 文件，且文件内容须与类型一致")
    if problem := _whole_file_problem(upload, content_type):
        raise invalid("file", problem)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original_name = (upload.name or "").replace(NUL, "")[:255]
    upload.name = f"{digest.hexdigest()[:16]}.{EXTENSIONS[content_type]}"
    with transaction.atomic():
        application = lock_open(application)
        held = application.documents.aggregate(n=Count("id"), size=Sum("size"))
        if held["n"] >= MAX_DOCUMENTS:
            raise invalid("file", f"本申请已有 {MAX_DOCUMENTS} 份资料，不能再上传")
        if (held["size"] or 0) + upload.size > MAX_APPLICATION_BYTES:
            raise invalid("file", f"本申请的资料合计将超过 {MAX_APPLICATION_BYTES // (1024 * 1024)} MB")
        document = Document.objects.create(
            application=application, stage_code=stage_code, doc_type=doc_type, file=upload,
            original_name=original_name, content_type=content_type, size=upload.size,
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
