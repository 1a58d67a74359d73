"""NHS numbers: normalising what people type and checking the modulus-11 check digit."""

import re

_SEPARATORS = re.compile(r"[\s\-]")


class InvalidNhsNumber(ValueError):
    pass


def normalise(raw: str) -> str:
    """Ten digits with spaces and hyphens removed, or InvalidNhsNumber saying what is wrong."""
    digits = _SEPARATORS.sub("", raw or "")
    if not digits.isdigit() or not digits.isascii():
        raise InvalidNhsNumber("NHS number must contain only digits, such as 943 476 5919.")
    if len(digits) != 10:
        raise InvalidNhsNumber(f"NHS number must be 10 digits; this has {len(digits)}.")
    if check_digit(digits[:9]) != int(digits[9]):
        raise InvalidNhsNumber(
            "That is not a valid NHS number: the check digit does not match. Check it was copied correctly."
        )
    return digits


def check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for the first nine digits, or None if no valid number starts with them."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def formatted(digits: str) -> str:
    """The 3-3-4 layout used on NHS letters: 943 476 5919."""
    if len(digits) != 10:
        return digits
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
