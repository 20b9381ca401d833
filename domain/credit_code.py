"""统一社会信用代码: the 18-character unified social credit code of GB 32100-2015.

Layout: position 1 registration authority (登记管理部门), 2 organisation type (机构类别),
3–8 administrative division code (登记管理机关行政区划码, digits), 9–17 organisation code
(主体标识码, a GB 11714 organisation code with its own check character at 17), 18 check
character (校验码) computed from the first 17.

Every part is checked, not only the final check character: a code whose parts are wrong but
whose last character happens to fit (typed by hand, or made up) is refused naming the part.
"""

from __future__ import annotations

from domain.errors import InvalidValue

LENGTH = 18
# The standard's 31-character set: digits and capitals without I, O, Z, S and V.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_INDEX = {char: index for index, char in enumerate(CHARSET)}

# Position 1 (登记管理部门) and the position-2 organisation types (机构类别) each allows.
REGISTRATION_TYPES = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直管的群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他: one type only
}
# GB/T 2260 provinces (11 北京 … 82 澳门); 100000 is the national level (国家级登记管理机关).
PROVINCES = frozenset({
    *range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55),
    *range(61, 66), 71, 81, 82,
})
NATIONAL_DIVISION = "100000"
# GB 11714 organisation code: 8 characters, then a check character over them.
ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def normalize_credit_code(code: str | None) -> str:
    """The code as it is compared and stored: surrounding blanks removed, upper-case."""
    return (code or "").strip().upper()


def check_character(prefix: str) -> str:
    """The check character (position 18) for the first 17 characters of a code."""
    total = sum(_INDEX[char] * weight for char, weight in zip(prefix, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def organisation_check_character(body: str) -> str:
    """The GB 11714 check character (0–9 or X) of an organisation code's first 8 characters
    (a letter counts as 10 for A up to 35 for Z)."""
    total = sum(int(char, 36) * weight
                for char, weight in zip(body, ORGANISATION_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def complete_credit_code(body: str) -> str:
    """A full code from its first 16 characters: the organisation code's check character
    (position 17), then the code's own (position 18). For demo data and tests."""
    with_organisation = body + organisation_check_character(body[8:16])
    return with_organisation + check_character(with_organisation)


def require_credit_code(code: str | None) -> str:
    """The normalized code, or InvalidValue saying which part of it is wrong."""
    normalized = normalize_credit_code(code)
    _require_shape(normalized)
    _require_registration(normalized[0], normalized[1])
    _require_division(normalized[2:8])
    _require_organisation_code(normalized[8:17])
    expected = check_character(normalized[:17])
    if normalized[17] != expected:
        msg = (f"credit_code check character should be {expected}, got {normalized[17]}"
               f" / 统一社会信用代码校验位应为{expected}")
        raise InvalidValue(msg)
    return normalized


def _require_shape(code: str) -> None:
    if not code:
        msg = "credit_code must not be empty / 统一社会信用代码不能为空"
        raise InvalidValue(msg)
    if len(code) != LENGTH:
        msg = (f"credit_code must be {LENGTH} characters, got {len(code)} "
               f"({code!r}) / 统一社会信用代码应为18位")
        raise InvalidValue(msg)
    for position, char in enumerate(code, start=1):
        if char not in _INDEX:
            msg = (f"credit_code has an illegal character {char!r} at position {position}; "
                   "allowed are digits and capital letters except I, O, Z, S and V"
                   f" / 统一社会信用代码第{position}位字符不合法")
            raise InvalidValue(msg)


def _require_registration(authority: str, kind: str) -> None:
    if authority not in REGISTRATION_TYPES:
        msg = (f"credit_code position 1 (registration authority) must be one of "
               f"{', '.join(REGISTRATION_TYPES)}, got {authority!r}"
               f" / 统一社会信用代码第1位登记管理部门代码不存在")
        raise InvalidValue(msg)
    if kind not in REGISTRATION_TYPES[authority]:
        msg = (f"credit_code position 2 (organisation type) must be one of "
               f"{', '.join(REGISTRATION_TYPES[authority])} for registration authority "
               f"{authority}, got {kind!r} / 统一社会信用代码第2位机构类别代码与登记管理部门不符")
        raise InvalidValue(msg)


def _require_division(division: str) -> None:
    if not division.isdigit():
        msg = (f"credit_code positions 3-8 (administrative division code) must be digits, "
               f"got {division!r} / 统一社会信用代码第3-8位应为行政区划码")
        raise InvalidValue(msg)
    if division != NATIONAL_DIVISION and int(division[:2]) not in PROVINCES:
        msg = (f"credit_code positions 3-8 (administrative division code) must start with a "
               f"province code (11 to 82, as in GB/T 2260) or be {NATIONAL_DIVISION}, got "
               f"{division!r} / 统一社会信用代码第3-8位行政区划码的省级代码不存在")
        raise InvalidValue(msg)


def _require_organisation_code(organisation: str) -> None:
    expected = organisation_check_character(organisation[:8])
    if organisation[8] != expected:
        msg = (f"the organisation-code part of the credit code (positions 9-17, "
               f"{organisation!r}) has a wrong check digit: position 17 should be {expected}, "
               f"got {organisation[8]} / 统一社会信用代码的组织机构代码部分校验位错误")
        raise InvalidValue(msg)
