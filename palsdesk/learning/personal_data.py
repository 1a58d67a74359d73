"""Finding personal data in words meant for the public: the check "you said, we did" wording must pass to be approved.

Pure: text and names in, findings out. It is a safety net under the co-ordinator's own reading, not instead of it,
so it errs towards refusing: any full date could be a date of birth, any ten-digit number an NHS number.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"

# (what it is, the pattern), in the order they are tried: an earlier kind claims the text before a later one.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("an email address", re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")),
    ("a case reference", re.compile(r"\b[A-Z]{3}-\d{4}-\d{1,6}\b")),
    ("an NHS number", re.compile(r"(?<![\d+])\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")),
    (
        "a phone number",
        re.compile(r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?(?:[\s-]?\d){6,8}(?!\d)"),
    ),
    (
        "a full date, which could be a date of birth",
        re.compile(
            r"\b\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})\b"
            r"|\b\d{4}-\d{1,2}-\d{1,2}\b"
            rf"|\b{_DAY}\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{2,4}}\b"
            rf"|\b{_MONTH}\.?\s+{_DAY},?\s+\d{{4}}\b",
            re.I,
        ),
    ),
    ("a date of birth", re.compile(r"\b(?:d\.?o\.?b\b\.?|date of birth|born on)", re.I)),
    # Capitals only: in lower case it would catch "B2 2nd floor".
    ("a postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b")),
    ("a long number, which could be a hospital number", re.compile(r"(?<!\d)\d{7,}(?!\d)")),
]

NAME_PART_MIN_CHARACTERS = 2


@dataclass(frozen=True)
class Finding:
    what: str
    text: str
    start: int


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


def _name_parts(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Whole names (two words or more), and each word of them long enough to be a name on its own."""
    whole, parts = set(), set()
    for name in names:
        words = re.findall(r"[^\W\d_][\w'’-]*", name or "")
        if len(words) > 1:
            whole.add(" ".join(words))
        parts.update(word for word in words if len(word) >= NAME_PART_MIN_CHARACTERS)
    # Longest first, so that "Ada Lovelace" is reported as one finding rather than two.
    return sorted(whole, key=len, reverse=True), sorted(parts, key=len, reverse=True)


def _name_findings(text: str, names: Iterable[str], taken: list[tuple[int, int]]) -> list[Finding]:
    whole, parts = _name_parts(names)
    found = []
    for name in whole:
        pattern = r"(?<![\w-])" + r"\s+".join(re.escape(word) for word in name.split()) + r"(?![\w-])"
        for match in re.finditer(pattern, text, re.I):
            if not _overlaps(match.start(), match.end(), taken):
                taken.append(match.span())
                found.append(Finding("the name of someone on a linked case", match.group(), match.start()))
    for part in parts:
        for match in re.finditer(r"(?<![\w-])" + re.escape(part) + r"(?![\w-])", text, re.I):
            # One word of a name counts when written as a name (capitalised): "Ward" is a surname, "ward" a place.
            if match.group()[0].isupper() and not _overlaps(match.start(), match.end(), taken):
                taken.append(match.span())
                found.append(Finding("the name of someone on a linked case", match.group(), match.start()))
    return found


def findings(text: str, *, names: Iterable[str] = ()) -> list[Finding]:
    """Everything in the text that looks like personal data, in the order it appears."""
    text = text or ""
    taken: list[tuple[int, int]] = []
    found = _name_findings(text, names, taken)
    for what, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if not _overlaps(match.start(), match.end(), taken):
                taken.append(match.span())
                found.append(Finding(what, match.group().strip(), match.start()))
    return sorted(found, key=lambda finding: finding.start)


def refusal(text: str, *, names: Iterable[str] = ()) -> str | None:
    """Why the text cannot be published, in one message naming each thing found; None if nothing was."""
    found = findings(text, names=names)
    if not found:
        return None
    listed = "; ".join(f"{finding.what} ('{finding.text}')" for finding in found)
    return (
        f"This cannot be published: it contains {listed}. Write it without anything that could identify someone "
        "(names, NHS, hospital or phone numbers, email addresses, postcodes, case references or full dates)."
    )
