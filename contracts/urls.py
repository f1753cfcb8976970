from django.urls import path

from contracts import views

app_name = "contracts"
urlpatterns = [
    path("verify/", views.verify_page, name="verify"),
    path("<int:application_id>/", views.contract_page, name="contract"),
    path("<int:application_id>/pdf", views.contract_pdf, name="pdf"),
    path("<int:application_id>/generate", views.contract_generate, name="generate"),
    path("<int:application_id>/code", views.contract_code, name="code"),
    path("<int:application_id>/sign", views.contract_sign, name="sign"),
]
