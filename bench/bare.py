"""The baseline of bench/api.py: bare Django JSON views over the same rows in the same
database, with no middleware, no authentication, no schema, no jurisdiction check.
This module is both the settings and the URLconf: gunicorn serves
`django.core.wsgi:get_wsgi_application()` with DJANGO_SETTINGS_MODULE=bench.bare."""
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

from getpower.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench.bare"
MIDDLEWARE: list[str] = []


def detail(request, pk: int):
    from applications.models import Application

    row = Application.objects.filter(pk=pk).values("id", "number", "status", "applicant_name", "capacity_kva").first()
    return JsonResponse(row or {}, json_dumps_params={"default": str})


def listing(request):
    from applications.models import Application

    rows = list(Application.objects.order_by("-id").values("id", "number", "status", "applicant_name",
                                                           "capacity_kva")[:50])
    return JsonResponse({"items": rows}, json_dumps_params={"default": str})


urlpatterns = [path("bare/applications/<int:pk>", detail), path("bare/applications/", listing)]
