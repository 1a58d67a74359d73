"""Writes for the clocks on a case: agreed response dates and extensions, holds, the 12-month decision,
delay letters, and changes to the calendar that move the deadlines depending on it.

Each function locks the case (a stale form is refused), checks the actor's role, and writes its
timeline entry and audit event in the same transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, require
from palsdesk.audit import services as audit
from palsdesk.cases import timeline, workflow
from palsdesk.cases.concurrency import lock_for_change
from palsdesk.cases.models import OPEN_STATUSES, Case, Kind, ResponseDueBasis, TimelineEntry
from palsdesk.core.dates import long_date
from palsdesk.core.errors import RuleBroken
from palsdesk.deadlines import clocks, rules
from palsdesk.deadlines.models import (
    ClockHold,
    HoldReason,
    NonWorkingDay,
    ResponseDateChange,
    TimeLimitDecision,
)
from palsdesk.deadlines.selectors import (
    CALENDAR_FIRST,
    CALENDAR_LAST,
    forget_calendar,
    response_target_working_days,
    statutory_calendar,
    working_day_calendar,
)

# Every field the clocks write; audit snapshots before and after a change use them all.
CLOCK_FIELDS = [
    "clocks_start_on",
    "acknowledgement_due_on",
    "acknowledged_on",
    "response_due_on",
    "response_due_basis",
    "response_clock_from",
    "response_target_working_days",
    "held_working_days",
    "on_hold_since",
    "responded_on",
    "long_stop_on",
    "delay_letter_sent_on",
    "time_limit_on",
    "closed_on",
    "next_due_on",
]
TEXT_LIMIT = 2_000


def work_out_clocks(case: Case) -> None:
    """Set every clock field from the case's dates, its agreed response dates and its holds. Does not save."""
    if case.kind in workflow.ACKNOWLEDGED_KINDS:
        case.acknowledgement_due_on = rules.acknowledgement_due_on(statutory_calendar(), case.complaint_made_on)
    if case.response_due_basis == ResponseDueBasis.TARGET:
        case.response_clock_from = case.response_clock_from or case.complaint_made_on
        if case.response_target_working_days is None:
            grade = case.grade if case.grade_id else None
            case.response_target_working_days = response_target_working_days(case.kind, grade=grade)
        if case.response_target_working_days:
            case.response_due_on = rules.response_due_on(
                working_day_calendar(),
                case.response_clock_from,
                case.response_target_working_days + case.held_working_days,
            )
        else:
            case.response_due_on = None
    # Regulations 12 and 14 are about complaints; MP letters and PALS work have no long-stop or time limit.
    if case.kind == Kind.COMPLAINT:
        case.time_limit_on = rules.time_limit_on(case.event_on, case.became_aware_on)
        if case.reopened_count:
            # The long-stop governs the first response; a reopened complaint runs on its new response date.
            case.long_stop_on = None
        else:
            agreements = []
            if case.pk and case.response_due_basis != ResponseDueBasis.TARGET:
                agreements = list(case.response_date_changes.values_list("agreed_on", "new_due_on"))
            case.long_stop_on = rules.long_stop_on(case.complaint_made_on, agreements=agreements)
    case.next_due_on = clocks.next_due_on(case)


def refresh_next_due(case: Case) -> None:
    case.next_due_on = clocks.next_due_on(case)


def _check_day(problems: dict, name: str, day: datetime.date | None, case: Case, *, label: str) -> None:
    today = timezone.localdate()
    if day is None:
        problems.setdefault(name, []).append(f"Enter the {label}.")
    elif day > today:
        problems.setdefault(name, []).append(f"The {label} must be today or in the past.")
    elif day < case.received_on:
        problems.setdefault(name, []).append(
            f"The {label} must be on or after the received date, {long_date(case.received_on)}."
        )


def _check_text(problems: dict, name: str, value: str, *, label: str, required: bool, limit: int = TEXT_LIMIT):
    if required and not (value or "").strip():
        problems.setdefault(name, []).append(f"Enter {label}.")
    elif value and len(value) > limit:
        problems.setdefault(name, []).append(f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer.")


def _save_change(case: Case, *, actor, before: dict, action: str, body: str, context: dict | None = None) -> Case:
    case.version += 1
    case.modified_by = actor
    case.save()
    timeline.add_entry(case, kind=TimelineEntry.EntryKind.DEADLINE, body=body, actor=actor)
    audit.record(
        actor=actor,
        action=action,
        target=case,
        case=case,
        changes=audit.changes_between(before, audit.snapshot(case, CLOCK_FIELDS)),
        context=context or {},
    )
    return case


def _ensure_response_outstanding(case: Case) -> None:
    if not case.is_open:
        raise RuleBroken(f"{case.reference} is finished: its response date can no longer change.")
    if case.responded_on:
        raise RuleBroken(
            f"The response was sent on {long_date(case.responded_on)}: there is no response date to change."
        )
    if case.response_due_on is None:
        raise RuleBroken("This case has no response date to change.")


@transaction.atomic
def agree_response_date(
    case: Case,
    *,
    due_on: datetime.date,
    agreed_with: str,
    agreed_on: datetime.date,
    actor,
    reason: str = "",
    is_late: bool = False,
    late_reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """Regulation 13(7): the response date agreed with the complainant when the offer to discuss is made."""
    return _change_response_date(
        case,
        kind=ResponseDateChange.Kind.AGREED,
        due_on=due_on,
        agreed_with=agreed_with,
        agreed_on=agreed_on,
        reason=reason,
        is_late=is_late,
        late_reason=late_reason,
        actor=actor,
        expected_version=expected_version,
    )


@transaction.atomic
def agree_extension(
    case: Case,
    *,
    due_on: datetime.date,
    reason: str,
    agreed_with: str,
    agreed_on: datetime.date,
    actor,
    is_late: bool = False,
    late_reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """A later response date, agreed with the complainant. Agreed after the date it replaces, it must say why."""
    return _change_response_date(
        case,
        kind=ResponseDateChange.Kind.EXTENSION,
        due_on=due_on,
        agreed_with=agreed_with,
        agreed_on=agreed_on,
        reason=reason,
        is_late=is_late,
        late_reason=late_reason,
        actor=actor,
        expected_version=expected_version,
    )


def _change_response_date(
    case: Case,
    *,
    kind: str,
    due_on,
    agreed_with,
    agreed_on,
    reason,
    is_late,
    late_reason,
    actor,
    expected_version,
) -> Case:
    case = lock_for_change(case, expected_version)
    require(actor, Permission.MOVE_CASE, "agree response dates")
    _ensure_response_outstanding(case)
    is_extension = kind == ResponseDateChange.Kind.EXTENSION
    if not is_extension and case.response_due_basis != ResponseDueBasis.TARGET:
        raise RuleBroken("A response date is already agreed. Record an extension to change it.")
    problems: dict[str, list[str]] = {}
    agreed_with, reason, late_reason = (agreed_with or "").strip(), (reason or "").strip(), (late_reason or "").strip()
    _check_text(problems, "agreed_with", agreed_with, label="who agreed it, and how", required=True, limit=200)
    _check_text(problems, "reason", reason, label="the reason for the extension", required=is_extension)
    _check_day(problems, "agreed_on", agreed_on, case, label="date it was agreed")
    previous = case.response_due_on
    if due_on is None:
        problems.setdefault("due_on", []).append("Enter the new response date.")
    elif not CALENDAR_FIRST <= due_on <= CALENDAR_LAST:
        problems.setdefault("due_on", []).append("The response date is outside the working-day calendar.")
    elif agreed_on and due_on < agreed_on:
        problems.setdefault("due_on", []).append("The response date must be on or after the day it was agreed.")
    elif is_extension and due_on <= previous:
        problems.setdefault("due_on", []).append(
            f"An extension must move the response date later than {long_date(previous)}."
        )
    # An extension agreed after the date it replaces was, in fact, a deadline missed: say so, and why.
    agreed_late = agreed_on is not None and agreed_on > previous
    if agreed_late and not (is_late and late_reason):
        problems.setdefault("is_late", []).append(
            f"This was agreed on {long_date(agreed_on)}, after the date it replaces ({long_date(previous)}). "
            "Mark it as agreed late and give the reason."
        )
    elif is_late and not agreed_late and agreed_on is not None:
        problems.setdefault("is_late", []).append(
            f"It was agreed on or before {long_date(previous)}, so it was not late."
        )
    _check_text(problems, "late_reason", late_reason, label="why it was agreed late", required=False)
    if problems:
        raise ValidationError(problems)

    before = audit.snapshot(case, CLOCK_FIELDS)
    ResponseDateChange.objects.create(
        case=case,
        kind=kind,
        previous_due_on=previous,
        new_due_on=due_on,
        reason=reason,
        agreed_with=agreed_with,
        agreed_on=agreed_on,
        is_late=agreed_late,
        late_reason=late_reason,
        recorded_by=actor,
    )
    case.response_due_on = due_on
    case.response_due_basis = ResponseDueBasis.EXTENDED if is_extension else ResponseDueBasis.AGREED
    work_out_clocks(case)
    what = "Response date extended" if is_extension else "Response date agreed"
    body = f"{what} to {long_date(due_on)} with {agreed_with} on {long_date(agreed_on)} (was {long_date(previous)})."
    if reason:
        body += f" Reason: {reason}"
    if agreed_late:
        body += f" Agreed late: {late_reason}"
    return _save_change(
        case,
        actor=actor,
        before=before,
        action=f"case.response_date_{'extended' if is_extension else 'agreed'}",
        body=body,
    )


@transaction.atomic
def put_on_hold(
    case: Case,
    *,
    reason: HoldReason,
    started_on: datetime.date,
    actor,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """Stop the trust's response clock for a reason the trust allows. The statutory clocks keep running."""
    case = lock_for_change(case, expected_version)
    require(actor, Permission.MOVE_CASE, "put cases on hold")
    _ensure_response_outstanding(case)
    if case.on_hold_since:
        raise RuleBroken(f"{case.reference} has been on hold since {long_date(case.on_hold_since)}.")
    problems: dict[str, list[str]] = {}
    if reason is None:
        problems["reason"] = ["Choose why the clock is held."]
    elif not reason.is_active:
        problems["reason"] = [f"'{reason}' is no longer a reason the trust allows. Choose another."]
    _check_day(problems, "started_on", started_on, case, label="date the hold started")
    _check_text(problems, "note", note, label="the note", required=False)
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(case, CLOCK_FIELDS)
    ClockHold.objects.create(
        case=case, reason=reason, note=(note or "").strip(), started_on=started_on, started_by=actor
    )
    case.on_hold_since = started_on
    refresh_next_due(case)
    note = (note or "").strip()
    body = f"Response clock on hold from {long_date(started_on)}: {reason}."
    if note:
        body += f" {note}"
    if case.response_due_basis != ResponseDueBasis.TARGET:
        body += " The response date was agreed with the complainant, so it moves only by an agreed extension."
    return _save_change(
        case,
        actor=actor,
        before=before,
        action="case.put_on_hold",
        body=body,
        context={"reason": reason.code, "note": note},
    )


def _end_hold(case: Case, *, ended_on: datetime.date, actor) -> int:
    hold = ClockHold.objects.select_for_update().get(case=case, ended_on__isnull=True)
    if ended_on < hold.started_on:
        raise ValidationError(
            {"ended_on": [f"The hold cannot end before it started, on {long_date(hold.started_on)}."]}
        )
    held = max(working_day_calendar().working_days_between(hold.started_on, ended_on), 0)
    hold.ended_on, hold.working_days_held, hold.ended_by = ended_on, held, actor
    hold.save(update_fields=["ended_on", "working_days_held", "ended_by"])
    case.on_hold_since = None
    if case.response_due_basis == ResponseDueBasis.TARGET:
        case.held_working_days += held
    work_out_clocks(case)
    return held


@transaction.atomic
def release_hold(case: Case, *, ended_on: datetime.date, actor, expected_version: int | None = None) -> Case:
    """Restart the response clock; a target-based date moves on by the working days held."""
    case = lock_for_change(case, expected_version)
    require(actor, Permission.MOVE_CASE, "take cases off hold")
    if not case.on_hold_since:
        raise RuleBroken(f"{case.reference} is not on hold.")
    problems: dict[str, list[str]] = {}
    _check_day(problems, "ended_on", ended_on, case, label="date the hold ended")
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(case, CLOCK_FIELDS)
    held = _end_hold(case, ended_on=ended_on, actor=actor)
    body = f"Hold ended on {long_date(ended_on)} after {held} working day{'s' if held != 1 else ''}."
    if case.response_due_on and case.response_due_basis == ResponseDueBasis.TARGET:
        body += f" The response is now due {long_date(case.response_due_on)}."
    return _save_change(case, actor=actor, before=before, action="case.hold_released", body=body)


def end_hold_when_finished(case: Case, *, on: datetime.date, actor) -> None:
    """A case that is responded to, resolved or closed while on hold leaves the hold on that day."""
    if case.on_hold_since:
        _end_hold(case, ended_on=max(on, case.on_hold_since), actor=actor)


@transaction.atomic
def record_time_limit_decision(
    case: Case,
    *,
    has_good_reasons: bool,
    can_investigate_fairly: bool,
    rationale: str,
    decided_on: datetime.date,
    actor,
    expected_version: int | None = None,
) -> TimeLimitDecision:
    """Regulation 12(4): a late complaint is taken on only for good reasons, if it can still be fairly investigated."""
    case = lock_for_change(case, expected_version)
    require(actor, Permission.DECIDE_TIME_LIMIT, "decide on complaints made after the time limit")
    if case.kind != Kind.COMPLAINT:
        raise RuleBroken("The 12-month time limit (regulation 12) applies to complaints only.")
    if not case.is_out_of_time:
        raise RuleBroken("This complaint was made within the 12-month time limit: no decision is needed.")
    problems: dict[str, list[str]] = {}
    _check_text(problems, "rationale", rationale, label="the reasons for the decision", required=True, limit=5_000)
    _check_day(problems, "decided_on", decided_on, case, label="date of the decision")
    if problems:
        raise ValidationError(problems)
    existing = TimeLimitDecision.objects.filter(case=case).first()
    before = (
        audit.snapshot(
            existing, ["has_good_reasons", "can_investigate_fairly", "rationale", "decided_on", "decided_by"]
        )
        if existing
        else {}
    )
    decision = existing or TimeLimitDecision(case=case)
    decision.has_good_reasons = has_good_reasons
    decision.can_investigate_fairly = can_investigate_fairly
    decision.rationale = rationale.strip()
    decision.decided_on = decided_on
    decision.decided_by = actor
    decision.save()
    after = audit.snapshot(
        decision, ["has_good_reasons", "can_investigate_fairly", "rationale", "decided_on", "decided_by"]
    )
    verdict = "taken on despite the time limit" if decision.is_accepted else "not taken on: made after the time limit"
    case.version += 1
    case.modified_by = actor
    case.save(update_fields=["version", "modified_by", "modified_at"])
    timeline.add_entry(
        case,
        kind=TimelineEntry.EntryKind.DEADLINE,
        body=f"Decided on {long_date(decided_on)}: {verdict} (regulation 12). {decision.rationale}",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="case.time_limit_decided",
        target=decision,
        case=case,
        changes=audit.changes_between(before, after),
        context={"accepted": decision.is_accepted},
    )
    return decision


@transaction.atomic
def record_delay_letter(case: Case, *, sent_on: datetime.date, actor, expected_version: int | None = None) -> Case:
    """Regulation 14(2): the letter explaining why the response has not come within the long-stop."""
    case = lock_for_change(case, expected_version)
    require(actor, Permission.MOVE_CASE, "record delay letters")
    if case.long_stop_on is None:
        raise RuleBroken("Only complaints have the 6-month long-stop and its delay letter.")
    _ensure_response_outstanding(case)
    problems: dict[str, list[str]] = {}
    _check_day(problems, "sent_on", sent_on, case, label="date the letter was sent")
    if not problems and sent_on <= case.long_stop_on:
        # Regulation 14(2) asks for this letter once the long-stop has passed; before then, a holding
        # letter or an agreed extension is the right record, and the long-stop must stay on the lists.
        problems["sent_on"] = [
            f"A delay letter is for a response not sent by the long-stop, {long_date(case.long_stop_on)}. "
            "Before then, note a holding letter on the timeline, or agree an extension."
        ]
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(case, CLOCK_FIELDS)
    case.delay_letter_sent_on = sent_on
    refresh_next_due(case)
    return _save_change(
        case,
        actor=actor,
        before=before,
        action="case.delay_letter_sent",
        body=f"Delay letter sent on {long_date(sent_on)} (regulation 14): the response is past the long-stop.",
    )


# --- The calendar ------------------------------------------------------------------------------


def _check_calendar_change(problems: dict, reason: str) -> None:
    _check_text(problems, "reason", reason, label="the reason for the change", required=True)


@transaction.atomic
def add_non_working_day(*, day: datetime.date, name: str, kind: str, reason: str, actor) -> tuple[NonWorkingDay, int]:
    """A trust closure day or a one-off bank holiday; open deadlines that span it move on.

    Returns the day and how many open cases' deadlines moved.
    """
    require(actor, Permission.ADMINISTER, "change the working-day calendar")
    problems: dict[str, list[str]] = {}
    name, reason = (name or "").strip(), (reason or "").strip()
    _check_text(problems, "name", name, label="the day's name", required=True, limit=120)
    _check_calendar_change(problems, reason)
    if kind not in NonWorkingDay.Kind.values:
        problems["kind"] = ["Choose a bank holiday or a trust closure day."]
    if day is None:
        problems["day"] = ["Enter the date."]
    elif not CALENDAR_FIRST <= day <= CALENDAR_LAST:
        problems["day"] = [f"The date must be between {long_date(CALENDAR_FIRST)} and {long_date(CALENDAR_LAST)}."]
    elif day.weekday() >= 5:
        problems["day"] = [f"{day:%A} {long_date(day)} is a weekend day: it is never a working day."]
    elif (existing := NonWorkingDay.objects.filter(date=day).first()) is not None:
        problems["day"] = [f"{long_date(day)} is already not a working day: {existing.name}."]
    if problems:
        raise ValidationError(problems)
    added = NonWorkingDay.objects.create(
        date=day, name=name, kind=kind, reason=reason, created_by=actor, modified_by=actor
    )
    audit.record(
        actor=actor,
        action="calendar.day_added",
        target=added,
        changes={"date": [None, day], "name": [None, name], "kind": [None, kind]},
        context={"reason": reason},
    )
    forget_calendar()
    moved = recompute_deadlines_spanning(
        day, actor=actor, why=f"{name} ({long_date(day)}) is no longer a working day: {reason}"
    )
    return added, moved


@transaction.atomic
def remove_non_working_day(closed_day: NonWorkingDay, *, reason: str, actor) -> int:
    """Make a day a working day again; open deadlines that span it move back. Returns how many cases moved."""
    require(actor, Permission.ADMINISTER, "change the working-day calendar")
    problems: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    _check_calendar_change(problems, reason)
    if problems:
        raise ValidationError(problems)
    day, name = closed_day.date, closed_day.name
    audit.record(
        actor=actor,
        action="calendar.day_removed",
        target=closed_day,
        changes={"date": [day, None], "name": [name, None], "kind": [closed_day.kind, None]},
        context={"reason": reason},
    )
    closed_day.delete()
    forget_calendar()
    return recompute_deadlines_spanning(
        day, actor=actor, why=f"{name} ({long_date(day)}) is a working day again: {reason}"
    )


def recompute_deadlines_spanning(day: datetime.date, *, actor, why: str) -> int:
    """Work the clocks out again for open cases whose computed deadlines run across the day.

    Agreed response dates are fixed dates agreed with the complainant, so they do not move; the
    acknowledgement and target-based response dates do. Each case that moves gets a timeline entry
    and an audit event, in the calendar change's transaction.
    """
    spanning = Q(received_on__lte=day) & (
        Q(acknowledged_on__isnull=True, acknowledgement_due_on__gte=day)
        | Q(
            responded_on__isnull=True,
            response_due_basis=ResponseDueBasis.TARGET,
            response_clock_from__lte=day,
            response_due_on__gte=day,
        )
    )
    moved = 0
    for case in Case.objects.select_for_update().filter(spanning, status__in=OPEN_STATUSES).order_by("pk"):
        before = audit.snapshot(case, CLOCK_FIELDS)
        work_out_clocks(case)
        changes = audit.changes_between(before, audit.snapshot(case, CLOCK_FIELDS))
        if not changes:
            continue
        case.version += 1
        case.modified_by = actor
        case.save()
        timeline.add_entry(case, kind=TimelineEntry.EntryKind.DEADLINE, body=f"Deadlines moved. {why}", actor=actor)
        audit.record(
            actor=actor,
            action="case.deadlines_recomputed",
            target=case,
            case=case,
            changes=changes,
            context={"why": why},
        )
        moved += 1
    return moved
