"""Event verbs of the official working-day calendar."""

VERBS = {
    "calendar.imported": "导入节假日安排",
}
