"""Event verbs of appointment slots and bookings."""

VERBS = {
    "slot.published": "发布预约时段",
    "appointment.booked": "预约上门",
    "appointment.cancelled": "取消预约",
}

# Messages about bookings (core.outbox).
MESSAGE_KINDS = {
    "appointment_booked": "预约成功",
    "appointment_changed": "预约变更",
    "appointment_cancelled": "预约取消",
}
