"""Writes of reporting: the co-ordinator's commentary on a committee report, checked, audited and kept."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, require
from palsdesk.audit import services as audit
from palsdesk.core.dates import long_time_and_date
from palsdesk.core.errors import StaleEdit
from palsdesk.organisation.models import Division
from palsdesk.people.nhs_number import InvalidNhsNumber, normalise
from palsdesk.reporting.models import CommitteeReportKind, ReportCommentary
from palsdesk.reporting.periods import Period

COMMENTARY_MAX_CHARACTERS = 10_000
COMMENTARY_FIELDS = ("themes", "notable_cases", "general_importance", "actions_taken")
MAX_OMBUDSMAN_REFERRALS = 100_000
# Ten digits, perhaps spaced 3-3-4 or hyphenated, standing alone: what an NHS number looks like in text.
_NUMBER_LIKE_NHS = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")


def nhs_numbers_in(text: str) -> list[str]:
    """The valid NHS numbers written in the text (a ten-digit number whose check digit fails is not one)."""
    found = []
    for candidate in _NUMBER_LIKE_NHS.findall(text or ""):
        try:
            found.append(normalise(candidate))
        except InvalidNhsNumber:
            continue
    return found


def commentary_for(*, kind: str, period: Period, division: Division | None) -> ReportCommentary | None:
    return (
        ReportCommentary.objects.select_related("modified_by")
        .filter(kind=kind, period_start=period.start, period_end=period.end, division=division)
        .first()
    )


def _problems(*, kind: str, division: Division | None, texts: dict[str, str], ombudsman_referrals) -> dict:
    problems: dict[str, list[str]] = {}
    if kind not in CommitteeReportKind.values:
        problems["kind"] = ["Choose a Board, annual or divisional report."]
    elif (kind == CommitteeReportKind.DIVISIONAL) != (division is not None):
        problems["division"] = (
            ["Choose the division this feedback is for."]
            if division is None
            else ["Only divisional feedback is for one division."]
        )
    for name, text in texts.items():
        label = ReportCommentary._meta.get_field(name).verbose_name
        if len(text) > COMMENTARY_MAX_CHARACTERS:
            problems.setdefault(name, []).append(
                f"The {label} must be {COMMENTARY_MAX_CHARACTERS:,} characters or fewer. You entered {len(text):,}."
            )
        if nhs_numbers_in(text):
            # Committee papers are anonymised: they may be read in public Board meetings.
            problems.setdefault(name, []).append(
                f"Take the NHS number out of the {label}: a committee report names no patient."
            )
    if ombudsman_referrals is not None and not 0 <= ombudsman_referrals <= MAX_OMBUDSMAN_REFERRALS:
        problems["ombudsman_referrals"] = ["Enter the number of complaints referred, such as 3, or leave it empty."]
    return problems


@transaction.atomic
def save_commentary(
    *,
    kind: str,
    period: Period,
    division: Division | None,
    actor,
    themes: str = "",
    notable_cases: str = "",
    general_importance: str = "",
    actions_taken: str = "",
    ombudsman_referrals: int | None = None,
    expected_version: int | None = None,
) -> ReportCommentary:
    """Keep the co-ordinator's words for one report and period, refusing an NHS number or a stale form."""
    require(actor, Permission.WRITE_REPORT_COMMENTARY, "write the commentary of reports")
    texts = {
        "themes": (themes or "").strip(),
        "notable_cases": (notable_cases or "").strip(),
        "general_importance": (general_importance or "").strip(),
        "actions_taken": (actions_taken or "").strip(),
    }
    problems = _problems(kind=kind, division=division, texts=texts, ombudsman_referrals=ombudsman_referrals)
    if problems:
        raise ValidationError(problems)
    commentary = (
        ReportCommentary.objects.select_for_update(of=("self",))
        .select_related("modified_by")
        .filter(kind=kind, period_start=period.start, period_end=period.end, division=division)
        .first()
    )
    # A form opened before anything was saved carries version 0: someone saving first makes it stale.
    current_version = commentary.version if commentary else 0
    if expected_version is not None and expected_version != current_version:
        who = commentary.modified_by or "Someone"
        raise StaleEdit(
            f"{who} changed this commentary at {long_time_and_date(timezone.localtime(commentary.modified_at))}, "
            "after you opened it. Your words have not been saved: read theirs and make your change again."
        )
    fields = [*COMMENTARY_FIELDS, "ombudsman_referrals"]
    if commentary is None:
        commentary = ReportCommentary(
            kind=kind, period_start=period.start, period_end=period.end, division=division, created_by=actor
        )
        before = dict.fromkeys(fields)
        action = "report.commentary_written"
    else:
        before = audit.snapshot(commentary, fields)
        commentary.version += 1
        action = "report.commentary_changed"
    for name, text in texts.items():
        setattr(commentary, name, text)
    commentary.ombudsman_referrals = ombudsman_referrals
    commentary.modified_by = actor
    commentary.save()
    audit.record(
        actor=actor,
        action=action,
        target=commentary,
        changes=audit.changes_between(before, audit.snapshot(commentary, fields)),
        context={"kind": kind, "from": period.start, "to": period.end, "division": division},
    )
    return commentary
