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
from applications.models import Application, Document
from core import events
from core.bounds import NUL, check_text
from core.errors import invalid


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
        return "the PDF is incomplete (it does not end with startxref and %%EOF)"
    offset = int(found.group(1))
    if offset >= upload.size:
        return "the PDF's cross-reference offset points past its end"
    upload.seek(offset)
    section = upload.read(32)
    if not (section.startswith(b"xref") or re.match(rb"\d+\s+\d+\s+obj", section)):
        return "the PDF's cross-reference section is not where the file says"
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
                return "the image has too many pixels"
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()  # decodes every byte: a truncated JPEG fails here
        return ""
    except Exception as exc:  # Pillow raises many kinds for a broken file; each means "not an image"
        return f"the file cannot be read as {content_type} ({type(exc).__name__})"
    finally:
        upload.seek(0)


def document_upload(*, application: Application, by: User, stage_code: str, doc_type: str, upload) -> Document:
    """Accept a document only if the policy lists it for this stage and category, its whole
    content is the type it claims, and the application's quota has room for it."""
    access.require(by, "application.upload")
    check_text("stage_code", stage_code, max_length=32)
    check_text("doc_type", doc_type, max_length=48)
    allowed = rules.allowed_documents(application.policy_version or rules.version_in_force(
        application.region, timezone.localdate(application.submitted_at)), application.category, stage_code)
    if doc_type not in allowed:
        raise refuse_not_in_policy(application=application, what="doc_type", value=doc_type, by=by,
                                    allowed=sorted(allowed))
    if upload.size > MAX_UPLOAD_BYTES:
        raise invalid("file", f"larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    if upload.size == 0:
        raise invalid("file", "the file is empty")
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
    head = upload.read(8)
    upload.seek(0)
    if content_type not in ALLOWED_CONTENT_TYPES or _sniff(head) != content_type:
        raise invalid("file", "only PDF, JPEG or PNG files whose content matches their type")
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
            raise invalid("file", f"this application already holds {MAX_DOCUMENTS} documents")
        if (held["size"] or 0) + upload.size > MAX_APPLICATION_BYTES:
            raise invalid("file", f"this application's documents would exceed {MAX_APPLICATION_BYTES // (1024 * 1024)} MB")
        document = Document.objects.create(
            application=application, stage_code=stage_code, doc_type=doc_type, file=upload,
            original_name=original_name, content_type=content_type, size=upload.size,
            sha256=digest.hexdigest(), uploaded_by=by, uploaded_at=timezone.now(),
        )
        events.record(actor=by, verb="document.uploaded", subject=application,
                      data={"stage": stage_code, "doc_type": doc_type, "sha256": document.sha256,
                            "size": document.size})
    return document
