"""Request validation errors in the project's words: each field's message complete in English
and Chinese, without the validation library's internals (its error codes, URLs, input echo
or "Value error," prefixes)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_CJK = re.compile(r"[\u4e00-\u9fff]")


# Chinese for each kind of validation error; `{…}` names a value of the error's context.
_CHINESE: dict[str, str] = {
    "missing": "必填",
    "extra_forbidden": "不是可接受的字段",
    "string_type": "应为文本",
    "string_too_short": "至少{min_length}个字符",
    "string_too_long": "不能超过{max_length}个字符",
    "string_pattern_mismatch": "格式不正确",
    "too_short": "至少{min_length}项",
    "too_long": "不能超过{max_length}项",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_max_digits": "数字位数过多",
    "decimal_max_places": "小数位数过多",
    "decimal_whole_digits": "整数位数过多",
    "finite_number": "应为有限数字",
    "greater_than": "应大于{gt}",
    "greater_than_equal": "应不小于{ge}",
    "less_than": "应小于{lt}",
    "less_than_equal": "应不大于{le}",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不含时间",
    "datetime_type": "应为日期时间",
    "datetime_parsing": "应为日期时间",
    "datetime_from_date_parsing": "应为日期时间",
    "uuid_type": "应为 UUID",
    "uuid_parsing": "应为 UUID",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "union_tag_invalid": "类型标记不正确",
    "union_tag_not_found": "缺少类型标记",
    "string_unicode": "应为文本",
    "value_error": "取值不正确",
    "assertion_error": "取值不正确",
}
_VALUE_ERROR = re.compile(r"^(Value error|Assertion failed), ?", re.IGNORECASE)


def _english(error: Mapping[str, Any]) -> str:
    return _VALUE_ERROR.sub("", str(error.get("msg", ""))).strip() or "invalid value"


def message(error: Mapping[str, Any]) -> str:
    """One error's message: `English / 中文`, or the project's own bilingual message where a
    validator gave one."""
    english = _english(error)
    if _CJK.search(english):
        return english  # a domain rule's own message, already in both languages
    template = _CHINESE.get(str(error.get("type", "")), "取值不正确")
    ctx = error.get("ctx") or {}
    try:
        chinese = template.format_map({k: str(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        chinese = "取值不正确"
    return f"{english} / {chinese}"


def field(error: Mapping[str, Any]) -> str:
    """Where the error is: the dotted path within the body, or the parameter's name."""
    loc = [str(p) for p in error.get("loc", ()) if p != "body"]
    return ".".join(loc) or "body"
