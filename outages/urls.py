from django.urls import path

from outages import views

app_name = "outages"
urlpatterns = [
    path("", views.outage_list, name="list"),
    path("reliability/", views.reliability_page, name="reliability"),
    path("public/", views.public_planned, name="public"),
    path("mine/", views.my_outages, name="mine"),
    path("<int:outage_id>/", views.outage_detail, name="detail"),
    path("<int:outage_id>/<slug:verb>", views.outage_act, name="act"),
    path("faults/new", views.fault_new, name="fault_new"),
]
