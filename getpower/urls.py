from django.contrib import admin
from django.urls import include, path

from accounts.views import password_change
from core.views import healthz, message_open, message_read, message_read_all
from getpower.api import api
from getpower.views import home

handler404 = "core.views.not_found"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Marking read and following a message work the same from the portal and the workbench.
    path("messages/<int:pk>/read/", message_read, name="message_read"),
    path("messages/<int:pk>/open/", message_open, name="message_open"),
    path("messages/read-all/", message_read_all, name="message_read_all"),
    path("api/v1/", api.urls),
    # Before the admin's own: changing one's password goes through accounts.actions (an event).
    path("admin/password_change/", password_change, name="admin_password_change"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("policies/", include("policies.urls")),
    path("workdays/", include("workdays.urls")),
    path("me/", include("customers.urls")),
    path("work/complaints/", include("complaints.urls")),
    path("work/", include("applications.urls")),
    path("monitor/", include("monitoring.urls")),
    path("contracts/", include("contracts.urls")),
    path("pay/", include("payments.urls")),
    path("appointments/", include("appointments.urls")),
    path("outages/", include("outages.urls")),
    path("approvals/", include("approvals.urls")),
    path("sharing/", include("sharing.urls")),
    path("ledger/", include("ledger.urls")),
    path("public/", include("disclosure.urls")),
]
