from django.urls import path

from approvals import views

app_name = "approvals"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("route/<int:pk>/", views.route_page, name="route"),
    path("requests/<int:pk>/", views.request_page, name="request"),
    path("requests/<int:pk>/filing.pdf", views.filing_certificate, name="filing_pdf"),
    path("requests/<int:pk>/<slug:action>/", views.request_act, name="act"),
]
