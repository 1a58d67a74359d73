"""KO41a's calendar and fixed codes as pure functions: collection years, the year a case is coded in, age at receipt."""

import datetime
import re
from collections.abc import Iterable

# The subject whose aspects are broken down by clinical sub-category (KO41a section 6). Every KO41a data file
# uses this code for it, whatever the label says that year.
CLINICAL_TREATMENT = "clinical-treatment"

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def collection_year(day: datetime.date) -> str:
    """The NHS financial year (1 April to 31 March) holding the day: "2026-27" for 21 November 2026."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def is_collection_year(text: str) -> bool:
    """True for "2025-26"; False for "2025-27", "2025/26" or "2016"."""
    match = _YEAR.match(text or "")
    return bool(match) and (int(match.group(1)) + 1) % 100 == int(match.group(2))


def coding_year(case_year: str, loaded_years: Iterable[str]) -> str | None:
    """The year whose lists code a case: its own; else the latest loaded before it; else the earliest loaded.

    The last fallback keeps cases received before the first list was loaded codeable (the nearest list
    there is), rather than blocking their coding. None when nothing is loaded.
    """
    loaded = sorted(set(loaded_years))
    if not loaded:
        return None
    earlier = [year for year in loaded if year <= case_year]
    return earlier[-1] if earlier else loaded[0]


def age_in_years(born_on: datetime.date, on: datetime.date) -> int:
    """Whole years of age on a day (a birthday on 29 February comes on 1 March in other years)."""
    had_birthday = (on.month, on.day) >= (born_on.month, born_on.day)
    return on.year - born_on.year - (0 if had_birthday else 1)
