"""The 5×5 consequence × likelihood matrix: every cell's score and band, and how a set of bands is checked."""

import pytest

from palsdesk.grading import matrix

# The NPSA bands (domain.md §5.1): low 1–3, moderate 4–6, high 8–12, extreme 15–25.
NPSA_BANDS = [
    matrix.Band("low", 1, 3),
    matrix.Band("moderate", 4, 6),
    matrix.Band("high", 8, 12),
    matrix.Band("extreme", 15, 25),
]

# Every cell of the printed matrix (domain.md §5.1): (consequence, likelihood, score, band).
CELLS = [
    (1, 1, 1, "low"),
    (2, 1, 2, "low"),
    (3, 1, 3, "low"),
    (4, 1, 4, "moderate"),
    (5, 1, 5, "moderate"),
    (1, 2, 2, "low"),
    (2, 2, 4, "moderate"),
    (3, 2, 6, "moderate"),
    (4, 2, 8, "high"),
    (5, 2, 10, "high"),
    (1, 3, 3, "low"),
    (2, 3, 6, "moderate"),
    (3, 3, 9, "high"),
    (4, 3, 12, "high"),
    (5, 3, 15, "extreme"),
    (1, 4, 4, "moderate"),
    (2, 4, 8, "high"),
    (3, 4, 12, "high"),
    (4, 4, 16, "extreme"),
    (5, 4, 20, "extreme"),
    (1, 5, 5, "moderate"),
    (2, 5, 10, "high"),
    (3, 5, 15, "extreme"),
    (4, 5, 20, "extreme"),
    (5, 5, 25, "extreme"),
]


def test_the_table_has_every_cell_of_the_matrix_once():
    assert sorted((c, likelihood) for c, likelihood, _, _ in CELLS) == [
        (c, likelihood) for c in matrix.LEVELS for likelihood in matrix.LEVELS
    ]


@pytest.mark.parametrize(("consequence", "likelihood", "score", "band"), CELLS)
def test_every_cell_maps_to_its_score_and_band(consequence, likelihood, score, band):
    assert matrix.score(consequence, likelihood) == score
    assert matrix.grade_for_score(score, NPSA_BANDS) == band


def test_scores_that_are_no_product_of_one_to_five_cannot_occur():
    assert matrix.possible_scores() == [1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25]
    assert {7, 11, 13, 14, 17, 18, 19, 21, 22, 23, 24}.isdisjoint(matrix.possible_scores())


def test_the_npsa_bands_cover_every_possible_score_once():
    assert matrix.band_problems(NPSA_BANDS) == []


@pytest.mark.parametrize(("consequence", "likelihood"), [(0, 3), (6, 1), (3, 0), (2, 6), (None, 2)])
def test_a_level_outside_one_to_five_has_no_score(consequence, likelihood):
    with pytest.raises(ValueError, match="must be a whole number from 1 to 5"):
        matrix.score(consequence, likelihood)


def test_a_score_no_band_holds_has_no_grade():
    with pytest.raises(ValueError, match="No grade covers a score of 9"):
        matrix.grade_for_score(9, [matrix.Band("low", 1, 8)])


@pytest.mark.parametrize(
    ("bands", "problems"),
    [
        (
            [matrix.Band("low", 1, 3), matrix.Band("high", 8, 25)],
            ["No grade covers a score of 4.", "No grade covers a score of 5.", "No grade covers a score of 6."],
        ),
        (
            [matrix.Band("low", 1, 4), matrix.Band("moderate", 4, 6), matrix.Band("high", 8, 25)],
            ["A score of 4 falls in more than one grade: low, moderate."],
        ),
        (
            # A band may start or end on a score that cannot occur (7): only the possible ones must be covered.
            [matrix.Band("low", 1, 3), matrix.Band("moderate", 4, 7), matrix.Band("high", 8, 25)],
            [],
        ),
        ([matrix.Band("low", 3, 1)], ["low: its lowest score (3) is above its highest (1)."]),
        ([matrix.Band("low", 0, 30)], ["low: scores run from 1 to 25."]),
    ],
)
def test_band_problems_name_each_gap_and_overlap(bands, problems):
    assert matrix.band_problems(bands) == problems
