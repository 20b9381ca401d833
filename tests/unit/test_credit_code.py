"""统一社会信用代码 (GB 32100-2015): format and check character."""

from __future__ import annotations

import pytest

from domain.credit_code import check_character, normalize_credit_code, require_credit_code
from domain.errors import InvalidValue

# An independent statement of the standard's check-character formula, for the test alone.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def reference_check(prefix: str) -> str:
    assert len(prefix) == 17
    weights = [pow(3, i, 31) for i in range(17)]  # the standard's weights are 3^i mod 31
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(prefix, weights, strict=True))
    remainder = 31 - total % 31
    return ALPHABET[0 if remainder == 31 else remainder]


def with_check(prefix: str) -> str:
    return prefix + reference_check(prefix)


PREFIXES = [
    "91450200MA5N2C8L1",  # 9 工商, 1 企业, 450200 柳州市
    "12450200498590130",  # 1 机构编制, 2 事业单位
    "52450203MJD000001",  # 5 民政, 2 民办非企业单位
    "93450222MA5KXY4G7",  # 9 工商, 3 农民专业合作社
    "Y1450200000000000",
]
VALID = [with_check(p) for p in PREFIXES]
# A code published as an example in many GB 32100 references.
PUBLISHED = "91350100M000100Y43"


def test_the_test_formula_uses_the_standards_weights() -> None:
    assert [pow(3, i, 31) for i in range(17)] == [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ]


@pytest.mark.parametrize("code", [*VALID, PUBLISHED])
def test_a_code_with_the_right_check_character_is_accepted(code: str) -> None:
    assert require_credit_code(code) == code


def test_the_published_example_code_is_valid() -> None:
    assert check_character(PUBLISHED[:17]) == "3"
    assert require_credit_code(PUBLISHED) == PUBLISHED


def test_a_remainder_of_zero_gives_check_character_zero() -> None:
    # Find a prefix whose weighted sum is a multiple of 31: 31 - 0 = 31 maps to "0".
    candidates = (f"9145020000000{n:04d}" for n in range(10_000))
    prefix = next(p for p in candidates if reference_check(p) == "0")
    assert check_character(prefix) == "0"
    assert require_credit_code(prefix + "0") == prefix + "0"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_check_character_matches_the_reference_formula(prefix: str) -> None:
    assert check_character(prefix) == reference_check(prefix)


def test_normalizing_strips_blanks_and_upper_cases() -> None:
    assert normalize_credit_code("  91350100m000100y43\n") == PUBLISHED
    assert normalize_credit_code(None) == ""


def test_a_lower_case_code_with_blanks_is_accepted_and_normalized() -> None:
    assert require_credit_code(f" {PUBLISHED.lower()} ") == PUBLISHED


@pytest.mark.parametrize("code", ["", "   ", None])
def test_an_empty_code_is_refused(code: str | None) -> None:
    with pytest.raises(InvalidValue, match="credit_code must not be empty"):
        require_credit_code(code)


@pytest.mark.parametrize(("code", "length"), [(PUBLISHED[:17], 17), (PUBLISHED + "0", 19),
                                              ("9135", 4)])
def test_a_code_of_the_wrong_length_is_refused(code: str, length: int) -> None:
    with pytest.raises(InvalidValue, match=f"must be 18 characters, got {length}"):
        require_credit_code(code)


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_outside_the_charset_are_refused_with_their_position(letter: str) -> None:
    code = VALID[0][:9] + letter + VALID[0][10:]
    with pytest.raises(InvalidValue, match=f"illegal character '{letter}' at position 10"):
        require_credit_code(code)


def test_punctuation_is_refused_with_its_position() -> None:
    code = VALID[0][:4] + "-" + VALID[0][5:]
    with pytest.raises(InvalidValue, match="illegal character '-' at position 5"):
        require_credit_code(code)


def test_an_illegal_check_character_is_reported_as_illegal() -> None:
    with pytest.raises(InvalidValue, match="illegal character 'Z' at position 18"):
        require_credit_code(PUBLISHED[:17] + "Z")


def test_letters_in_the_administrative_division_code_are_refused() -> None:
    code = with_check("91A50200MA5N2C8L1")
    with pytest.raises(InvalidValue, match=r"positions 3-8 .* must be digits, got 'A50200'"):
        require_credit_code(code)


@pytest.mark.parametrize("code", VALID)
def test_a_wrong_check_character_is_refused_naming_the_right_one(code: str) -> None:
    wrong = ALPHABET[(ALPHABET.index(code[17]) + 1) % 31]
    with pytest.raises(
        InvalidValue, match=f"check character should be {code[17]}, got {wrong}"
    ):
        require_credit_code(code[:17] + wrong)


def test_swapping_two_characters_is_detected() -> None:
    code = VALID[0]
    swapped = code[:9] + code[10] + code[9] + code[11:]
    assert swapped != code
    with pytest.raises(InvalidValue, match="check character should be"):
        require_credit_code(swapped)


def test_invalid_value_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        require_credit_code("123")
