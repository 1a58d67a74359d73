"""A case's outcome from its issues' outcomes (KO41a definitions), for every combination of up to three issues."""

import itertools

import pytest

from palsdesk.coding.outcomes import (
    INVESTIGATED,
    NOT_INVESTIGATED,
    NOT_UPHELD,
    OUTCOMES,
    PARTIALLY_UPHELD,
    UPHELD,
    case_outcome,
)

PENDING = ""


@pytest.mark.parametrize(
    ("issues", "outcome"),
    [
        ([], PENDING),
        ([UPHELD], UPHELD),
        ([PARTIALLY_UPHELD], PARTIALLY_UPHELD),
        ([NOT_UPHELD], NOT_UPHELD),
        ([NOT_INVESTIGATED], NOT_INVESTIGATED),
        ([UPHELD, UPHELD], UPHELD),
        ([UPHELD, NOT_UPHELD], PARTIALLY_UPHELD),
        ([NOT_UPHELD, NOT_UPHELD], NOT_UPHELD),
        ([UPHELD, PARTIALLY_UPHELD], PARTIALLY_UPHELD),
        ([NOT_UPHELD, PARTIALLY_UPHELD], PARTIALLY_UPHELD),
        # Issues not investigated do not count: the investigated ones decide.
        ([UPHELD, NOT_INVESTIGATED], UPHELD),
        ([NOT_UPHELD, NOT_INVESTIGATED], NOT_UPHELD),
        ([UPHELD, NOT_UPHELD, NOT_INVESTIGATED], PARTIALLY_UPHELD),
        ([NOT_INVESTIGATED, NOT_INVESTIGATED], NOT_INVESTIGATED),
        # An issue still without an outcome leaves the case without one.
        ([UPHELD, PENDING], PENDING),
        ([NOT_INVESTIGATED, PENDING], PENDING),
    ],
)
def test_the_case_outcome_follows_the_ko41a_definitions(issues, outcome):
    assert case_outcome(issues) == outcome


def _expected(issues: tuple[str, ...]) -> str:
    """The rule restated by counting, independently of case_outcome's code."""
    if not issues or issues.count(PENDING):
        return PENDING
    investigated = len(issues) - issues.count(NOT_INVESTIGATED)
    if investigated == 0:
        return NOT_INVESTIGATED
    if issues.count(UPHELD) == investigated:
        return UPHELD
    if issues.count(NOT_UPHELD) == investigated:
        return NOT_UPHELD
    return PARTIALLY_UPHELD


EVERY_COMBINATION = [
    combination for count in (1, 2, 3) for combination in itertools.product((*OUTCOMES, PENDING), repeat=count)
]


@pytest.mark.parametrize("issues", EVERY_COMBINATION, ids="-".join)
def test_every_combination_of_issue_outcomes(issues):
    outcome = case_outcome(issues)
    assert outcome == _expected(issues)
    # Whatever the mix, the order of the issues never matters.
    assert case_outcome(reversed(issues)) == outcome


def test_the_combinations_cover_every_outcome_of_one_to_three_issues():
    assert len(EVERY_COMBINATION) == 5 + 25 + 125
    decided = {case_outcome(issues) for issues in EVERY_COMBINATION}
    assert decided == {*INVESTIGATED, NOT_INVESTIGATED, PENDING}
