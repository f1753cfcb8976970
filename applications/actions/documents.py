"""Documents: only what the policy lists for the stage and category is accepted."""
from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from applications import deadlines, rules
from applications.actions.progress import refuse_not_in_policy
from applications.models import Application, Document
from core import events
from core.errors import invalid


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_CONTENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def document_upload(*, application: Application, by: User, stage_code: str, doc_type: str, upload) -> Document:
    """Accept a document only if the policy lists it for this stage and category."""
    access.require(by, "application.upload")
    allowed = rules.allowed_documents(application.policy_version or rules.version_in_force(
        application.region, deadlines.local_date(application.submitted_at)), application.category, stage_code)
    if doc_type not in allowed:
        raise refuse_not_in_policy(application=application, what="doc_type", value=doc_type, by=by,
                                    allowed=sorted(allowed))
    if upload.size > MAX_UPLOAD_BYTES:
        raise invalid("file", f"larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
    head = upload.read(8)
    upload.seek(0)
    sniffed = ("application/pdf" if head.startswith(b"%PDF") else "image/png" if head.startswith(b"\x89PNG")
               else "image/jpeg" if head.startswith(b"\xff\xd8") else "")
    if content_type not in ALLOWED_CONTENT_TYPES or sniffed != content_type:
        raise invalid("file", "only PDF, JPEG or PNG files whose content matches their type")
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
