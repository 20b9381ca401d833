"""统一社会信用代码: the 18-character unified social credit code of GB 32100-2015.

Layout: position 1 registration authority (登记管理部门), 2 organisation type (机构类别),
3–8 administrative division code (登记管理机关行政区划码, digits), 9–17 organisation code
(主体标识码), 18 check character (校验码) computed from the first 17.
"""

from __future__ import annotations

from domain.errors import InvalidValue

LENGTH = 18
# The standard's 31-character set: digits and capitals without I, O, Z, S and V.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_INDEX = {char: index for index, char in enumerate(CHARSET)}


def normalize_credit_code(code: str | None) -> str:
    """The code as it is compared and stored: surrounding blanks removed, upper-case."""
    return (code or "").strip().upper()


def check_character(prefix: str) -> str:
    """The check character (position 18) for the first 17 characters of a code."""
    total = sum(_INDEX[char] * weight for char, weight in zip(prefix, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def require_credit_code(code: str | None) -> str:
    """The normalized code, or InvalidValue saying what is wrong with it."""
    normalized = normalize_credit_code(code)
    if not normalized:
        msg = "credit_code must not be empty / 统一社会信用代码不能为空"
        raise InvalidValue(msg)
    if len(normalized) != LENGTH:
        msg = (f"credit_code must be {LENGTH} characters, got {len(normalized)} "
               f"({normalized!r}) / 统一社会信用代码应为18位")
        raise InvalidValue(msg)
    for position, char in enumerate(normalized, start=1):
        if char not in _INDEX:
            msg = (f"credit_code has an illegal character {char!r} at position {position}; "
                   "allowed are digits and capital letters except I, O, Z, S and V"
                   f" / 统一社会信用代码第{position}位字符不合法")
            raise InvalidValue(msg)
    division = normalized[2:8]
    if not division.isdigit():
        msg = (f"credit_code positions 3-8 (administrative division code) must be digits, "
               f"got {division!r} / 统一社会信用代码第3-8位应为行政区划码")
        raise InvalidValue(msg)
    expected = check_character(normalized[:17])
    if normalized[17] != expected:
        msg = (f"credit_code check character should be {expected}, got {normalized[17]}"
               f" / 统一社会信用代码校验位应为{expected}")
        raise InvalidValue(msg)
    return normalized
