from django.urls import path

from sharing import views

app_name = "sharing"
urlpatterns = [
    path("applications/<int:pk>/share/", views.share_documents, name="share"),
    path("applications/<int:pk>/joint/", views.joint, name="joint"),
    path("prospects/", views.prospects, name="prospects"),
    path("prospects/import/", views.prospects_import, name="prospects_import"),
    path("prospects/<int:pk>/convert/", views.prospect_convert, name="prospect_convert"),
]
