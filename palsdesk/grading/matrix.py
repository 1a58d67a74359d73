"""The consequence × likelihood risk matrix (NPSA 2008) as pure functions: scores, bands and their coverage."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LEVELS = (1, 2, 3, 4, 5)
LOWEST_SCORE, HIGHEST_SCORE = 1, 25


@dataclass(frozen=True)
class Band:
    """A grade's range of scores, both ends included."""

    code: str
    min_score: int
    max_score: int

    def __contains__(self, score: int) -> bool:
        return self.min_score <= score <= self.max_score


def score(consequence: int, likelihood: int) -> int:
    """Risk = consequence × likelihood, each from 1 to 5."""
    for name, level in (("consequence", consequence), ("likelihood", likelihood)):
        if level not in LEVELS:
            raise ValueError(f"The {name} must be a whole number from 1 to 5, not {level!r}.")
    return consequence * likelihood


def possible_scores() -> list[int]:
    """The scores the matrix can give: 14 of them, as 7, 11, 13, 14, 17–19 and 21–24 are no product of 1–5."""
    return sorted({c * likelihood for c in LEVELS for likelihood in LEVELS})


def grade_for_score(points: int, bands: Iterable[Band]) -> str:
    """The code of the band that holds the score; ValueError if none does (band_problems finds that in advance)."""
    for band in bands:
        if points in band:
            return band.code
    raise ValueError(f"No grade covers a score of {points}.")


def band_problems(bands: Sequence[Band]) -> list[str]:
    """What is wrong with a set of bands, in words for the administrator: gaps and overlaps over the possible scores."""
    problems = []
    for band in bands:
        if band.min_score > band.max_score:
            problems.append(
                f"{band.code}: its lowest score ({band.min_score}) is above its highest ({band.max_score})."
            )
        elif band.min_score < LOWEST_SCORE or band.max_score > HIGHEST_SCORE:
            problems.append(f"{band.code}: scores run from {LOWEST_SCORE} to {HIGHEST_SCORE}.")
    if problems:
        return problems
    for points in possible_scores():
        holding = [band.code for band in bands if points in band]
        if not holding:
            problems.append(f"No grade covers a score of {points}.")
        elif len(holding) > 1:
            problems.append(f"A score of {points} falls in more than one grade: {', '.join(holding)}.")
    return problems
