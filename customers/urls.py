from django.urls import path

from core.views import message_centre
from customers import views

app_name = "customers"
urlpatterns = [
    path("", views.home, name="home"),
    path("messages/", message_centre, {"template": "customers/messages.html"}, name="messages"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("password/forgot/", views.password_forgot, name="password_forgot"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("apply/", views.apply, name="apply"),
    path("apply/preview/", views.apply_preview, name="apply_preview"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/upload/", views.upload, name="upload"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/choose/", views.choose_scheme, name="choose"),
    path("applications/<int:pk>/documents/<int:doc_id>/delete/", views.delete_document, name="delete_document"),
    path("applications/<int:pk>/rate/", views.rate, name="rate"),
    path("applications/<int:pk>/complain/", views.complain, name="complain"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/<int:pk>/feedback/", views.complaint_feedback, name="complaint_feedback"),
]
