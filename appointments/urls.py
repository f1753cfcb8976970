from django.urls import path

from appointments import views

app_name = "appointments"
urlpatterns = [
    path("", views.home, name="home"),
    path("slots/", views.publish, name="publish"),
    path("<int:application_id>/", views.application_page, name="application"),
    path("<int:application_id>/book/<int:slot_id>", views.book, name="book"),
    path("bookings/<int:booking_id>/cancel", views.cancel, name="cancel"),
]
