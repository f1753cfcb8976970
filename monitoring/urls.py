from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.cases, name="cases"),
    path("suspects/", views.suspects, name="suspects"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report_file, name="report"),
]
