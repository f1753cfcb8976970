from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core import outbox
from core.context_processors import message_face


def healthz(request):
    """Liveness for load balancers and operators: database and job queue both answer."""
    checks = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["db"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # report, never crash the probe
        ok = False
        checks["db"] = {"ok": False, "error": str(exc)}
    try:
        from huey.contrib.djhuey import HUEY

        checks["queue"] = {"ok": True, "backend": type(HUEY).__name__, "pending": HUEY.pending_count()}
    except Exception as exc:
        ok = False
        checks["queue"] = {"ok": False, "error": str(exc)}
    return JsonResponse({"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503)


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "not_found", "message": f"no such resource: {request.path}", "fields": {}}},
            status=404,
        )
    from django.views.defaults import page_not_found

    return page_not_found(request, exception, template_name="404.html")


# ---------------------------------------------------------------- the message centre (portal and workbench)

MESSAGES_PER_PAGE = 30


@login_required
def message_centre(request, *, template: str):
    """The user's in-app messages: newest first, unread marked, each linked to its object."""
    from django.core.paginator import Paginator

    rows = outbox.inbox(request.user)
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {
        "page": page, "only_unread": only_unread, "section": "messages",
    })


@login_required
@require_POST
def message_read(request, pk: int):
    """Mark one message read; htmx swaps the row, a plain form post comes back to the list."""
    message = outbox.inbox(request.user).filter(pk=pk).first()
    if message is None:
        raise Http404("没有这条消息")
    outbox.mark_read(user=request.user, message_id=pk)
    message.refresh_from_db()
    if request.htmx:
        return render(request, "core/_message.html", {"m": message, "oob_count": True})
    return redirect(request.POST.get("next") or _centre(request))


@login_required
@require_POST
def message_read_all(request):
    outbox.mark_read(user=request.user)
    return redirect(_centre(request))


@login_required
def message_open(request, pk: int):
    """Follow a message's link, marking it read on the way."""
    message = outbox.inbox(request.user).filter(pk=pk).first()
    if message is None:
        raise Http404("没有这条消息")
    outbox.mark_read(user=request.user, message_id=pk)
    target = message.link if url_has_allowed_host_and_scheme(message.link, allowed_hosts=None) else ""
    return redirect(target or _centre(request))


def _centre(request) -> str:
    return reverse(message_face(request.user))
