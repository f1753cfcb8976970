"""Check digits of Chinese identifiers. Pure: no Django.

统一社会信用代码 (USCC): GB 32100-2015, 18 characters, mod-31 check character.
居民身份证号码 (resident ID): GB 11643-1999, 17 digits + ISO 7064 MOD 11-2 check.
"""
from __future__ import annotations

from datetime import date

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """None when valid, else what is wrong (for the error message)."""
    code = code.strip().upper()
    if len(code) != 18:
        return "统一社会信用代码应为18位"
    bad = [c for c in code if c not in USCC_CHARSET]
    if bad:
        return f"含非法字符 {bad[0]!r}"
    if not code[8:17].isalnum():
        return "组织机构代码部分无效"
    if uscc_check_char(code[:17]) != code[17]:
        return "校验码错误"
    return None


def id_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def id_number_problem(number: str, *, today: date | None = None) -> str | None:
    number = number.strip().upper()
    if len(number) != 18:
        return "身份证号码应为18位"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "身份证号码格式错误（应为17位数字加1位数字或X）"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "出生日期无效"
    if born.year < 1900 or born > (today or date.today()):
        return "出生日期无效"
    if id_check_char(number[:17]) != number[17]:
        return "校验码错误"
    return None


def normalise(code: str) -> str:
    return code.strip().upper()
