from django.urls import path

from ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("<slug:region>/", views.region_page, name="region"),
    path("<slug:region>/export.xlsx", views.export_xlsx, name="export"),
    path("<slug:region>/problems/", views.problem_new, name="problem_new"),
    path("<slug:region>/<int:number>/", views.task_page, name="task"),
    path("<slug:region>/<int:number>/<slug:action>/", views.task_act, name="act"),
]
