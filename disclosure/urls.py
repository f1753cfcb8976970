from django.urls import path

from disclosure import views

app_name = "disclosure"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:region>/", views.region_page, name="region"),
    path("<slug:region>/report/", views.report, name="report"),
    path("<slug:region>/manage/", views.manage, name="manage"),
    path("<slug:region>/manage/<slug:action>/", views.manage_act, name="manage_act"),
]
