from django.urls import path

from monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.cases, name="cases"),
    path("overview/", views.overview, name="overview"),
    path("suspects/", views.suspects, name="suspects"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report_file, name="report"),
]

# Oversight pages (通报, 抽查, 监督检查与约谈, 业绩考核).
from monitoring import oversight_views  # noqa: E402

urlpatterns += [
    path("bulletins/", oversight_views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>/", oversight_views.bulletin, name="bulletin"),
    path("spot-checks/", oversight_views.spot_checks, name="spot_checks"),
    path("spot-checks/<int:pk>/", oversight_views.spot_check, name="spot_check"),
    path("spot-checks/items/<int:pk>/", oversight_views.spot_check_finding, name="spot_check_finding"),
    path("inspections/", oversight_views.inspections, name="inspections"),
    path("inspections/<int:pk>/", oversight_views.inspection, name="inspection"),
    path("follow-ups/<int:pk>/close/", oversight_views.follow_up_close, name="follow_up_close"),
    path("appraisal/", oversight_views.appraisal, name="appraisal"),
]
urlpatterns += [
    path("endpoints/", oversight_views.endpoints, name="endpoints"),
    path("endpoints/<int:pk>/retire/", oversight_views.endpoint_retire, name="endpoint_retire"),
]
