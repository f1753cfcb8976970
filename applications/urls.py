from django.urls import path

from applications import views
from core.views import message_centre

app_name = "applications"
urlpatterns: list = [
    path("", views.queue, name="queue"),
    path("messages/", message_centre, {"template": "applications/messages.html"}, name="messages"),
    path("applications/<int:pk>/", views.application_page, name="application"),
    path("applications/<int:pk>/documents/<int:doc_id>/", views.document_file, name="document"),
    path("applications/<int:pk>/<slug:action>/", views.application_act, name="act"),
    path("overview/", views.overview, name="overview"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:pk>/<slug:action>/", views.escalation_act, name="escalation_act"),
    path("confirmations/<int:pk>/<slug:action>/", views.confirmation_act, name="confirmation_act"),
]
