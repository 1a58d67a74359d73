"""Reads of resolution meetings: which a user may see (through their cases), the diary, and a meeting's deadlines."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from palsdesk.accounts.models import User
from palsdesk.accounts.permissions import Permission, roles_with
from palsdesk.cases.models import Case, Kind
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.deadlines.working_days import WorkingDayCalendar
from palsdesk.meetings import rules
from palsdesk.meetings.models import AgreedAction, MeetingAttendee, ResolutionMeeting

# Complaints and MP letters get a formal response, which a resolution meeting can settle or explain (domain.md
# §9: "meetings (local resolution meeting...)" on the complaint record). A PALS concern that needs a meeting
# with agreed actions and a follow-up letter is being handled as a complaint: escalate it first.
MEETING_KINDS = frozenset({Kind.COMPLAINT, Kind.MP_LETTER})


def meetings_visible_to(user) -> QuerySet[ResolutionMeeting]:
    """The meetings of the cases this user may see (cases.selectors.cases_visible_to)."""
    return ResolutionMeeting.objects.filter(case__in=cases_visible_to(user))


def _attendees() -> Prefetch:
    return Prefetch(
        "attendees", queryset=MeetingAttendee.objects.select_related("party__person", "user").order_by("id")
    )


def _actions() -> Prefetch:
    return Prefetch("actions", queryset=AgreedAction.objects.select_related("owner").order_by("id"))


def with_everything(meetings: QuerySet[ResolutionMeeting]) -> QuerySet[ResolutionMeeting]:
    """What a meeting's page, its calendar file and its letter show, in a fixed number of queries."""
    return meetings.select_related(
        "case__division__trust", "organiser", "note_taker", "notes_recorded_by", "follow_up_sent_by", "modified_by"
    ).prefetch_related(_attendees(), _actions())


def meeting_of_case(user, reference: str, meeting_id: int) -> ResolutionMeeting:
    """One meeting of a case the user may see, with everything its page shows; Http404 otherwise."""
    meeting = with_everything(meetings_visible_to(user)).filter(case__reference=reference, pk=meeting_id).first()
    if meeting is None:
        raise Http404("No meeting with that number on a case you can see.")
    return meeting


def meetings_of(case: Case) -> QuerySet[ResolutionMeeting]:
    """A case's meetings, the latest first, each with its open actions counted."""
    return (
        case.meetings.select_related("organiser", "note_taker")
        .annotate(open_actions=Count("actions", filter=Q(actions__done_on__isnull=True)))
        .order_by("-starts_at", "-id")
    )


@dataclass(frozen=True)
class Deadlines:
    notes_due_on: datetime.date
    follow_up_due_on: datetime.date


def deadlines_of(meeting: ResolutionMeeting, *, calendar: WorkingDayCalendar | None = None) -> Deadlines:
    """When its notes and follow-up letter are due: worked out from the meeting's day, never stored, so a
    closure day the trust adds later moves them."""
    calendar = calendar or working_day_calendar()
    return Deadlines(
        notes_due_on=rules.notes_due_on(meeting.held_on, calendar=calendar),
        follow_up_due_on=rules.follow_up_due_on(meeting.held_on, calendar=calendar),
    )


def staff_for(case: Case, *, permission: Permission | None = None) -> QuerySet[User]:
    """Active staff who can see the case (and, given a permission, whose role may do it).

    The same scope as cases_visible_to, seen from the case's side, so that a note-taker or an action's
    owner is never someone who could not open the case to do their part.
    """
    trust_roles = set(roles_with(Permission.SEE_TRUST_CASES))
    division_roles = set(roles_with(Permission.SEE_DIVISION_CASES))
    if permission is not None:
        trust_roles &= set(roles_with(permission))
        division_roles &= set(roles_with(permission))
    in_division = User.divisions.through.objects.filter(user_id=OuterRef("pk"), division_id=case.division_id)
    assigned = [pk for pk in (case.case_officer_id, case.investigating_manager_id) if pk]
    scope = Q(role__in=trust_roles) | (Q(role__in=division_roles) & (Exists(in_division) | Q(pk__in=assigned)))
    users = User.objects.filter(scope, is_active=True)
    if case.is_restricted:
        users = users.filter(Exists(Case.named_users.through.objects.filter(case_id=case.pk, user_id=OuterRef("pk"))))
    return users.order_by("first_name", "last_name", "username")


def staff_who_attend() -> QuerySet[User]:
    """Staff who may be invited to a meeting: anyone with a casework role (volunteers do not attend)."""
    roles = set(roles_with(Permission.SEE_TRUST_CASES)) | set(roles_with(Permission.SEE_DIVISION_CASES))
    return User.objects.filter(is_active=True, role__in=roles).order_by("first_name", "last_name", "username")


# --- The diary ---------------------------------------------------------------------------------------------


class DiaryList:
    COMING = "coming"
    NOTES = "notes"
    LETTERS = "letters"
    CHOICES = [(COMING, "Coming up"), (NOTES, "Notes to write"), (LETTERS, "Follow-up letters to send")]


@dataclass(frozen=True)
class DiaryCounts:
    coming: int
    notes: int
    letters: int


def _diary_filters(now: datetime.datetime) -> dict[str, Q]:
    not_cancelled = Q(cancelled_at__isnull=True)
    return {
        DiaryList.COMING: not_cancelled & Q(starts_at__gt=now),
        DiaryList.NOTES: not_cancelled & Q(starts_at__lte=now, notes_recorded_at__isnull=True),
        DiaryList.LETTERS: not_cancelled & Q(notes_recorded_at__isnull=False, follow_up_sent_on__isnull=True),
    }


def diary_counts(user, *, now: datetime.datetime) -> DiaryCounts:
    """How many meetings are coming up, lack their notes, and lack their follow-up letter: one query."""
    filters = _diary_filters(now)
    counts = meetings_visible_to(user).aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})
    return DiaryCounts(**counts)


def diary(user, *, show: str, now: datetime.datetime) -> QuerySet[ResolutionMeeting]:
    """One list of the co-ordinator's diary: what is coming, soonest first; what is owed, longest owed first."""
    meetings = meetings_visible_to(user).filter(_diary_filters(now)[show])
    return (
        meetings.select_related("case", "organiser", "note_taker")
        .annotate(attendee_count=Count("attendees", distinct=True))
        .order_by("starts_at", "id")
    )


# --- My work -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwedWork:
    """A deadline of the user's from a meeting: its notes, its follow-up letter, or an action they own."""

    meeting: ResolutionMeeting
    what: str
    due_on: datetime.date


def work_owed_by(user, *, today: datetime.date) -> list[OwedWork]:
    """Notes the user takes of meetings that have happened, follow-up letters they send, and actions they own.

    Two queries and the calendar's check, however many meetings there are. Meetings of cases the user can no
    longer see are left out (their work passes with the case).
    """
    visible = cases_visible_to(user)
    end_of_today = rules.in_england(today + datetime.timedelta(days=1), datetime.time(0))
    meetings = ResolutionMeeting.objects.filter(case__in=visible, cancelled_at__isnull=True).filter(
        Q(note_taker=user, notes_recorded_at__isnull=True, starts_at__lt=end_of_today)
        | Q(organiser=user, notes_recorded_at__isnull=False, follow_up_sent_on__isnull=True)
    )
    actions = AgreedAction.objects.filter(
        owner=user, done_on__isnull=True, meeting__cancelled_at__isnull=True, meeting__case__in=visible
    ).select_related("meeting__case")
    calendar = working_day_calendar()
    owed = []
    for meeting in meetings.select_related("case"):
        deadlines = deadlines_of(meeting, calendar=calendar)
        held = f"{meeting.held_on.day} {meeting.held_on:%b %Y}"
        if meeting.notes_recorded_at is None:
            owed.append(OwedWork(meeting, f"Write the notes of the meeting on {held}", deadlines.notes_due_on))
        else:
            owed.append(
                OwedWork(meeting, f"Send the follow-up letter after the meeting on {held}", deadlines.follow_up_due_on)
            )
    for action in actions:
        description = " ".join(action.description.split())
        if len(description) > 80:
            description = description[:79].rstrip() + "…"
        owed.append(OwedWork(action.meeting, f"Agreed action: {description}", action.due_on))
    return owed
