"""Every write for cases taken further: the Ombudsman's stages, requests, decision and recommendations, CQC
enquiries, joint complaints with other bodies, and the contributions asked of other divisions and organisations.

Each function is one thing a person does: it checks the actor's role, runs in one transaction, and writes its
timeline entry on the case and its audit event in that transaction. Callers find the case through
cases.selectors.cases_visible_to(user) first (escalations.selectors does), so a service never sees a case its
actor may not. None of them changes the case row itself, so none moves the case's version.
"""

import datetime
import decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, can, require
from palsdesk.audit import services as audit
from palsdesk.cases import timeline, workflow
from palsdesk.cases.concurrency import lock_for_change
from palsdesk.cases.models import Case, TimelineEntry
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.core.dates import long_date, weekday_date
from palsdesk.core.errors import RuleBroken
from palsdesk.deadlines.selectors import CALENDAR_FIRST, statutory_calendar
from palsdesk.escalations import rules
from palsdesk.escalations.models import (
    DECISIONS_WITH_RECOMMENDATIONS,
    STAGE_ORDER,
    Chaser,
    ComplianceEvidence,
    Contribution,
    CqcEnquiry,
    DayCount,
    Decision,
    JointBody,
    JointComplaint,
    OmbudsmanCase,
    OmbudsmanRequest,
    OmbudsmanStage,
    Recommendation,
    Stage,
)

TEXT_MAX_CHARACTERS = 5_000
NAME_MAX_CHARACTERS = 200
REFERENCE_MAX_CHARACTERS = 40
PHONE_MAX_CHARACTERS = 40
MAX_PERIOD_DAYS = 366
MAX_AMOUNT = decimal.Decimal("99999999.99")

# The Ombudsman and joint working concern formal complaints (and MP letters handled as complaints), never a
# PALS concern, compliment or enquiry: those are escalated to a complaint first.
FORMAL_KINDS = workflow.ACKNOWLEDGED_KINDS

_OMBUDSMAN_FIELDS = [
    "phso_reference",
    "caseworker_name",
    "caseworker_email",
    "caseworker_phone",
    "handled_by",
    "received_on",
    "taken_early_because",
    "stage",
    "stage_on",
    "decision",
    "decided_on",
    "decision_summary",
    "closed_on",
]
_JOINT_FIELDS = ["consent_to_share", "consent_on", "consent_note", "our_part", "our_part_due_on", "our_part_sent_on"]

UNCHANGED = object()


# --- Checks shared by every service --------------------------------------------------------------------------------


def _text(problems: dict, name: str, value: str, *, label: str, limit: int = TEXT_MAX_CHARACTERS, required=False):
    """The text with its ends trimmed; a message under `name` if it is missing or too long."""
    value = (value or "").strip()
    if required and not value:
        problems.setdefault(name, []).append(f"Enter {label}.")
    elif len(value) > limit:
        problems.setdefault(name, []).append(
            f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer; it has {len(value):,}."
        )
    return value


def _past_date(
    problems: dict,
    name: str,
    value: datetime.date | None,
    *,
    label: str,
    required: bool = True,
    not_before: datetime.date | None = None,
    not_before_is: str = "",
) -> None:
    """A date that has happened: today or earlier, and not before the day it follows (`not_before_is`)."""
    if value is None:
        if required:
            problems.setdefault(name, []).append(f"Enter {label}.")
        return
    if value > timezone.localdate():
        problems.setdefault(name, []).append(f"{_capital(label)} must be today or in the past.")
    elif value < CALENDAR_FIRST:
        problems.setdefault(name, []).append(f"{_capital(label)} must be on or after {long_date(CALENDAR_FIRST)}.")
    elif not_before is not None and value < not_before:
        problems.setdefault(name, []).append(
            f"{_capital(label)} cannot be before {not_before_is} ({long_date(not_before)})."
        )


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def _deadline(
    problems: dict,
    *,
    asked_on: datetime.date | None,
    asked_on_field: str,
    due_on: datetime.date | None,
    period_days: int | None,
    day_count: str,
) -> tuple[datetime.date | None, int | None, str]:
    """The due date, given as a date or as days from the request; with the period kept to explain it.

    Working days are England's (regulation 2: bank holidays, Christmas Day and Good Friday are skipped),
    not the trust's: the PHSO and the CQC count their own days, and a day the trust closes does not stop them.
    """
    if due_on is not None and (period_days is not None or day_count):
        problems.setdefault("due_on", []).append("Give the deadline either as a date or as a number of days, not both.")
        return None, None, ""
    if due_on is not None:
        if asked_on is not None and due_on < asked_on:
            problems.setdefault("due_on", []).append(
                f"The deadline cannot be before the day it was asked ({long_date(asked_on)})."
            )
        return due_on, None, ""
    if period_days is None and not day_count:
        problems.setdefault("due_on", []).append(
            "Enter the deadline: the date given, or the number of days and whether they are calendar or working days."
        )
        return None, None, ""
    if period_days is None or not 1 <= period_days <= MAX_PERIOD_DAYS:
        problems.setdefault("period_days", []).append(f"The number of days must be from 1 to {MAX_PERIOD_DAYS}.")
    if day_count not in DayCount.values:
        problems.setdefault("day_count", []).append("Say whether the days are calendar days or working days.")
    if "period_days" in problems or "day_count" in problems or asked_on is None or asked_on_field in problems:
        return None, None, ""
    due = rules.due_after(asked_on, period_days, working=day_count == DayCount.WORKING, calendar=statutory_calendar())
    return due, period_days, day_count


def _period_words(period_days: int | None, day_count: str) -> str:
    if not period_days:
        return ""
    unit = "working day" if day_count == DayCount.WORKING else "calendar day"
    return f" ({period_days} {unit}{'s' if period_days != 1 else ''})"


def _lateness(done_on: datetime.date, due_on: datetime.date) -> str:
    late = (done_on - due_on).days
    if late <= 0:
        return " On time."
    return f" {late} day{'s' if late != 1 else ''} late (due {long_date(due_on)})."


def _can_see(user, case: Case) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def _check_staff(problems: dict, name: str, user, case: Case, *, permission: Permission, doing: str) -> None:
    """A colleague given work on the case must be able to open it and do the work, or it would sit unseen."""
    if user is None:
        return
    if not user.is_active:
        problems.setdefault(name, []).append(f"{user}'s account is not active.")
    elif not can(user, permission):
        problems.setdefault(name, []).append(f"{user}'s role ({user.get_role_display()}) cannot {doing}.")
    elif not _can_see(user, case):
        problems.setdefault(name, []).append(f"{user} cannot see {case.reference}, so it would not reach their work.")


def _on_timeline(case: Case, body: str, *, actor) -> None:
    # Cases has one kind for work that takes a complaint beyond the trust's own handling.
    timeline.add_entry(case, kind=TimelineEntry.EntryKind.ESCALATION, body=body, actor=actor)


def _quoted(text: str, limit: int = 300) -> str:
    """What was asked or sent, as the timeline quotes it: whole if short, else its start."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- The Ombudsman (PHSO) ------------------------------------------------------------------------------------------

_OMBUDSMAN_WORK = "record the Ombudsman's work on a case"


def _ombudsman_case_for_change(ombudsman_case: OmbudsmanCase) -> OmbudsmanCase:
    """The PHSO case locked for this transaction (so two changes queue), refused once it is closed."""
    locked = (
        OmbudsmanCase.objects.select_for_update(of=("self",))
        .select_related("case", "handled_by")
        .get(pk=ombudsman_case.pk)
    )
    if locked.closed_on is not None:
        raise RuleBroken(
            f"The PHSO case {locked.phso_reference} was closed on {long_date(locked.closed_on)}: nothing more can "
            "be recorded on it."
        )
    return locked


def _check_ombudsman_details(
    problems: dict,
    *,
    phso_reference: str,
    caseworker_name: str,
    caseworker_email: str,
    caseworker_phone: str,
    exclude_pk: int | None = None,
) -> dict:
    reference = " ".join(
        _text(
            problems,
            "phso_reference",
            phso_reference,
            label="the PHSO reference",
            limit=REFERENCE_MAX_CHARACTERS,
            required=True,
        ).split()
    ).upper()
    if reference and "phso_reference" not in problems:
        others = OmbudsmanCase.objects.filter(phso_reference=reference).exclude(pk=exclude_pk)
        if others.exists():
            problems["phso_reference"] = [f"PHSO reference {reference} is already recorded on another complaint."]
    values = {
        "phso_reference": reference,
        "caseworker_name": _text(
            problems,
            "caseworker_name",
            caseworker_name,
            label="the PHSO caseworker's name",
            limit=NAME_MAX_CHARACTERS,
            required=True,
        ),
        "caseworker_email": _text(
            problems, "caseworker_email", caseworker_email, label="the caseworker's email", limit=254
        ),
        "caseworker_phone": _text(
            problems, "caseworker_phone", caseworker_phone, label="the caseworker's phone", limit=PHONE_MAX_CHARACTERS
        ),
    }
    if values["caseworker_email"] and "caseworker_email" not in problems:
        try:
            validate_email(values["caseworker_email"])
        except ValidationError:
            problems["caseworker_email"] = ["Enter the email address in the correct format, like name@example.com."]
    return values


@transaction.atomic
def open_ombudsman_case(
    case: Case,
    *,
    phso_reference: str,
    caseworker_name: str,
    received_on: datetime.date,
    actor,
    caseworker_email: str = "",
    caseworker_phone: str = "",
    stage: str = Stage.ENQUIRY,
    handled_by=None,
    taken_early_because: str = "",
) -> OmbudsmanCase:
    """Record that the PHSO has taken up a complaint, at the stage it has reached, and who deals with it here.

    The PHSO looks at a complaint once the trust has responded locally (Health Service Commissioners Act 1993
    s.9(5)). It may take one earlier, for example when the response is long overdue after the 6-month
    long-stop: then the reason must be recorded.
    """
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _OMBUDSMAN_WORK)
    # Locked only so that two people recording the same referral queue; the case row itself is not changed.
    case = lock_for_change(case, None)
    if case.kind not in FORMAL_KINDS:
        raise RuleBroken(
            f"The Ombudsman looks at complaints, not {workflow.with_article(case.kind)}: escalate it to a "
            "complaint first."
        )
    already = OmbudsmanCase.objects.filter(case=case, closed_on__isnull=True).first()
    if already is not None:
        raise RuleBroken(
            f"{case.reference} is already with the PHSO ({already.phso_reference}): close that case before "
            "recording another referral."
        )
    problems: dict[str, list[str]] = {}
    values = _check_ombudsman_details(
        problems,
        phso_reference=phso_reference,
        caseworker_name=caseworker_name,
        caseworker_email=caseworker_email,
        caseworker_phone=caseworker_phone,
    )
    if stage not in Stage.values:
        problems["stage"] = ["Choose the stage the PHSO has reached."]
    _past_date(
        problems,
        "received_on",
        received_on,
        label="the date the PHSO first contacted the trust",
        not_before=case.received_on,
        not_before_is="the day the complaint was received",
    )
    taken_early_because = _text(
        problems, "taken_early_because", taken_early_because, label="why the PHSO took it early"
    )
    if case.responded_on is None and not taken_early_because and "taken_early_because" not in problems:
        problems["taken_early_because"] = [
            f"{case.reference} has had no local response. The PHSO looks at a complaint once the trust has "
            "responded, unless it decides to take it early (after the 6-month long-stop, for example): say why it "
            "took this one."
        ]
    handled_by = handled_by or actor
    _check_staff(
        problems, "handled_by", handled_by, case, permission=Permission.HANDLE_OMBUDSMAN_AND_CQC, doing=_OMBUDSMAN_WORK
    )
    if problems:
        raise ValidationError(problems)

    ombudsman_case = OmbudsmanCase.objects.create(
        case=case,
        handled_by=handled_by,
        received_on=received_on,
        taken_early_because=taken_early_because,
        stage=stage,
        stage_on=received_on,
        created_by=actor,
        modified_by=actor,
        **values,
    )
    OmbudsmanStage.objects.create(
        ombudsman_case=ombudsman_case, stage=stage, reached_on=received_on, created_by=actor, modified_by=actor
    )
    body = (
        f"Taken up by the Ombudsman: PHSO {ombudsman_case.phso_reference}, {_lower_first(Stage(stage).label)} "
        f"from {long_date(received_on)}. PHSO caseworker: {ombudsman_case.caseworker_name}. "
        f"Handled here by {handled_by}."
    )
    if taken_early_because:
        body += f" Taken before the local response because: {taken_early_because}"
    _on_timeline(case, body, actor=actor)
    audit.record(
        actor=actor,
        action="ombudsman_case.opened",
        target=ombudsman_case,
        case=case,
        changes=audit.changes_between({}, audit.snapshot(ombudsman_case, _OMBUDSMAN_FIELDS)),
    )
    return ombudsman_case


@transaction.atomic
def change_ombudsman_details(
    ombudsman_case: OmbudsmanCase,
    *,
    actor,
    phso_reference: str,
    caseworker_name: str,
    caseworker_email: str = "",
    caseworker_phone: str = "",
    handled_by=None,
) -> OmbudsmanCase:
    """Correct the PHSO reference, record a new PHSO caseworker, or hand the case to a colleague here."""
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _OMBUDSMAN_WORK)
    ombudsman_case = _ombudsman_case_for_change(ombudsman_case)
    problems: dict[str, list[str]] = {}
    values = _check_ombudsman_details(
        problems,
        phso_reference=phso_reference,
        caseworker_name=caseworker_name,
        caseworker_email=caseworker_email,
        caseworker_phone=caseworker_phone,
        exclude_pk=ombudsman_case.pk,
    )
    if handled_by is None:
        problems["handled_by"] = ["Choose who deals with the PHSO on this case."]
    else:
        _check_staff(
            problems,
            "handled_by",
            handled_by,
            ombudsman_case.case,
            permission=Permission.HANDLE_OMBUDSMAN_AND_CQC,
            doing=_OMBUDSMAN_WORK,
        )
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(ombudsman_case, _OMBUDSMAN_FIELDS)
    for name, value in values.items():
        setattr(ombudsman_case, name, value)
    ombudsman_case.handled_by = handled_by
    ombudsman_case.modified_by = actor
    ombudsman_case.save()
    changes = audit.changes_between(before, audit.snapshot(ombudsman_case, _OMBUDSMAN_FIELDS))
    if changes:
        words = {
            "phso_reference": f"reference {ombudsman_case.phso_reference}",
            "caseworker_name": f"PHSO caseworker {ombudsman_case.caseworker_name}",
            "caseworker_email": "caseworker's email",
            "caseworker_phone": "caseworker's phone",
            "handled_by": f"handled here by {ombudsman_case.handled_by}",
        }
        _on_timeline(
            ombudsman_case.case,
            f"PHSO {ombudsman_case.phso_reference} details changed: {', '.join(words[name] for name in changes)}.",
            actor=actor,
        )
        audit.record(
            actor=actor,
            action="ombudsman_case.changed",
            target=ombudsman_case,
            case=ombudsman_case.case,
            changes=changes,
        )
    return ombudsman_case


@transaction.atomic
def record_stage(
    ombudsman_case: OmbudsmanCase, *, stage: str, reached_on: datetime.date, actor, note: str = ""
) -> OmbudsmanCase:
    """Record that the PHSO has moved the case on to a later stage (it may skip stages, never go back)."""
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _OMBUDSMAN_WORK)
    ombudsman_case = _ombudsman_case_for_change(ombudsman_case)
    problems: dict[str, list[str]] = {}
    current = Stage(ombudsman_case.stage)
    if stage not in Stage.values:
        problems["stage"] = ["Choose the stage the PHSO has reached."]
    elif STAGE_ORDER.index(Stage(stage)) <= STAGE_ORDER.index(current):
        later = [s.label.lower() for s in STAGE_ORDER[STAGE_ORDER.index(current) + 1 :]]
        problems["stage"] = [
            f"The PHSO case is at {current.label.lower()} already. "
            + (f"Choose a later stage: {', '.join(later)}." if later else "There is no later stage.")
        ]
    _past_date(
        problems,
        "reached_on",
        reached_on,
        label="the date the stage was reached",
        not_before=ombudsman_case.stage_on,
        not_before_is=f"the date of {current.label.lower()}",
    )
    note = _text(problems, "note", note, label="the note")
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(ombudsman_case, ["stage", "stage_on"])
    ombudsman_case.stage = stage
    ombudsman_case.stage_on = reached_on
    ombudsman_case.modified_by = actor
    ombudsman_case.save(update_fields=["stage", "stage_on", "modified_by", "modified_at"])
    reached = OmbudsmanStage.objects.create(
        ombudsman_case=ombudsman_case,
        stage=stage,
        reached_on=reached_on,
        note=note,
        created_by=actor,
        modified_by=actor,
    )
    body = f"PHSO {ombudsman_case.phso_reference}: {_lower_first(Stage(stage).label)} from {long_date(reached_on)}."
    _on_timeline(ombudsman_case.case, body + (f" {note}" if note else ""), actor=actor)
    audit.record(
        actor=actor,
        action="ombudsman_case.stage_reached",
        target=reached,
        case=ombudsman_case.case,
        changes=audit.changes_between(before, audit.snapshot(ombudsman_case, ["stage", "stage_on"])),
        context={"note": note} if note else None,
    )
    return ombudsman_case


@transaction.atomic
def add_ombudsman_request(
    ombudsman_case: OmbudsmanCase,
    *,
    what_is_asked: str,
    requested_on: datetime.date,
    actor,
    due_on: datetime.date | None = None,
    period_days: int | None = None,
    day_count: str = "",
) -> OmbudsmanRequest:
    """Record what the PHSO asked for and by when: the date it gave, or its number of calendar or working days."""
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _OMBUDSMAN_WORK)
    ombudsman_case = _ombudsman_case_for_change(ombudsman_case)
    problems: dict[str, list[str]] = {}
    what_is_asked = _text(problems, "what_is_asked", what_is_asked, label="what the PHSO asked for", required=True)
    _past_date(
        problems,
        "requested_on",
        requested_on,
        label="the date of the request",
        not_before=ombudsman_case.received_on,
        not_before_is="the PHSO's first contact",
    )
    due_on, period_days, day_count = _deadline(
        problems,
        asked_on=requested_on,
        asked_on_field="requested_on",
        due_on=due_on,
        period_days=period_days,
        day_count=day_count or "",
    )
    if problems:
        raise ValidationError(problems)
    request = OmbudsmanRequest.objects.create(
        ombudsman_case=ombudsman_case,
        what_is_asked=what_is_asked,
        requested_on=requested_on,
        due_on=due_on,
        period_days=period_days,
        day_count=day_count,
        created_by=actor,
        modified_by=actor,
    )
    _on_timeline(
        ombudsman_case.case,
        f"PHSO {ombudsman_case.phso_reference} asked on {long_date(requested_on)} for: {_quoted(what_is_asked)} "
        f"Due {weekday_date(due_on)}{_period_words(period_days, day_count)}.",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="ombudsman_request.added",
        target=request,
        case=ombudsman_case.case,
        changes={
            "what_is_asked": [None, what_is_asked],
            "requested_on": [None, requested_on],
            "due_on": [None, due_on],
        },
        context={"period_days": period_days, "day_count": day_count} if period_days else None,
    )
    return request


@transaction.atomic
def record_sent_to_ombudsman(
    request: OmbudsmanRequest, *, sent_on: datetime.date, what_was_sent: str, actor
) -> OmbudsmanRequest:
    """Record what the trust sent the PHSO in reply to a request, and when: the request's deadline is then met."""
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _OMBUDSMAN_WORK)
    ombudsman_case = _ombudsman_case_for_change(request.ombudsman_case)
    request = OmbudsmanRequest.objects.select_for_update().get(pk=request.pk)
    if request.sent_on is not None:
        raise RuleBroken(f"The reply to this request was recorded as sent on {long_date(request.sent_on)} already.")
    problems: dict[str, list[str]] = {}
    _past_date(
        problems,
        "sent_on",
        sent_on,
        label="the date it was sent",
        not_before=request.requested_on,
        not_before_is="the date of the request",
    )
    what_was_sent = _text(problems, "what_was_sent", what_was_sent, label="what was sent", required=True)
    if problems:
        raise ValidationError(problems)
    request.sent_on = sent_on
    request.what_was_sent = what_was_sent
    request.sent_by = actor
    request.modified_by = actor
    request.save()
    _on_timeline(
        ombudsman_case.case,
        f"Sent to the PHSO ({ombudsman_case.phso_reference}) on {long_date(sent_on)}: {_quoted(what_was_sent)}"
        f"{_lateness(sent_on, request.due_on)}",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="ombudsman_request.sent",
        target=request,
        case=ombudsman_case.case,
        changes={"sent_on": [None, sent_on], "what_was_sent": [None, what_was_sent]},
        context={"due_on": request.due_on},
    )
    return request


@transaction.atomic
def record_decision(
    ombudsman_case: OmbudsmanCase, *, decision: str, decided_on: datetime.date, actor, summary: str = ""
) -> OmbudsmanCase:
    """Record the PHSO's decision (or correct it): upheld, partly upheld, not upheld or not investigated."""
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _OMBUDSMAN_WORK)
    ombudsman_case = _ombudsman_case_for_change(ombudsman_case)
    problems: dict[str, list[str]] = {}
    if decision not in Decision.values:
        problems["decision"] = ["Choose the PHSO's decision: upheld, partly upheld, not upheld or not investigated."]
    elif decision not in DECISIONS_WITH_RECOMMENDATIONS and ombudsman_case.recommendations.exists():
        problems["decision"] = [
            f"{Decision(decision).label} comes with no recommendations, but this case has recommendations recorded."
        ]
    _past_date(
        problems,
        "decided_on",
        decided_on,
        label="the date of the decision",
        not_before=ombudsman_case.received_on,
        not_before_is="the PHSO's first contact",
    )
    summary = _text(problems, "summary", summary, label="the summary")
    if problems:
        raise ValidationError(problems)
    fields = ["decision", "decided_on", "decision_summary"]
    before = audit.snapshot(ombudsman_case, fields)
    previous = ombudsman_case.get_decision_display() if ombudsman_case.decision else ""
    ombudsman_case.decision = decision
    ombudsman_case.decided_on = decided_on
    ombudsman_case.decision_summary = summary
    ombudsman_case.modified_by = actor
    ombudsman_case.save(update_fields=[*fields, "modified_by", "modified_at"])
    label = Decision(decision).label.lower()
    body = (
        f"PHSO {ombudsman_case.phso_reference} decision changed from {previous.lower()} to {label}"
        if previous
        else f"PHSO {ombudsman_case.phso_reference} decision: {label}"
    )
    body += f" ({long_date(decided_on)})."
    _on_timeline(ombudsman_case.case, body + (f" {summary}" if summary else ""), actor=actor)
    audit.record(
        actor=actor,
        action="ombudsman_case.decided",
        target=ombudsman_case,
        case=ombudsman_case.case,
        changes=audit.changes_between(before, audit.snapshot(ombudsman_case, fields)),
    )
    return ombudsman_case


@transaction.atomic
def add_recommendation(
    ombudsman_case: OmbudsmanCase,
    *,
    kind: str,
    description: str,
    due_on: datetime.date,
    actor,
    amount: decimal.Decimal | None = None,
) -> Recommendation:
    """Record a recommendation of the PHSO's decision and the date the trust must comply by."""
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _OMBUDSMAN_WORK)
    ombudsman_case = _ombudsman_case_for_change(ombudsman_case)
    if ombudsman_case.decision not in DECISIONS_WITH_RECOMMENDATIONS:
        raise RuleBroken(
            "Record the PHSO's decision first: recommendations come with a complaint upheld or partly upheld."
        )
    problems: dict[str, list[str]] = {}
    if kind not in Recommendation.Kind.values:
        problems["kind"] = ["Choose the kind of recommendation."]
    description = _text(problems, "description", description, label="what the PHSO recommends", required=True)
    if kind == Recommendation.Kind.FINANCIAL_REMEDY:
        if amount is None:
            problems["amount"] = ["Enter the amount the PHSO recommends paying."]
        elif not decimal.Decimal("0") < amount <= MAX_AMOUNT or amount != amount.quantize(decimal.Decimal("0.01")):
            problems["amount"] = ["Enter the amount in pounds and pence, more than £0, like 500 or 250.50."]
    elif amount is not None:
        problems["amount"] = ["Only a financial remedy has an amount."]
    if due_on is None:
        problems["due_on"] = ["Enter the date the trust must comply by."]
    elif ombudsman_case.decided_on and due_on < ombudsman_case.decided_on:
        problems["due_on"] = [
            f"The date to comply by cannot be before the decision ({long_date(ombudsman_case.decided_on)})."
        ]
    if problems:
        raise ValidationError(problems)
    recommendation = Recommendation.objects.create(
        ombudsman_case=ombudsman_case,
        kind=kind,
        description=description,
        amount=amount,
        due_on=due_on,
        created_by=actor,
        modified_by=actor,
    )
    what = recommendation.get_kind_display().lower() + (f" of £{amount:,.2f}" if amount is not None else "")
    _on_timeline(
        ombudsman_case.case,
        f"PHSO {ombudsman_case.phso_reference} recommends {what}: {_quoted(description)} "
        f"Comply by {weekday_date(due_on)}.",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="recommendation.added",
        target=recommendation,
        case=ombudsman_case.case,
        changes={
            "kind": [None, kind],
            "description": [None, description],
            "amount": [None, amount],
            "due_on": [None, due_on],
        },
    )
    return recommendation


def _recommendation_for_change(recommendation: Recommendation) -> tuple[OmbudsmanCase, Recommendation]:
    ombudsman_case = _ombudsman_case_for_change(recommendation.ombudsman_case)
    return ombudsman_case, Recommendation.objects.select_for_update().get(pk=recommendation.pk)


@transaction.atomic
def record_compliance_evidence(
    recommendation: Recommendation, *, sent_on: datetime.date, description: str, actor
) -> ComplianceEvidence:
    """Record the evidence of compliance sent to the PHSO: the trust's part is done until the PHSO answers."""
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _OMBUDSMAN_WORK)
    ombudsman_case, recommendation = _recommendation_for_change(recommendation)
    if recommendation.status == Recommendation.Status.COMPLIED:
        raise RuleBroken(
            f"The PHSO accepted the evidence for this recommendation on {long_date(recommendation.complied_on)}."
        )
    problems: dict[str, list[str]] = {}
    _past_date(
        problems,
        "sent_on",
        sent_on,
        label="the date the evidence was sent",
        not_before=ombudsman_case.decided_on,
        not_before_is="the PHSO's decision",
    )
    description = _text(problems, "description", description, label="what was sent as evidence", required=True)
    if problems:
        raise ValidationError(problems)
    evidence = ComplianceEvidence.objects.create(
        recommendation=recommendation, sent_on=sent_on, description=description, created_by=actor, modified_by=actor
    )
    recommendation.status = Recommendation.Status.EVIDENCE_SENT
    recommendation.modified_by = actor
    recommendation.save(update_fields=["status", "modified_by", "modified_at"])
    _on_timeline(
        ombudsman_case.case,
        f"Evidence of compliance with the PHSO's recommendation ({recommendation.get_kind_display().lower()}) sent "
        f"on {long_date(sent_on)}: {_quoted(description)}{_lateness(sent_on, recommendation.due_on)}",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="compliance_evidence.sent",
        target=evidence,
        case=ombudsman_case.case,
        changes={"sent_on": [None, sent_on], "description": [None, description]},
        context={"recommendation": recommendation, "due_on": recommendation.due_on},
    )
    return evidence


@transaction.atomic
def record_evidence_verdict(
    evidence: ComplianceEvidence,
    *,
    is_accepted: bool,
    verdict_on: datetime.date,
    actor,
    note: str = "",
    new_due_on: datetime.date | None = None,
) -> ComplianceEvidence:
    """Record whether the PHSO accepted the evidence. Accepted: the recommendation is complied with. Not
    accepted: it is the trust's to answer again, by the new date the PHSO gives (or the old one)."""
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _OMBUDSMAN_WORK)
    ombudsman_case, recommendation = _recommendation_for_change(evidence.recommendation)
    evidence = ComplianceEvidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.verdict != ComplianceEvidence.Verdict.AWAITING:
        raise RuleBroken(
            f"The PHSO's answer to this evidence was recorded already: {evidence.get_verdict_display().lower()} on "
            f"{long_date(evidence.verdict_on)}."
        )
    problems: dict[str, list[str]] = {}
    _past_date(
        problems,
        "verdict_on",
        verdict_on,
        label="the date of the PHSO's answer",
        not_before=evidence.sent_on,
        not_before_is="the day the evidence was sent",
    )
    note = _text(problems, "note", note, label="what the PHSO said", required=not is_accepted)
    if is_accepted and new_due_on is not None:
        problems["new_due_on"] = ["Accepted evidence needs no new date."]
    elif new_due_on is not None and verdict_on is not None and new_due_on < verdict_on:
        problems["new_due_on"] = [f"The new date cannot be before the PHSO's answer ({long_date(verdict_on)})."]
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(recommendation, ["status", "complied_on", "due_on"])
    evidence.verdict = ComplianceEvidence.Verdict.ACCEPTED if is_accepted else ComplianceEvidence.Verdict.NOT_ACCEPTED
    evidence.verdict_on = verdict_on
    evidence.verdict_note = note
    evidence.modified_by = actor
    evidence.save()
    if is_accepted:
        recommendation.status = Recommendation.Status.COMPLIED
        recommendation.complied_on = verdict_on
        body = f"The PHSO accepted the evidence of compliance ({recommendation.get_kind_display().lower()})."
    else:
        still_awaiting = recommendation.evidence.filter(verdict=ComplianceEvidence.Verdict.AWAITING).exists()
        recommendation.status = (
            Recommendation.Status.EVIDENCE_SENT if still_awaiting else Recommendation.Status.OUTSTANDING
        )
        recommendation.due_on = new_due_on or recommendation.due_on
        body = (
            f"The PHSO did not accept the evidence of compliance ({recommendation.get_kind_display().lower()}): "
            f"{note} Comply by {weekday_date(recommendation.due_on)}."
        )
    recommendation.modified_by = actor
    recommendation.save()
    if is_accepted and note:
        body += f" {note}"
    _on_timeline(ombudsman_case.case, body, actor=actor)
    audit.record(
        actor=actor,
        action="compliance_evidence.answered",
        target=evidence,
        case=ombudsman_case.case,
        changes={"verdict": ["awaiting", evidence.verdict], "verdict_on": [None, verdict_on]}
        | audit.changes_between(before, audit.snapshot(recommendation, ["status", "complied_on", "due_on"])),
        context={"note": note} if note else None,
    )
    return evidence


@transaction.atomic
def close_ombudsman_case(ombudsman_case: OmbudsmanCase, *, closed_on: datetime.date, actor) -> OmbudsmanCase:
    """Close the PHSO case once it has decided and the trust has complied with every recommendation."""
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _OMBUDSMAN_WORK)
    ombudsman_case = _ombudsman_case_for_change(ombudsman_case)
    if not ombudsman_case.decision:
        raise RuleBroken("Record the PHSO's decision before closing its case.")
    waiting = [r for r in ombudsman_case.recommendations.all() if r.status != Recommendation.Status.COMPLIED]
    if waiting:
        listed = "; ".join(f"{r.get_kind_display().lower()} ({r.get_status_display().lower()})" for r in waiting)
        raise RuleBroken(
            f"The PHSO has not accepted the evidence of compliance with every recommendation yet: {listed}."
        )
    problems: dict[str, list[str]] = {}
    _past_date(
        problems,
        "closed_on",
        closed_on,
        label="the date it closed",
        not_before=ombudsman_case.decided_on,
        not_before_is="the decision",
    )
    if problems:
        raise ValidationError(problems)
    ombudsman_case.closed_on = closed_on
    ombudsman_case.modified_by = actor
    ombudsman_case.save(update_fields=["closed_on", "modified_by", "modified_at"])
    _on_timeline(
        ombudsman_case.case,
        f"PHSO {ombudsman_case.phso_reference} closed on {long_date(closed_on)} "
        f"({ombudsman_case.get_decision_display().lower()}).",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="ombudsman_case.closed",
        target=ombudsman_case,
        case=ombudsman_case.case,
        changes={"closed_on": [None, closed_on]},
    )
    return ombudsman_case


# --- The CQC -------------------------------------------------------------------------------------------------------

_CQC_WORK = "record the CQC's enquiries"


@transaction.atomic
def open_cqc_enquiry(
    case: Case,
    *,
    asked_by: str,
    received_on: datetime.date,
    what_is_asked: str,
    actor,
    cqc_reference: str = "",
    due_on: datetime.date | None = None,
    period_days: int | None = None,
    day_count: str = "",
    handled_by=None,
) -> CqcEnquiry:
    """Record the CQC's enquiry about a complaint: what it asked, and by when (a date, or its number of days)."""
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _CQC_WORK)
    problems: dict[str, list[str]] = {}
    cqc_reference = _text(
        problems, "cqc_reference", cqc_reference, label="the CQC reference", limit=REFERENCE_MAX_CHARACTERS
    )
    asked_by = _text(
        problems, "asked_by", asked_by, label="who at the CQC asked", limit=NAME_MAX_CHARACTERS, required=True
    )
    _past_date(problems, "received_on", received_on, label="the date the enquiry came")
    what_is_asked = _text(problems, "what_is_asked", what_is_asked, label="what the CQC asked", required=True)
    due_on, period_days, day_count = _deadline(
        problems,
        asked_on=received_on,
        asked_on_field="received_on",
        due_on=due_on,
        period_days=period_days,
        day_count=day_count or "",
    )
    handled_by = handled_by or actor
    _check_staff(
        problems, "handled_by", handled_by, case, permission=Permission.HANDLE_OMBUDSMAN_AND_CQC, doing=_CQC_WORK
    )
    if problems:
        raise ValidationError(problems)
    enquiry = CqcEnquiry.objects.create(
        case=case,
        cqc_reference=cqc_reference,
        asked_by=asked_by,
        received_on=received_on,
        what_is_asked=what_is_asked,
        due_on=due_on,
        period_days=period_days,
        day_count=day_count,
        handled_by=handled_by,
        created_by=actor,
        modified_by=actor,
    )
    reference = f" ({cqc_reference})" if cqc_reference else ""
    _on_timeline(
        case,
        f"The CQC{reference} asked on {long_date(received_on)}, through {asked_by}: {_quoted(what_is_asked)} "
        f"Reply due {weekday_date(due_on)}{_period_words(period_days, day_count)}. Handled here by {handled_by}.",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="cqc_enquiry.opened",
        target=enquiry,
        case=case,
        changes={
            "cqc_reference": [None, cqc_reference],
            "asked_by": [None, asked_by],
            "received_on": [None, received_on],
            "what_is_asked": [None, what_is_asked],
            "due_on": [None, due_on],
            "handled_by": [None, handled_by],
        },
    )
    return enquiry


@transaction.atomic
def record_sent_to_cqc(enquiry: CqcEnquiry, *, sent_on: datetime.date, what_was_sent: str, actor) -> CqcEnquiry:
    """Record what the trust sent the CQC, and when: the enquiry is then answered."""
    require(actor, Permission.HANDLE_OMBUDSMAN_AND_CQC, _CQC_WORK)
    enquiry = CqcEnquiry.objects.select_for_update(of=("self",)).select_related("case").get(pk=enquiry.pk)
    if enquiry.sent_on is not None:
        raise RuleBroken(f"The reply to this enquiry was recorded as sent on {long_date(enquiry.sent_on)} already.")
    problems: dict[str, list[str]] = {}
    _past_date(
        problems,
        "sent_on",
        sent_on,
        label="the date it was sent",
        not_before=enquiry.received_on,
        not_before_is="the date of the enquiry",
    )
    what_was_sent = _text(problems, "what_was_sent", what_was_sent, label="what was sent", required=True)
    if problems:
        raise ValidationError(problems)
    enquiry.sent_on = sent_on
    enquiry.what_was_sent = what_was_sent
    enquiry.sent_by = actor
    enquiry.modified_by = actor
    enquiry.save()
    _on_timeline(
        enquiry.case,
        f"Sent to the CQC on {long_date(sent_on)}: {_quoted(what_was_sent)}{_lateness(sent_on, enquiry.due_on)}",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="cqc_enquiry.sent",
        target=enquiry,
        case=enquiry.case,
        changes={"sent_on": [None, sent_on], "what_was_sent": [None, what_was_sent]},
        context={"due_on": enquiry.due_on},
    )
    return enquiry


# --- Joint complaints (regulation 9) -------------------------------------------------------------------------------

_JOINT_WORK = "record joint complaints and contributions"


@transaction.atomic
def record_joint_complaint(
    case: Case,
    *,
    consent_to_share: str,
    actor,
    consent_on: datetime.date | None = None,
    consent_note: str = "",
    our_part: str = "",
    our_part_due_on: datetime.date | None = None,
    lead=UNCHANGED,
) -> JointComplaint:
    """Record (or update) that a complaint is handled jointly with other bodies under regulation 9: the
    complainant's consent to share it with them, who leads (`lead`: one of its bodies, or None for the trust),
    and what the trust contributes by when if another body leads."""
    require(actor, Permission.COORDINATE_JOINT_WORK, _JOINT_WORK)
    # Locked only so that two people recording the same joint complaint queue; the case row is not changed.
    case = lock_for_change(case, None)
    if case.kind not in FORMAL_KINDS:
        raise RuleBroken(
            f"Joint handling under regulation 9 is for complaints, not {workflow.with_article(case.kind)}."
        )
    joint = JointComplaint.objects.filter(case=case).first()
    problems: dict[str, list[str]] = {}
    if consent_to_share not in JointComplaint.Consent.values:
        problems["consent_to_share"] = ["Say whether the complainant has consented to sharing their complaint."]
    elif consent_to_share != JointComplaint.Consent.AWAITED:
        _past_date(problems, "consent_on", consent_on, label="the date consent was given or refused")
    elif consent_on is not None:
        problems["consent_on"] = ["Leave the date out until consent is given or refused."]
    consent_note = _text(problems, "consent_note", consent_note, label="how consent was given")
    our_part = _text(problems, "our_part", our_part, label="what the trust contributes")
    if our_part_due_on is not None:
        if not our_part:
            problems.setdefault("our_part", []).append("Say what the trust contributes by that date.")
        if our_part_due_on < case.received_on:
            problems["our_part_due_on"] = [
                f"The date cannot be before the complaint was received ({long_date(case.received_on)})."
            ]
    if lead is not UNCHANGED and lead is not None and (joint is None or lead.joint_complaint_id != joint.pk):
        problems["lead"] = ["Choose the lead from the bodies of this joint complaint, or the trust."]
    if problems:
        raise ValidationError(problems)

    before = audit.snapshot(joint, _JOINT_FIELDS) if joint else {}
    previous_lead = joint.bodies.filter(is_lead=True).first() if joint else None
    if joint is None:
        joint = JointComplaint(case=case, created_by=actor)
    joint.consent_to_share = consent_to_share
    joint.consent_on = consent_on if consent_to_share != JointComplaint.Consent.AWAITED else None
    joint.consent_note = consent_note
    joint.our_part = our_part
    joint.our_part_due_on = our_part_due_on
    joint.modified_by = actor
    joint.save()
    changes = audit.changes_between(before, audit.snapshot(joint, _JOINT_FIELDS))
    words = []
    if not before:
        words.append("Handled jointly with other bodies (regulation 9).")
    if "consent_to_share" in changes or "consent_on" in changes:
        words.append(
            f"Consent to share: {joint.get_consent_to_share_display().lower()}"
            + (f" on {long_date(joint.consent_on)}." if joint.consent_on else ".")
        )
    if lead is not UNCHANGED and (lead.pk if lead else None) != (previous_lead.pk if previous_lead else None):
        joint.bodies.filter(is_lead=True).update(is_lead=False, modified_by=actor)
        if lead is not None:
            JointBody.objects.filter(pk=lead.pk).update(is_lead=True, modified_by=actor)
        changes["lead"] = [audit.plain(previous_lead), audit.plain(lead)]
        words.append(f"{lead.name if lead else 'The trust'} leads.")
    if "our_part" in changes or "our_part_due_on" in changes:
        if joint.our_part_due_on:
            words.append(f"The trust contributes by {weekday_date(joint.our_part_due_on)}: {_quoted(joint.our_part)}")
        elif joint.our_part:
            words.append(f"The trust contributes: {_quoted(joint.our_part)}")
    if changes:
        _on_timeline(case, "Joint complaint: " + " ".join(words) if before else " ".join(words), actor=actor)
        audit.record(
            actor=actor,
            action="joint_complaint.recorded" if not before else "joint_complaint.changed",
            target=joint,
            case=case,
            changes=changes,
        )
    return joint


@transaction.atomic
def add_joint_body(
    joint: JointComplaint,
    *,
    name: str,
    kind: str,
    actor,
    contact: str = "",
    contributes: str = "",
    is_lead: bool = False,
) -> JointBody:
    """Add another organisation the complaint is handled with, what it contributes, and whether it leads."""
    require(actor, Permission.COORDINATE_JOINT_WORK, _JOINT_WORK)
    joint = JointComplaint.objects.select_for_update(of=("self",)).select_related("case").get(pk=joint.pk)
    problems: dict[str, list[str]] = {}
    name = " ".join(
        _text(problems, "name", name, label="the organisation's name", limit=NAME_MAX_CHARACTERS, required=True).split()
    )
    if name and "name" not in problems and joint.bodies.filter(name__iexact=name).exists():
        problems["name"] = [f"{name} is already one of the bodies of this joint complaint."]
    if kind not in JointBody.Kind.values:
        problems["kind"] = ["Choose what kind of organisation it is."]
    contact = _text(problems, "contact", contact, label="who to contact there")
    contributes = _text(problems, "contributes", contributes, label="what they contribute")
    if problems:
        raise ValidationError(problems)
    previous_lead = joint.bodies.filter(is_lead=True).first() if is_lead else None
    if previous_lead is not None:
        previous_lead.is_lead = False
        previous_lead.modified_by = actor
        previous_lead.save(update_fields=["is_lead", "modified_by", "modified_at"])
    body = JointBody.objects.create(
        joint_complaint=joint,
        name=name,
        kind=kind,
        contact=contact,
        contributes=contributes,
        is_lead=is_lead,
        created_by=actor,
        modified_by=actor,
    )
    text = f"Joint complaint: {name} ({body.get_kind_display().lower()}) added"
    text += f", and leads{f' instead of {previous_lead.name}' if previous_lead else ''}." if is_lead else "."
    if contributes:
        text += f" They contribute: {_quoted(contributes)}"
    _on_timeline(joint.case, text, actor=actor)
    audit.record(
        actor=actor,
        action="joint_body.added",
        target=body,
        case=joint.case,
        changes={
            "name": [None, name],
            "kind": [None, kind],
            "is_lead": [None, is_lead],
            "contributes": [None, contributes],
        },
        context={"lead_before": previous_lead} if previous_lead else None,
    )
    return body


@transaction.atomic
def record_our_part_sent(joint: JointComplaint, *, sent_on: datetime.date, actor) -> JointComplaint:
    """Record that the trust sent its contribution to the lead body: its deadline is then met."""
    require(actor, Permission.COORDINATE_JOINT_WORK, _JOINT_WORK)
    joint = JointComplaint.objects.select_for_update(of=("self",)).select_related("case").get(pk=joint.pk)
    if not joint.our_part:
        raise RuleBroken("Record what the trust contributes before recording it as sent.")
    if joint.our_part_sent_on is not None:
        raise RuleBroken(f"The trust's contribution was recorded as sent on {long_date(joint.our_part_sent_on)}.")
    problems: dict[str, list[str]] = {}
    _past_date(problems, "sent_on", sent_on, label="the date it was sent")
    if problems:
        raise ValidationError(problems)
    joint.our_part_sent_on = sent_on
    joint.modified_by = actor
    joint.save(update_fields=["our_part_sent_on", "modified_by", "modified_at"])
    lateness = _lateness(sent_on, joint.our_part_due_on) if joint.our_part_due_on else ""
    _on_timeline(
        joint.case, f"Joint complaint: the trust's contribution sent on {long_date(sent_on)}.{lateness}", actor=actor
    )
    audit.record(
        actor=actor,
        action="joint_complaint.our_part_sent",
        target=joint,
        case=joint.case,
        changes={"our_part_sent_on": [None, sent_on]},
    )
    return joint


# --- Contributions -------------------------------------------------------------------------------------------------


@transaction.atomic
def request_contribution(
    case: Case,
    *,
    what_is_asked: str,
    requested_on: datetime.date,
    due_on: datetime.date,
    actor,
    from_division=None,
    from_body: JointBody | None = None,
    asked_user=None,
) -> Contribution:
    """Ask another division (and a named colleague there) or an organisation of the joint complaint for their
    contribution by a date. Nothing goes to another organisation before the complainant consents to sharing."""
    require(actor, Permission.COORDINATE_JOINT_WORK, _JOINT_WORK)
    problems: dict[str, list[str]] = {}
    if (from_division is None) == (from_body is None):
        problems["from_division"] = ["Choose the division asked, or the organisation of the joint complaint (one)."]
    if from_body is not None:
        joint = getattr(case, "joint_complaint", None) if case.kind in FORMAL_KINDS else None
        if joint is None or from_body.joint_complaint_id != joint.pk:
            problems["from_body"] = ["Choose an organisation this complaint is handled jointly with."]
        elif joint.consent_to_share != JointComplaint.Consent.GIVEN:
            # Regulation 9 joint handling shares the complaint; the complainant agrees to that first.
            problems["from_body"] = [
                f"The complainant has not consented to sharing their complaint with {from_body.name} "
                f"({joint.get_consent_to_share_display().lower()}). Record their consent first."
            ]
        if asked_user is not None:
            problems["asked_user"] = ["Only a colleague in a division can be named; leave it out for an organisation."]
    if from_division is not None and not from_division.is_active:
        problems["from_division"] = [f"{from_division} is no longer in use."]
    if asked_user is not None and from_body is None:
        if not asked_user.is_active:
            problems["asked_user"] = [f"{asked_user}'s account is not active."]
        elif not _can_see(asked_user, case):
            problems["asked_user"] = [
                f"{asked_user} cannot see {case.reference}, so the request would not reach their My work. Name "
                "someone who can, or leave the name out and chase the division."
            ]
    what_is_asked = _text(problems, "what_is_asked", what_is_asked, label="what is asked", required=True)
    _past_date(
        problems,
        "requested_on",
        requested_on,
        label="the date it was asked",
        not_before=case.received_on,
        not_before_is="the day the case was received",
    )
    if due_on is None:
        problems["due_on"] = ["Enter the date the contribution is due."]
    elif requested_on is not None and due_on < requested_on:
        problems["due_on"] = [f"The due date cannot be before the day it was asked ({long_date(requested_on)})."]
    if problems:
        raise ValidationError(problems)
    contribution = Contribution.objects.create(
        case=case,
        from_division=from_division,
        from_body=from_body,
        asked_user=asked_user,
        what_is_asked=what_is_asked,
        requested_on=requested_on,
        due_on=due_on,
        created_by=actor,
        modified_by=actor,
    )
    _on_timeline(
        case,
        f"Contribution asked of {contribution.source_name} on {long_date(requested_on)}: {_quoted(what_is_asked)} "
        f"Due {weekday_date(due_on)}.",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="contribution.requested",
        target=contribution,
        case=case,
        changes={
            "from_division": [None, from_division],
            "from_body": [None, from_body],
            "asked_user": [None, asked_user],
            "what_is_asked": [None, what_is_asked],
            "requested_on": [None, requested_on],
            "due_on": [None, due_on],
        },
    )
    return contribution


def _contribution_for_change(contribution: Contribution) -> Contribution:
    locked = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("case", "from_division", "from_body", "asked_user")
        .get(pk=contribution.pk)
    )
    if locked.received_on is not None:
        raise RuleBroken(f"The contribution from {locked.source_name} came on {long_date(locked.received_on)}.")
    return locked


@transaction.atomic
def chase_contribution(
    contribution: Contribution, *, actor, sent_on: datetime.date | None = None, note: str = ""
) -> Chaser:
    """Record a chaser sent for a contribution still awaited (today unless another day is given)."""
    require(actor, Permission.COORDINATE_JOINT_WORK, _JOINT_WORK)
    contribution = _contribution_for_change(contribution)
    sent_on = sent_on or timezone.localdate()
    problems: dict[str, list[str]] = {}
    _past_date(
        problems,
        "sent_on",
        sent_on,
        label="the date the chaser was sent",
        not_before=contribution.requested_on,
        not_before_is="the day it was asked",
    )
    note = _text(problems, "note", note, label="the note")
    if problems:
        raise ValidationError(problems)
    chaser = Chaser.objects.create(
        contribution=contribution, sent_on=sent_on, note=note, created_by=actor, modified_by=actor
    )
    number = contribution.chasers.count()
    overdue = (sent_on - contribution.due_on).days
    when = (
        f"{overdue} day{'s' if overdue != 1 else ''} overdue"
        if overdue > 0
        else f"due {long_date(contribution.due_on)}"
    )
    _on_timeline(
        contribution.case,
        f"Chaser {number} sent to {contribution.source_name} on {long_date(sent_on)} for their contribution "
        f"({when}).{f' {note}' if note else ''}",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="contribution.chased",
        target=chaser,
        case=contribution.case,
        changes={"sent_on": [None, sent_on]},
        context={"contribution": contribution, "chaser": number, "note": note},
    )
    return chaser


@transaction.atomic
def record_contribution_received(
    contribution: Contribution, *, received_on: datetime.date, what_was_received: str, actor
) -> Contribution:
    """Record the contribution as received, with what it was. The colleague asked may record their own."""
    if actor is None or actor.pk != contribution.asked_user_id:
        require(actor, Permission.COORDINATE_JOINT_WORK, _JOINT_WORK)
    contribution = _contribution_for_change(contribution)
    problems: dict[str, list[str]] = {}
    _past_date(
        problems,
        "received_on",
        received_on,
        label="the date it came",
        not_before=contribution.requested_on,
        not_before_is="the day it was asked",
    )
    what_was_received = _text(
        problems, "what_was_received", what_was_received, label="what was received", required=True
    )
    if problems:
        raise ValidationError(problems)
    contribution.received_on = received_on
    contribution.what_was_received = what_was_received
    contribution.modified_by = actor
    contribution.save(update_fields=["received_on", "what_was_received", "modified_by", "modified_at"])
    _on_timeline(
        contribution.case,
        f"Contribution from {contribution.source_name} received on {long_date(received_on)}: "
        f"{_quoted(what_was_received)}{_lateness(received_on, contribution.due_on)}",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="contribution.received",
        target=contribution,
        case=contribution.case,
        changes={"received_on": [None, received_on], "what_was_received": [None, what_was_received]},
    )
    return contribution
