"""A case's outcome from its issues' outcomes, as KO41a defines them (domain.md §3.4). Pure: no Django."""

from collections.abc import Iterable

UPHELD = "upheld"
PARTIALLY_UPHELD = "partially_upheld"
NOT_UPHELD = "not_upheld"
NOT_INVESTIGATED = "not_investigated"
INVESTIGATED = (UPHELD, PARTIALLY_UPHELD, NOT_UPHELD)
OUTCOMES = (*INVESTIGATED, NOT_INVESTIGATED)


def case_outcome(issue_outcomes: Iterable[str]) -> str:
    """The case's outcome, or "" while it has no issues or any issue still lacks an outcome.

    KO41a: upheld if the evidence supports the complaint; partially upheld if one or more, but not
    all, of its issues are upheld; not upheld if no aspect is. Issues not investigated do not count
    towards it, unless none was investigated: then the case was not investigated. An issue itself
    partially upheld makes the case partially upheld at least.
    """
    outcomes = list(issue_outcomes)
    if not outcomes or any(outcome not in OUTCOMES for outcome in outcomes):
        return ""
    investigated = [outcome for outcome in outcomes if outcome != NOT_INVESTIGATED]
    if not investigated:
        return NOT_INVESTIGATED
    if all(outcome == UPHELD for outcome in investigated):
        return UPHELD
    if all(outcome == NOT_UPHELD for outcome in investigated):
        return NOT_UPHELD
    return PARTIALLY_UPHELD
