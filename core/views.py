from django.db import connection
from django.http import JsonResponse


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
