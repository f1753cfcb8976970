from django.urls import path

from workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("deadline", views.deadline_calculate, name="deadline"),
]
