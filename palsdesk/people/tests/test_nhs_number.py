"""NHS numbers are normalised to ten digits and checked with the modulus-11 check digit."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from palsdesk.people.nhs_number import InvalidNhsNumber, check_digit, formatted, normalise
from palsdesk.people.tests.factories import valid_nhs_number


@pytest.mark.parametrize("typed", ["9434765919", "943 476 5919", "943-476-5919", " 943 476 5919 "])
def test_spaces_and_hyphens_are_removed(typed):
    assert normalise(typed) == "9434765919"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("9434765918", "check digit"),
        ("1234567890", "check digit"),  # the check digit would be 10: no valid number starts 123456789
        ("943476591", "10 digits; this has 9"),
        ("94347659190", "10 digits; this has 11"),
        ("94347659IO", "only digits"),
        ("９４３４７６５９１９", "only digits"),  # full-width digits are not ASCII
        ("", "only digits"),
    ],
)
def test_a_wrong_number_is_refused_saying_what_is_wrong(typed, message):
    with pytest.raises(InvalidNhsNumber, match=message):
        normalise(typed)


def test_check_digit_eleven_becomes_zero():
    # 100 000 006 has weighted sum 22, so 11 - (22 mod 11) = 11, which is written 0.
    assert check_digit("100000006") == 0
    assert normalise("1000000060") == "1000000060"


@given(seed=st.integers())
def test_every_generated_test_number_is_valid(seed):
    number = valid_nhs_number(seed)
    assert normalise(number) == number


def test_it_is_shown_three_three_four():
    assert formatted("9434765919") == "943 476 5919"
