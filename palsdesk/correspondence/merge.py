"""Merge fields in letter templates: a fixed vocabulary, checked before a letter is made, never template code.

Administrators write `{{ case.reference }}` where a value goes. Only the names listed in FIELDS exist; nothing
else between double braces is evaluated, so a template cannot reach data the letter should not hold, and
Django template tags (`{% ... %}`) are refused outright. `[[ ... ]]` marks a part the officer writes for
each case (the reason for a delay, what the investigation found). A name that is not in the list, or a field with no
value for this case, is reported before the letter is made: a letter never goes out with a blank in it.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class MergeField:
    name: str
    description: str


def _fields(group: str, *pairs: tuple[str, str]) -> list[MergeField]:
    return [MergeField(f"{group}.{name}" if group else name, description) for name, description in pairs]


FIELDS: dict[str, MergeField] = {
    field.name: field
    for field in [
        *_fields("letter", ("date", "Today's date, the date on the letter")),
        *_fields(
            "case",
            ("reference", "The case reference, e.g. COM-2026-00042"),
            ("kind", "What the case is: complaint, PALS concern, ..."),
            ("summary", "The one-line summary of the case"),
            ("received_on", "The date the case was received"),
            ("acknowledgement_due_on", "The date the acknowledgement is due (regulation 13: 3 working days)"),
            ("acknowledged_on", "The date it was acknowledged"),
            ("response_due_on", "The date the response is due"),
            ("response_period_working_days", "The response period in working days, where it runs on a target"),
            ("long_stop_on", "The end of the 6 months of regulation 14, or the longer period agreed"),
            ("event_on", "The date of the event complained about"),
            ("division", "The case's division"),
            ("site", "The site"),
            ("service", "The service or department"),
        ),
        *_fields(
            "recipient",
            ("name", "The full name of the person the letter is addressed to"),
            ("salutation", "How to greet them: title and last name, e.g. Mrs Patel"),
            ("address", "Their postal address"),
        ),
        *_fields(
            "complainant",
            ("name", "The complainant's full name (the representative when they complain for the patient)"),
            ("first_name", "The complainant's first name"),
            ("last_name", "The complainant's last name"),
            ("salutation", "The complainant's title and last name"),
            ("address", "The complainant's postal address"),
            ("email", "The complainant's email address"),
            ("phone", "The complainant's phone number"),
        ),
        *_fields(
            "patient",
            ("name", "The patient's full name"),
            ("first_name", "The patient's first name"),
            ("last_name", "The patient's last name"),
            ("salutation", "The patient's title and last name"),
            ("date_of_birth", "The patient's date of birth"),
            ("nhs_number", "The patient's NHS number"),
            ("address", "The patient's postal address"),
        ),
        *_fields(
            "representative",
            ("name", "The representative's full name"),
            ("salutation", "The representative's title and last name"),
            ("relationship", "The representative's relationship to the patient"),
            ("address", "The representative's postal address"),
        ),
        *_fields(
            "officer",
            ("name", "The case officer's name"),
            ("job_title", "The case officer's job title"),
            ("email", "The case officer's email address"),
        ),
        *_fields(
            "investigator",
            ("name", "The investigating manager's name"),
            ("job_title", "The investigating manager's job title"),
        ),
        *_fields(
            "trust",
            ("name", "The trust's name"),
            ("address", "The trust's address"),
            ("phone", "The complaints team's phone number (or the trust's)"),
            ("email", "The complaints team's email address (or the trust's)"),
            ("website", "The trust's website"),
            ("team_name", "The complaints team's name"),
        ),
        *_fields("", ("complaints_procedure", "How the trust handles a complaint, from the letter settings")),
        *_fields(
            "signatory",
            ("name", "The responsible person who signs responses (regulation 4)"),
            ("job_title", "Their job title"),
        ),
        *_fields(
            "advocacy",
            ("name", "The independent NHS complaints advocacy service"),
            ("phone", "The advocacy service's phone number"),
            ("email", "The advocacy service's email address"),
            ("website", "The advocacy service's website"),
            ("address", "The advocacy service's address"),
        ),
        *_fields(
            "ombudsman",
            ("name", "The Parliamentary and Health Service Ombudsman"),
            ("phone", "The Ombudsman's phone number"),
            ("website", "The Ombudsman's website"),
            ("address", "The Ombudsman's address"),
        ),
    ]
}

_MERGE_FIELD = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# [[ ... ]] marks a part of a letter the officer writes for this case; a letter is not produced while one remains.
_TO_WRITE = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)


class MergeProblem(Exception):
    """A template or letter cannot be merged: it names fields that do not exist, or that have no value here."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages))
        self.messages = messages


def fields_used(text: str) -> list[str]:
    """Each name written between double braces, in the order first used."""
    names: list[str] = []
    for match in _MERGE_FIELD.finditer(text or ""):
        name = match.group(1).strip()
        if name not in names:
            names.append(name)
    return names


def parts_to_write(text: str) -> list[str]:
    """What the officer still has to write: the words inside each [[ ... ]] left in a draft."""
    return [" ".join(match.group(1).split()) for match in _TO_WRITE.finditer(text or "")]


def template_problems(text: str) -> list[str]:
    """What is wrong with a template's merge fields, in words an administrator can act on. Empty when sound."""
    text = text or ""
    problems = []
    unknown = [name for name in fields_used(text) if name not in FIELDS]
    for name in unknown:
        shown = name or "(nothing)"
        problems.append(
            f"{{{{ {shown} }}}} is not a merge field. Use one of the fields listed, such as {{{{ case.reference }}}}."
        )
    for code in _TEMPLATE_CODE.findall(text):
        problems.append(
            f"“{code[:40]}” is template code, which is not allowed: use merge fields like {{{{ case.reference }}}}."
        )
    remainder = _TEMPLATE_CODE.sub("", _MERGE_FIELD.sub("", text))
    if "{{" in remainder or "}}" in remainder:
        problems.append(
            "A merge field is not closed: each one starts with {{ and ends with }}, like {{ case.reference }}."
        )
    return problems


def missing_values(text: str, values: Mapping[str, str]) -> list[str]:
    """The known fields the text uses that have no value for this case (no representative, no officer...)."""
    return [name for name in fields_used(text) if name in FIELDS and not str(values.get(name) or "").strip()]


def merge(text: str, values: Mapping[str, str]) -> str:
    """The text with every merge field replaced by its value. Raise MergeProblem rather than leave a blank."""
    problems = template_problems(text)
    missing = missing_values(text, values)
    if missing:
        problems.append(
            "These merge fields have no value for this case: "
            + ", ".join(f"{{{{ {name} }}}} ({FIELDS[name].description.lower()})" for name in missing)
            + ". Add the details to the case, or choose another template."
        )
    if problems:
        raise MergeProblem(problems)
    return _MERGE_FIELD.sub(lambda match: str(values[match.group(1).strip()]).strip(), text)
