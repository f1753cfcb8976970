from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = "上门服务预约 appointments"

    def ready(self):
        from applications import closing
        from appointments.actions import bookings_cancel_for_closed

        closing.register("appointments.bookings", bookings_cancel_for_closed)
