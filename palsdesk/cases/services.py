"""Every write to a case: logging it, moving it along its pathway, escalating, assigning, notes, calls, links.

Each function is one thing a person does. It checks the actor's role, runs in one transaction and
writes its timeline entry and audit event in that same transaction. Callers find the case through
cases.selectors.cases_visible_to(user) first, so a service never sees a case its actor may not.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, can, require
from palsdesk.audit import services as audit
from palsdesk.cases import guards, timeline, workflow
from palsdesk.cases.concurrency import lock_for_change
from palsdesk.cases.models import (
    FINISHED_STATUSES,
    REFERENCE_PREFIX,
    AcknowledgementMethod,
    Case,
    CaseLink,
    Kind,
    ReferenceSequence,
    ResponseDueBasis,
    Status,
    TimelineEntry,
)
from palsdesk.coding.models import CaseIssue
from palsdesk.core.dates import long_date
from palsdesk.core.errors import RuleBroken
from palsdesk.deadlines import services as deadline_services
from palsdesk.deadlines.selectors import CALENDAR_FIRST
from palsdesk.people.models import CaseParty, Consent, PartyRole
from palsdesk.people.services import PersonDetails, add_person_to_case

ACCOUNT_MAX_CHARACTERS = 20_000
OUTCOME_WANTED_MAX_CHARACTERS = 5_000
NOTE_MAX_CHARACTERS = 20_000
REASON_MAX_CHARACTERS = 2_000

# The fields a caseworker may change after logging, and what the audit trail records for each.
EDITABLE_FIELDS = [
    "channel",
    "received_on",
    "summary",
    "account",
    "outcome_wanted",
    "division",
    "site",
    "service",
    "event_on",
    "became_aware_on",
    "is_safeguarding",
    "is_vulnerable_person",
    "has_mp_interest",
    "has_media_interest",
    "is_staff_complainant",
]
_CLOCK_FIELDS = [*deadline_services.CLOCK_FIELDS, "acknowledgement_method"]

UNCHANGED = object()


def _lower_first(text: str) -> str:
    """'Via an MP' becomes 'via an MP': lower-case the start of a label, never its acronyms."""
    return text[:1].lower() + text[1:]


def _check_text(problems: dict, name: str, value: str, *, label: str, limit: int, required: bool = False) -> None:
    if required and not (value or "").strip():
        problems.setdefault(name, []).append(f"Enter {label}.")
    elif value and len(value) > limit:
        problems.setdefault(name, []).append(
            f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer; it has {len(value):,}."
        )


def _check_case_fields(case: Case) -> None:
    """Field and date rules shared by logging a case and editing it."""
    problems: dict[str, list[str]] = {}
    try:
        # Related objects come from querysets already, so their existence is not checked again (a query each).
        case.full_clean(
            exclude=[
                "reference",
                "status",
                "named_users",
                "version",
                "created_by",
                "modified_by",
                "division",
                "site",
                "service",
                "case_officer",
                "investigating_manager",
                "escalated_from",
            ]
        )
    except ValidationError as error:
        problems.update(error.message_dict)
    today = timezone.localdate()
    _check_text(problems, "summary", case.summary, label="a summary", limit=300, required=True)
    _check_text(problems, "account", case.account, label="the account", limit=ACCOUNT_MAX_CHARACTERS)
    _check_text(
        problems, "outcome_wanted", case.outcome_wanted, label="the outcome wanted", limit=OUTCOME_WANTED_MAX_CHARACTERS
    )
    if case.received_on:
        if case.received_on > today:
            problems.setdefault("received_on", []).append("The received date must be today or in the past.")
        elif case.received_on < CALENDAR_FIRST:
            problems.setdefault("received_on", []).append(
                f"The received date must be on or after {long_date(CALENDAR_FIRST)}."
            )
    for name, label in (("event_on", "The date of the event"), ("became_aware_on", "The date they became aware")):
        value = getattr(case, name)
        if value and value > today:
            problems.setdefault(name, []).append(f"{label} must be today or in the past.")
    if case.event_on and case.became_aware_on and case.became_aware_on < case.event_on:
        problems.setdefault("became_aware_on", []).append(
            "The date they became aware must be on or after the date of the event."
        )
    if case.event_on and case.received_on and case.event_on > case.received_on:
        problems.setdefault("event_on", []).append("The date of the event must be on or before the received date.")
    if not case.division_id:
        problems.setdefault("division", []).append("Choose the division.")
    elif not case.division.is_active:
        problems.setdefault("division", []).append(f"{case.division} is no longer in use. Choose another division.")
    if case.site_id and not case.site.is_active:
        problems.setdefault("site", []).append(f"{case.site} is no longer in use. Choose another site.")
    if case.service_id:
        if not case.service.is_active:
            problems.setdefault("service", []).append(f"{case.service} is no longer in use. Choose another service.")
        elif case.division_id and case.service.division_id != case.division_id:
            problems.setdefault("service", []).append(
                f"{case.service} is run by {case.service.division}, not {case.division}. "
                "Choose a service in the case's division, or change the division."
            )
    if problems:
        raise ValidationError(problems)


def _next_reference(kind: str, year: int) -> str:
    # One UPDATE both reserves and reads the number, so two officers logging at once never share one.
    for _ in range(2):
        updated = ReferenceSequence.objects.filter(kind=kind, year=year).update(last_number=F("last_number") + 1)
        if updated:
            number = ReferenceSequence.objects.get(kind=kind, year=year).last_number
            return f"{REFERENCE_PREFIX[Kind(kind)]}-{year}-{number:05d}"
        try:
            with transaction.atomic():
                ReferenceSequence.objects.create(kind=kind, year=year, last_number=0)
        except IntegrityError:
            pass  # another transaction made the row first; the UPDATE above now finds it
    raise RuleBroken("Could not allocate a case reference; try again.")


def _check_case_officer(user, field_name: str = "case_officer") -> None:
    if user is not None and (not user.is_active or not can(user, Permission.MOVE_CASE)):
        raise ValidationError({field_name: [f"{user} cannot be a case officer: their role does not work cases."]})


def _check_investigator(user) -> None:
    if user is not None and (not user.is_active or not can(user, Permission.INVESTIGATE)):
        raise ValidationError(
            {"investigating_manager": [f"{user} cannot investigate: their role does not investigate cases."]}
        )


def _create_case(*, actor, kind: str, escalated_from: Case | None = None, case_officer=None, **values) -> Case:
    case = Case(kind=kind, status=workflow.INITIAL_STATUS[Kind(kind)], created_by=actor, modified_by=actor, **values)
    case.escalated_from = escalated_from
    case.case_officer = case_officer
    if case.is_staff_complainant:
        case.is_restricted = True
    _check_case_fields(case)
    deadline_services.work_out_clocks(case)
    case.reference = _next_reference(kind, case.received_on.year)
    case.save()
    if case.is_restricted:
        case.named_users.add(*{u for u in (actor, case_officer) if u is not None})
    return case


@transaction.atomic
def open_case(
    *,
    actor,
    kind: str,
    channel: str,
    received_on: datetime.date,
    division,
    summary: str,
    account: str = "",
    outcome_wanted: str = "",
    site=None,
    service=None,
    event_on: datetime.date | None = None,
    became_aware_on: datetime.date | None = None,
    is_safeguarding: bool = False,
    is_vulnerable_person: bool = False,
    has_mp_interest: bool = False,
    has_media_interest: bool = False,
    is_staff_complainant: bool = False,
    case_officer=None,
    complainant: PersonDetails | None = None,
    complainant_is_patient: bool = False,
    relationship_to_patient: str = "",
    patient: PersonDetails | None = None,
) -> Case:
    """Log a new case with the person who raised it and the patient it is about.

    The complainant is the person raising it. If they are the patient, they hold both roles; if they
    act for the patient (relationship_to_patient given), they are the patient's representative.
    """
    if kind not in Kind.values:
        raise ValidationError({"kind": [f"'{kind}' is not a kind of case."]})
    if kind in (Kind.COMPLAINT, Kind.MP_LETTER):
        require(actor, Permission.LOG_COMPLAINT, f"log {workflow.with_article(kind)}")
    else:
        require(actor, Permission.LOG_PALS_CASE, f"log {workflow.with_article(kind)}")
    if complainant_is_patient and patient is not None:
        raise ValidationError(
            {"patient": ["The complainant is the patient, so give their details once, as the complainant."]}
        )
    if complainant_is_patient and complainant is None:
        raise ValidationError({"complainant": ["Give the complainant's details."]})
    if relationship_to_patient and complainant is None:
        raise ValidationError({"relationship_to_patient": ["A relationship needs a complainant to go with it."]})
    _check_case_officer(case_officer)

    case = _create_case(
        actor=actor,
        kind=kind,
        case_officer=case_officer,
        channel=channel,
        received_on=received_on,
        division=division,
        site=site,
        service=service,
        summary=(summary or "").strip(),
        account=(account or "").strip(),
        outcome_wanted=(outcome_wanted or "").strip(),
        event_on=event_on,
        became_aware_on=became_aware_on,
        is_safeguarding=is_safeguarding,
        is_vulnerable_person=is_vulnerable_person,
        has_mp_interest=has_mp_interest or channel == "via_mp" or kind == Kind.MP_LETTER,
        has_media_interest=has_media_interest,
        is_staff_complainant=is_staff_complainant,
    )
    timeline.add_entry(
        case,
        kind=TimelineEntry.EntryKind.CREATED,
        body=f"{case.get_kind_display()} logged ({_lower_first(case.get_channel_display())}).",
        actor=actor,
    )
    if complainant is not None:
        if complainant_is_patient:
            roles = [PartyRole.PATIENT, PartyRole.COMPLAINANT]
        elif relationship_to_patient:
            roles = [PartyRole.REPRESENTATIVE]
        else:
            roles = [PartyRole.COMPLAINANT]
        add_person_to_case(
            case,
            details=complainant,
            roles=roles,
            relationship_to_patient=relationship_to_patient,
            is_main_contact=True,
            actor=actor,
            prefix="complainant.",
        )
    if patient is not None:
        add_person_to_case(case, details=patient, roles=[PartyRole.PATIENT], actor=actor, prefix="patient.")

    audit.record(
        actor=actor,
        action="case.opened",
        target=case,
        case=case,
        changes={
            name: [None, value]
            for name, value in audit.snapshot(
                case, ["kind", "status", *EDITABLE_FIELDS, "case_officer", *_CLOCK_FIELDS]
            ).items()
            if value not in (None, "", False)
        },
    )
    return case


def _apply_move(
    case: Case, transition: workflow.Transition, *, on: datetime.date, actor, acknowledgement_method: str = ""
) -> None:
    case.status = transition.target
    if transition.name == "acknowledge":
        case.acknowledged_on = on
        case.acknowledgement_method = acknowledgement_method
    elif transition.name == "send_response":
        case.responded_on = on
        deadline_services.end_hold_when_finished(case, on=on, actor=actor)
    elif transition.target in FINISHED_STATUSES:
        case.closed_on = on
        deadline_services.end_hold_when_finished(case, on=on, actor=actor)
    elif transition.name == "reopen":
        case.closed_on = None
        case.responded_on = None
        case.delay_letter_sent_on = None
        case.reopened_count += 1
        # A reopened case needs a new response; until one is agreed, the kind's target runs from the reopening.
        case.response_due_basis = ResponseDueBasis.TARGET
        case.response_clock_from = on
        case.response_target_working_days = None
        case.held_working_days = 0
        deadline_services.work_out_clocks(case)
    deadline_services.refresh_next_due(case)


def _check_move_date(problems: dict, on: datetime.date | None, case: Case) -> datetime.date:
    """The date a move happened: today unless given, never in the future nor before the case was received."""
    today = timezone.localdate()
    on = on or today
    if on > today:
        problems.setdefault("on", []).append("The date must be today or in the past.")
    elif on < case.received_on:
        problems.setdefault("on", []).append(
            f"The date must be on or after the received date, {long_date(case.received_on)}."
        )
    return on


@transaction.atomic
def move_case(
    case: Case,
    *,
    to: str,
    actor,
    reason: str = "",
    on: datetime.date | None = None,
    acknowledgement_method: str = "",
    expected_version: int | None = None,
) -> Case:
    """Move the case along its pathway to the status `to`, or refuse with InvalidTransition saying why."""
    case = lock_for_change(case, expected_version)
    transition = workflow.transition_to(case.kind, case.status, to)
    if transition.target == Status.ESCALATED:
        escalate_to_complaint(case, reason=reason, on=on, actor=actor)
        case.refresh_from_db()
        return case
    require(actor, transition.permission, transition.label.lower())
    refusal = guards.refusal(case, transition.guard)
    if refusal:
        raise workflow.InvalidTransition(refusal)
    reason = (reason or "").strip()
    problems: dict[str, list[str]] = {}
    if acknowledgement_method and transition.name != "acknowledge":
        problems["acknowledgement_method"] = ["Only an acknowledgement has a method."]
    elif acknowledgement_method and acknowledgement_method not in AcknowledgementMethod.values:
        problems["acknowledgement_method"] = [
            "Choose how the acknowledgement was sent: letter, email, phone or in person."
        ]
    if transition.needs_reason:
        _check_text(problems, "reason", reason, label="a reason", limit=REASON_MAX_CHARACTERS, required=True)
    else:
        _check_text(problems, "reason", reason, label="the reason", limit=REASON_MAX_CHARACTERS)
    on = _check_move_date(problems, on, case)
    if problems:
        raise ValidationError(problems)

    before = audit.snapshot(case, ["status", "reopened_count", *_CLOCK_FIELDS])
    old_status = case.get_status_display()
    _apply_move(case, transition, on=on, actor=actor, acknowledgement_method=acknowledgement_method)
    case.version += 1
    case.modified_by = actor
    case.save()
    body = f"{transition.label}: {old_status} → {case.get_status_display()}."
    if reason:
        body += f" Reason: {reason}"
    timeline.add_entry(case, kind=TimelineEntry.EntryKind.STATUS_CHANGE, body=body, actor=actor)
    audit.record(
        actor=actor,
        action=f"case.{transition.name}",
        target=case,
        case=case,
        changes=audit.changes_between(before, audit.snapshot(case, ["status", "reopened_count", *_CLOCK_FIELDS])),
        context={"reason": reason, "on": on} if reason else {"on": on},
    )
    return case


def _copy_issues(concern: Case, complaint: Case, *, actor) -> None:
    """The concern's coded issues start the complaint's coding; outcomes are the complaint's own to record."""
    for issue in concern.issues.prefetch_related("professions").order_by("order"):
        professions = list(issue.professions.all())
        copy = CaseIssue.objects.create(
            case=complaint,
            order=issue.order,
            description=issue.description,
            subject_id=issue.subject_id,
            clinical_subcategory_id=issue.clinical_subcategory_id,
            local_subject_id=issue.local_subject_id,
            service_area_id=issue.service_area_id,
            hcat_category_id=issue.hcat_category_id,
            hcat_severity=issue.hcat_severity,
            hcat_harm=issue.hcat_harm,
            created_by=actor,
            modified_by=actor,
        )
        copy.professions.set(professions)


@transaction.atomic
def escalate_to_complaint(
    concern: Case,
    *,
    reason: str,
    actor,
    on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """Turn a PALS concern into a formal complaint: a new linked case that keeps the concern's received date.

    `on` is the day it was agreed to go formal (today unless given); the concern is finished on that day.
    """
    concern = lock_for_change(concern, expected_version)
    transition = workflow.transition_to(concern.kind, concern.status, Status.ESCALATED)
    require(actor, transition.permission, "escalate a PALS concern")
    require(actor, Permission.LOG_COMPLAINT, "log a complaint")
    reason = (reason or "").strip()
    problems: dict[str, list[str]] = {}
    _check_text(problems, "reason", reason, label="a reason", limit=REASON_MAX_CHARACTERS, required=True)
    on = _check_move_date(problems, on, concern)
    if problems:
        raise ValidationError(problems)

    complaint = _create_case(
        actor=actor,
        kind=Kind.COMPLAINT,
        escalated_from=concern,
        case_officer=concern.case_officer,
        channel=concern.channel,
        # It keeps the concern's received date (first contact, and the 12-month limit counts to it), but
        # it was made as a complaint on the day of escalation: regulation 13's clocks run from then.
        received_on=concern.received_on,
        clocks_start_on=on if on != concern.received_on else None,
        division=concern.division,
        site=concern.site,
        service=concern.service,
        summary=concern.summary,
        account=concern.account,
        outcome_wanted=concern.outcome_wanted,
        event_on=concern.event_on,
        became_aware_on=concern.became_aware_on,
        is_safeguarding=concern.is_safeguarding,
        is_vulnerable_person=concern.is_vulnerable_person,
        has_mp_interest=concern.has_mp_interest,
        has_media_interest=concern.has_media_interest,
        is_staff_complainant=concern.is_staff_complainant,
    )
    if concern.is_restricted:
        complaint.is_restricted = True
        complaint.save(update_fields=["is_restricted"])
        complaint.named_users.add(*concern.named_users.all())
    CaseParty.objects.bulk_create(
        CaseParty(
            case=complaint,
            person_id=party.person_id,
            role=party.role,
            relationship_to_patient=party.relationship_to_patient,
            is_main_contact=party.is_main_contact,
            created_by=actor,
            modified_by=actor,
        )
        for party in concern.parties.all()
    )
    consent = Consent.objects.filter(case=concern).first()
    if consent is not None:
        Consent.objects.create(
            case=complaint,
            status=consent.status,
            status_on=consent.status_on,
            evidence=consent.evidence,
            acting_reason=consent.acting_reason,
            created_by=actor,
            modified_by=actor,
        )
    _copy_issues(concern, complaint, actor=actor)
    CaseLink.objects.create(
        from_case=concern,
        to_case=complaint,
        reason="Escalated to a formal complaint",
        created_by=actor,
        modified_by=actor,
    )

    before = audit.snapshot(concern, ["status", "closed_on", "next_due_on"])
    _apply_move(concern, transition, on=on, actor=actor)
    concern.version += 1
    concern.modified_by = actor
    concern.save()

    timeline.add_entry(
        concern,
        kind=TimelineEntry.EntryKind.ESCALATION,
        body=f"Escalated to formal complaint {complaint.reference}. Reason: {reason}",
        actor=actor,
    )
    timeline.add_entry(
        complaint,
        kind=TimelineEntry.EntryKind.CREATED,
        body=(
            f"Complaint opened by escalating PALS concern {concern.reference}, "
            f"received {long_date(concern.received_on)}, with its people and consent. Reason: {reason}"
        ),
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="case.escalate",
        target=concern,
        case=concern,
        changes=audit.changes_between(before, audit.snapshot(concern, ["status", "closed_on", "next_due_on"])),
        context={"reason": reason, "complaint": complaint.reference},
    )
    audit.record(
        actor=actor,
        action="case.opened",
        target=complaint,
        case=complaint,
        changes={"kind": [None, complaint.kind], "received_on": [None, complaint.received_on]},
        context={"escalated_from": concern.reference},
    )
    return complaint


@transaction.atomic
def assign_case(
    case: Case,
    *,
    actor,
    case_officer=UNCHANGED,
    investigating_manager=UNCHANGED,
    reason: str = "",
    expected_version: int | None = None,
) -> Case:
    """Give the case a case officer and/or investigating manager. Replacing someone needs a reason (cross-cover)."""
    case = lock_for_change(case, expected_version)
    require(actor, Permission.ASSIGN_CASES, "assign cases")
    reason = (reason or "").strip()
    problems: dict[str, list[str]] = {}
    _check_text(problems, "reason", reason, label="the reason", limit=REASON_MAX_CHARACTERS)
    if problems:
        raise ValidationError(problems)
    changes = {}
    if case_officer is not UNCHANGED and case_officer != case.case_officer:
        _check_case_officer(case_officer)
        changes["case_officer"] = (case.case_officer, case_officer)
    if investigating_manager is not UNCHANGED and investigating_manager != case.investigating_manager:
        _check_investigator(investigating_manager)
        changes["investigating_manager"] = (case.investigating_manager, investigating_manager)
    if not changes:
        return case
    if any(old is not None for old, _ in changes.values()) and not reason:
        raise ValidationError({"reason": ["Give a reason for the reassignment, such as cover for annual leave."]})

    lines = []
    for name, (old, new) in changes.items():
        setattr(case, name, new)
        label = "Case officer" if name == "case_officer" else "Investigating manager"
        lines.append(f"{label}: {old or 'nobody'} → {new or 'nobody'}.")
    case.version += 1
    case.modified_by = actor
    case.save()
    if case.is_restricted:
        case.named_users.add(*[new for _, new in changes.values() if new is not None])
    body = " ".join(lines) + (f" Reason: {reason}" if reason else "")
    timeline.add_entry(case, kind=TimelineEntry.EntryKind.ASSIGNMENT, body=body, actor=actor)
    audit.record(
        actor=actor,
        action="case.assigned",
        target=case,
        case=case,
        changes={name: [old, new] for name, (old, new) in changes.items()},
        context={"reason": reason} if reason else {},
    )
    return case


@transaction.atomic
def add_note(case: Case, *, body: str, actor) -> TimelineEntry:
    require(actor, Permission.ADD_NOTES, "add notes")
    problems: dict[str, list[str]] = {}
    _check_text(problems, "body", body, label="the note", limit=NOTE_MAX_CHARACTERS, required=True)
    if problems:
        raise ValidationError(problems)
    entry = timeline.add_entry(case, kind=TimelineEntry.EntryKind.NOTE, body=body.strip(), actor=actor)
    audit.record(actor=actor, action="case.note_added", target=entry, case=case, changes={"body": [None, entry.body]})
    return entry


@transaction.atomic
def log_contact(
    case: Case,
    *,
    channel: str,
    direction: str,
    body: str,
    actor,
    contact: str = "",
    occurred_at: datetime.datetime | None = None,
) -> TimelineEntry:
    """Log a phone call or email with the complainant or anyone else about the case."""
    require(actor, Permission.ADD_NOTES, "log calls and emails")
    problems: dict[str, list[str]] = {}
    if channel not in (TimelineEntry.EntryKind.CALL, TimelineEntry.EntryKind.EMAIL):
        problems["channel"] = ["Choose phone call or email."]
    if direction not in TimelineEntry.Direction.values:
        problems["direction"] = ["Say whether it was inbound or outbound."]
    _check_text(problems, "contact", contact, label="who it was with", limit=200)
    _check_text(problems, "body", body, label="what was said", limit=NOTE_MAX_CHARACTERS, required=True)
    now = timezone.now()
    if occurred_at and occurred_at > now + datetime.timedelta(minutes=5):
        problems["occurred_at"] = ["The time must be now or in the past."]
    if problems:
        raise ValidationError(problems)
    entry = timeline.add_entry(
        case,
        kind=channel,
        body=body.strip(),
        direction=direction,
        contact=contact.strip(),
        occurred_at=occurred_at or now,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action=f"case.{channel}_logged",
        target=entry,
        case=case,
        changes={"body": [None, entry.body], "contact": [None, entry.contact], "direction": [None, direction]},
    )
    return entry


@transaction.atomic
def update_case_details(case: Case, *, actor, expected_version: int | None = None, **changes) -> Case:
    """Change a case's details. The clocks follow a changed received date; a staff complainant restricts it."""
    case = lock_for_change(case, expected_version)
    require(actor, Permission.EDIT_CASE, "change case details")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This cannot be changed here."] for name in sorted(unknown)})
    before = audit.snapshot(case, [*EDITABLE_FIELDS, "is_restricted", *_CLOCK_FIELDS])
    for name, value in changes.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    _check_case_fields(case)
    dates_changed = any(
        name in changes and audit.plain(changes[name]) != before[name]
        for name in ("received_on", "event_on", "became_aware_on")
    )
    if dates_changed:
        if case.reopened_count == 0:
            case.response_clock_from = case.complaint_made_on
        deadline_services.work_out_clocks(case)
    newly_restricted = case.is_staff_complainant and not case.is_restricted
    if newly_restricted:
        case.is_restricted = True
    after = audit.snapshot(case, [*EDITABLE_FIELDS, "is_restricted", *_CLOCK_FIELDS])
    diff = audit.changes_between(before, after)
    if not diff:
        return case
    case.version += 1
    case.modified_by = actor
    case.save()
    if newly_restricted:
        case.named_users.add(*{u for u in (actor, case.case_officer, case.investigating_manager) if u is not None})
    labels = [str(Case._meta.get_field(name).verbose_name) for name in diff if name in EDITABLE_FIELDS]
    timeline.add_entry(case, kind=TimelineEntry.EntryKind.DETAILS, body=f"Changed: {', '.join(labels)}.", actor=actor)
    audit.record(actor=actor, action="case.details_changed", target=case, case=case, changes=diff)
    return case


@transaction.atomic
def restrict_case(case: Case, *, named_users, actor, expected_version: int | None = None) -> Case:
    """Restrict the case to the named users (the actor stays named), or lift the restriction with none."""
    case = lock_for_change(case, expected_version)
    require(actor, Permission.RESTRICT_CASES, "restrict cases")
    named = set(named_users)
    before = {"is_restricted": case.is_restricted, "named_users": sorted(u.username for u in case.named_users.all())}
    if named:
        named.add(actor)
    case.is_restricted = bool(named)
    case.version += 1
    case.modified_by = actor
    case.save()
    case.named_users.set(named)
    after = {"is_restricted": case.is_restricted, "named_users": sorted(u.username for u in named)}
    body = f"Restricted to {', '.join(str(u) for u in sorted(named, key=str))}." if named else "Restriction lifted."
    timeline.add_entry(case, kind=TimelineEntry.EntryKind.ACCESS, body=body, actor=actor)
    audit.record(
        actor=actor, action="case.restricted", target=case, case=case, changes=audit.changes_between(before, after)
    )
    return case


@transaction.atomic
def link_cases(case: Case, other: Case, *, actor, reason: str = "") -> CaseLink:
    require(actor, Permission.ADD_NOTES, "link cases")
    reason = (reason or "").strip()
    problems: dict[str, list[str]] = {}
    _check_text(problems, "reason", reason, label="the reason", limit=300)
    if other.pk == case.pk:
        problems.setdefault("other", []).append("A case cannot be linked to itself.")
    elif CaseLink.objects.filter(from_case__in=[case, other], to_case__in=[case, other]).exists():
        problems.setdefault("other", []).append(f"{case.reference} and {other.reference} are already linked.")
    if problems:
        raise ValidationError(problems)
    link = CaseLink.objects.create(from_case=case, to_case=other, reason=reason, created_by=actor, modified_by=actor)
    suffix = f" ({reason})" if reason else ""
    timeline.add_entry(
        case, kind=TimelineEntry.EntryKind.LINK, body=f"Linked to {other.reference}{suffix}.", actor=actor
    )
    timeline.add_entry(
        other, kind=TimelineEntry.EntryKind.LINK, body=f"Linked to {case.reference}{suffix}.", actor=actor
    )
    audit.record(actor=actor, action="case.linked", target=link, case=case, context={"other": other.reference})
    audit.record(actor=actor, action="case.linked", target=link, case=other, context={"other": case.reference})
    return link


def record_case_view(case: Case, *, actor) -> None:
    """Every time someone opens a case, the trail says who and when (Caldicott: access is accountable)."""
    audit.record(actor=actor, action="case.viewed", target=case, case=case)
