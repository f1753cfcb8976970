from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    path("<int:application_id>/", views.fees_page, name="fees"),
    path("<int:application_id>/fees/<int:fee_id>/pay", views.fee_pay, name="pay"),
    path("<int:application_id>/payments/<int:payment_id>/", views.payment_page, name="payment"),
    path("<int:application_id>/payments/<int:payment_id>/<str:kind>.pdf", views.document_pdf, name="pdf"),
]
