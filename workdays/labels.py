"""中文 for why a day is not counted (core.labels registry). Holidays carry their own name
("holiday:国庆节"); `rest_reason()` reads both forms."""

LABELS = {
    "rest_reason": {
        "weekend": "周末",
        "holiday": "法定节假日",
        "makeup": "调休上班",
    },
    "calendar_source": {
        "official": "官方（chinesecalendar 收录）",
        "imported": "导入（国务院通知）",
        "provisional": "按放假办法推算（暂定）",
    },
}


def rest_reason(reason: str) -> str:
    """"weekend" → 周末; "holiday:国庆节" → 国庆节放假."""
    if reason.startswith("holiday:"):
        return f"{reason.removeprefix('holiday:')}放假"
    return LABELS["rest_reason"].get(reason, reason)
