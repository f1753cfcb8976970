"""Event verbs of appointment slots and bookings."""

VERBS = {
    "slot.published": "发布预约时段",
    "appointment.booked": "预约上门",
    "appointment.cancelled": "取消预约",
}
