from django.urls import path

from complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.workbench_list, name="list"),
    path("new/", views.enter, name="enter"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
