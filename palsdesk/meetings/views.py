"""Pages for resolution meetings: the co-ordinator's diary, arranging a meeting, its page (who is coming and their
invitations, the notes, the agreed actions, the follow-up letter), and the calendar file and letter downloads.

Views parse input, call one selector or service, and render. A meeting is found through meetings.selectors, so
a meeting of a case the user may not see answers 404; a role that may not work on meetings answers 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palsdesk.accounts.permissions import Permission, can
from palsdesk.cases import selectors as case_selectors
from palsdesk.cases.services import record_case_view
from palsdesk.core.dates import long_date
from palsdesk.core.errors import RuleBroken
from palsdesk.core.forms import put_errors_on_form
from palsdesk.deadlines import clocks
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.meetings import invitations, letters, selectors, services
from palsdesk.meetings.extensions import meeting_url
from palsdesk.meetings.forms import (
    ActionForm,
    CancelForm,
    CaseAttendeeForm,
    FollowUpLetterForm,
    FollowUpSentForm,
    MeetingForm,
    NotesForm,
    OtherAttendeeForm,
    StaffAttendeeForm,
    with_current_version,
)
from palsdesk.meetings.selectors import DiaryList

DIARY_PAGE_SIZE = 25
ATTENDEE_FORMS = {"party": CaseAttendeeForm, "staff": StaffAttendeeForm, "other": OtherAttendeeForm}
REFUSALS = (ValidationError, RuleBroken)


def _require_arranging(user) -> None:
    if not can(user, Permission.ARRANGE_MEETINGS):
        raise PermissionDenied("Your role cannot arrange or write up meetings.")


def _meeting_to_change(request, reference: str, meeting_id: int):
    """The meeting (404 if the user may not see its case), then 403 if their role may not work on meetings."""
    meeting = selectors.meeting_of_case(request.user, reference, meeting_id)
    _require_arranging(request.user)
    return meeting


def _message_of(error: Exception) -> str:
    """A refusal told in a banner, for a button that has no form to show it on."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return error.message


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _say_what_was_sent(request, sent: services.InvitationsSent) -> None:
    """One message for each kind of outcome, so nobody thinks an invitation went when it did not."""
    meeting = sent.meeting
    what = "Cancellation" if meeting.is_cancelled else "Invitation"
    if sent.sent:
        messages.success(request, f"{what} emailed to {_listed(sent.sent)}, with the calendar file.")
    if sent.without_email:
        messages.warning(
            request,
            f"{_listed(sent.without_email)} {'has' if len(sent.without_email) == 1 else 'have'} no email address: "
            "tell them another way (the calendar file can be downloaded and printed or posted).",
        )
    for name, error in sent.failed:
        messages.warning(request, f"The email to {name} could not be sent ({error}). Try sending again later.")


# --- The diary --------------------------------------------------------------------------------------------


@require_GET
def diary(request):
    _require_arranging(request.user)
    show = request.GET.get("show", DiaryList.COMING)
    if show not in dict(DiaryList.CHOICES):
        show = DiaryList.COMING
    now = timezone.now()
    today = timezone.localdate(now)
    page = Paginator(selectors.diary(request.user, show=show, now=now), DIARY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    if show != DiaryList.COMING:
        calendar = working_day_calendar()  # once for the page, not once a row
        for meeting in rows:
            deadlines = selectors.deadlines_of(meeting, calendar=calendar)
            meeting.due_on = deadlines.notes_due_on if show == DiaryList.NOTES else deadlines.follow_up_due_on
            meeting.due_state = clocks.state_of(due_on=meeting.due_on, met_on=None, today=today, calendar=calendar)
    page.object_list = rows
    return render(
        request,
        "meetings/diary.html",
        {
            "show": show,
            "lists": [
                (value, label, count)
                for (value, label), count in zip(
                    DiaryList.CHOICES, _counts(selectors.diary_counts(request.user, now=now)), strict=True
                )
            ],
            "page": page,
            "query_prefix": f"show={show}&",
        },
    )


def _counts(counts: selectors.DiaryCounts) -> list[int]:
    return [counts.coming, counts.notes, counts.letters]


# --- Arranging and changing -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def arrange(request, reference):
    case = case_selectors.visible_case(request.user, reference)
    _require_arranging(request.user)
    if case.kind not in selectors.MEETING_KINDS:
        raise Http404("Resolution meetings are arranged on complaints and MP letters.")
    form = MeetingForm(request.POST or None, case=case, initial={"organiser": request.user})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.arrange_meeting(case, actor=request.user, **form.service_arguments())
        except REFUSALS as error:
            put_errors_on_form(form, error, field_for=MeetingForm.field_for)
        else:
            messages.success(
                request,
                "Meeting arranged. Add the staff and anyone else who is coming, then send the invitations.",
            )
            return redirect(meeting_url(meeting))
    return render(request, "meetings/meeting_form.html", {"case": case, "form": form, "meeting": None})


@require_http_methods(["GET", "POST"])
def change(request, reference, meeting_id):
    meeting = _meeting_to_change(request, reference, meeting_id)
    local_start, local_end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    initial = {
        "purpose": meeting.purpose,
        "on": local_start.date(),
        "starts": f"{local_start:%H:%M}",
        "ends": f"{local_end:%H:%M}",
        "place": meeting.place,
        "video_link": meeting.video_link,
        "agenda": meeting.agenda,
        "access_needs": meeting.access_needs,
        "organiser": meeting.organiser_id,
        "note_taker": meeting.note_taker_id,
        "recording_consent": meeting.recording_consent,
    }
    form = MeetingForm(request.POST or None, case=meeting.case, meeting=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.change_meeting(meeting, actor=request.user, **form.service_arguments())
        except REFUSALS as error:
            put_errors_on_form(form, error, field_for=MeetingForm.field_for)
            meeting.refresh_from_db()
            with_current_version(form, meeting)
        else:
            text = "Meeting changed."
            if (
                changed.sequence != meeting.sequence
                and changed.attendees.filter(invited_sequence__isnull=False).exists()
            ):
                text += " Send the update to those invited, so their calendars change too."
            messages.success(request, text)
            return redirect(meeting_url(changed))
    elif form.is_bound:
        with_current_version(form, meeting)
    return render(request, "meetings/meeting_form.html", {"case": meeting.case, "form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def cancel(request, reference, meeting_id):
    meeting = _meeting_to_change(request, reference, meeting_id)
    form = CancelForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.cancel_meeting(
                meeting,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                expected_version=form.expected_version(),
            )
        except REFUSALS as error:
            put_errors_on_form(form, error)
            meeting.refresh_from_db()
            with_current_version(form, meeting)
        else:
            messages.success(request, "Meeting cancelled.")
            _say_what_was_sent(request, sent)
            return redirect(meeting_url(meeting))
    elif form.is_bound:
        with_current_version(form, meeting)
    return render(request, "meetings/cancel.html", {"meeting": meeting, "case": meeting.case, "form": form})


# --- The meeting's page -----------------------------------------------------------------------------------


def _meeting_page(request, meeting, *, forms=None, status: int = 200):
    """The meeting's page, with any form that came back with errors kept as the person typed it."""
    forms = forms or {}
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    calendar = working_day_calendar()
    may_arrange = can(user, Permission.ARRANGE_MEETINGS)
    stage = meeting.stage_at(now)
    deadlines = selectors.deadlines_of(meeting, calendar=calendar)
    attendees = list(meeting.attendees.all())
    actions = list(meeting.actions.all())
    for action in actions:
        action.due_state = clocks.state_of(due_on=action.due_on, met_on=action.done_on, today=today, calendar=calendar)
        action.may_progress = may_arrange or action.owner_id == user.pk
    is_open = not meeting.is_cancelled
    is_to_come = is_open and not meeting.has_started(now)
    has_happened = is_open and meeting.has_started(now)
    owed = [a for a in attendees if a.invited_sequence != meeting.sequence]
    context = {
        "meeting": meeting,
        "case": meeting.case,
        "stage": stage,
        "attendees": attendees,
        "actions": actions,
        "may_arrange": may_arrange,
        "is_to_come": is_to_come,
        "has_happened": has_happened,
        "invitations_owed": is_to_come and may_arrange and any(a.email_address for a in owed),
        "notes_due": deadlines.notes_due_on,
        "notes_state": clocks.state_of(
            due_on=deadlines.notes_due_on,
            met_on=timezone.localdate(meeting.notes_recorded_at) if meeting.notes_recorded_at else None,
            today=today,
            calendar=calendar,
        ),
        "letter_due": deadlines.follow_up_due_on,
        "letter_state": clocks.state_of(
            due_on=deadlines.follow_up_due_on, met_on=meeting.follow_up_sent_on, today=today, calendar=calendar
        ),
        "open_section": next(iter(forms), None),
        **dict.fromkeys(["party_form", "staff_form", "other_form", "action_form", "sent_form"]),
    }
    if may_arrange and is_open:
        for name, form_class in ATTENDEE_FORMS.items():
            context[f"{name}_form"] = forms.get(name) or form_class(meeting=meeting)
    if may_arrange and has_happened:
        context["action_form"] = forms.get("action") or ActionForm(meeting=meeting)
        if meeting.notes_recorded_at and meeting.follow_up_letter and not meeting.follow_up_sent_on:
            context["sent_form"] = forms.get("sent") or FollowUpSentForm(meeting=meeting)
    return render(request, "meetings/meeting.html", context, status=status)


@require_GET
def detail(request, reference, meeting_id):
    meeting = selectors.meeting_of_case(request.user, reference, meeting_id)
    record_case_view(meeting.case, actor=request.user)
    return _meeting_page(request, meeting)


def _back_to(meeting, anchor: str):
    return redirect(f"{meeting_url(meeting)}#{anchor}")


def _refused(request, reference, meeting_id, *, name: str, form):
    """The meeting's page again, with the refused form as typed and its version moved on."""
    meeting = selectors.meeting_of_case(request.user, reference, meeting_id)
    return _meeting_page(request, meeting, forms={name: with_current_version(form, meeting)})


@require_POST
def add_attendee(request, reference, meeting_id):
    meeting = _meeting_to_change(request, reference, meeting_id)
    who = request.POST.get("who", "")
    if who not in ATTENDEE_FORMS:
        raise Http404("Choose who is coming: someone on the case, a member of staff or someone else.")
    form = ATTENDEE_FORMS[who](request.POST, meeting=meeting)
    if form.is_valid():
        try:
            attendee = services.add_attendee(
                meeting, actor=request.user, expected_version=form.expected_version(), **form.service_arguments()
            )
        except REFUSALS as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, f"{attendee.display_name} added. Send the invitations when everyone is listed.")
            return _back_to(meeting, "attendees")
    return _refused(request, reference, meeting_id, name=who, form=form)


@require_POST
def remove_attendee(request, reference, meeting_id, attendee_id):
    meeting = _meeting_to_change(request, reference, meeting_id)
    attendee = next((a for a in meeting.attendees.all() if a.pk == attendee_id), None)
    if attendee is None:
        raise Http404("No such person on this meeting.")
    try:
        sent = services.remove_attendee(attendee, actor=request.user)
    except REFUSALS as error:
        messages.warning(request, _message_of(error))
    else:
        text = f"{attendee.display_name} taken off the meeting."
        if sent.sent:
            text += " They were emailed the cancellation for their calendar."
        messages.success(request, text)
        for name, error in sent.failed:
            messages.warning(request, f"The cancellation to {name} could not be emailed ({error}): tell them yourself.")
    return _back_to(meeting, "attendees")


@require_POST
def invite(request, reference, meeting_id):
    meeting = _meeting_to_change(request, reference, meeting_id)
    try:
        sent = services.send_invitations(meeting, actor=request.user)
    except REFUSALS as error:
        messages.warning(request, _message_of(error))
    else:
        if not (sent.sent or sent.without_email or sent.failed):
            messages.success(request, "Everyone with an email address already has the latest invitation.")
        _say_what_was_sent(request, sent)
    return _back_to(meeting, "attendees")


@require_GET
def calendar_file(request, reference, meeting_id):
    meeting = selectors.meeting_of_case(request.user, reference, meeting_id)
    services.record_download(meeting, what="calendar file", actor=request.user)
    response = HttpResponse(
        invitations.calendar_file(meeting),
        content_type=f"text/calendar; method={'CANCEL' if meeting.is_cancelled else 'REQUEST'}; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{invitations.file_name(meeting)}"'
    return response


# --- After the meeting: notes, actions, the follow-up letter ---------------------------------------------


@require_http_methods(["GET", "POST"])
def notes(request, reference, meeting_id):
    meeting = _meeting_to_change(request, reference, meeting_id)
    form = NotesForm(request.POST or None, meeting=meeting, initial={"notes": meeting.notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_notes(
                meeting, notes=form.cleaned_data["notes"], actor=request.user, expected_version=form.expected_version()
            )
        except REFUSALS as error:
            put_errors_on_form(form, error)
            meeting.refresh_from_db()
            with_current_version(form, meeting)
        else:
            messages.success(request, "Notes saved.")
            return _back_to(meeting, "notes")
    elif form.is_bound:
        with_current_version(form, meeting)
    return render(
        request,
        "meetings/notes.html",
        {"meeting": meeting, "case": meeting.case, "form": form, "has_started": meeting.has_started()},
    )


@require_POST
def add_action(request, reference, meeting_id):
    meeting = _meeting_to_change(request, reference, meeting_id)
    form = ActionForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.add_action(
                meeting, actor=request.user, expected_version=form.expected_version(), **form.service_arguments()
            )
        except REFUSALS as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, "Action added.")
            return _back_to(meeting, "actions")
    return _refused(request, reference, meeting_id, name="action", form=form)


@require_POST
def action_progress(request, reference, meeting_id, action_id):
    """Mark an agreed action done (today) or not done: its owner may, as well as those who arrange meetings."""
    meeting = selectors.meeting_of_case(request.user, reference, meeting_id)
    action = next((a for a in meeting.actions.all() if a.pk == action_id), None)
    if action is None:
        raise Http404("No such action on this meeting.")
    if not (can(request.user, Permission.ARRANGE_MEETINGS) or action.owner_id == request.user.pk):
        raise PermissionDenied("Only the action's owner, or someone who arranges meetings, can mark it done.")
    is_done = request.POST.get("done") == "yes"
    try:
        services.change_action(action, done_on=timezone.localdate() if is_done else None, actor=request.user)
    except REFUSALS as error:
        messages.warning(request, _message_of(error))
    else:
        messages.success(request, f"Action marked {'done' if is_done else 'not done'}.")
    return _back_to(meeting, "actions")


@require_http_methods(["GET", "POST"])
def follow_up(request, reference, meeting_id):
    """The follow-up letter's draft, to edit."""
    meeting = _meeting_to_change(request, reference, meeting_id)
    if meeting.follow_up_sent_on is not None:
        return _back_to(meeting, "letter")
    form = FollowUpLetterForm(request.POST or None, meeting=meeting, initial={"text": meeting.follow_up_letter})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_follow_up_letter(
                meeting, text=form.cleaned_data["text"], actor=request.user, expected_version=form.expected_version()
            )
        except REFUSALS as error:
            put_errors_on_form(form, error)
            meeting.refresh_from_db()
            with_current_version(form, meeting)
        else:
            messages.success(request, "Draft saved.")
            return _back_to(meeting, "letter")
    elif form.is_bound:
        with_current_version(form, meeting)
    return render(request, "meetings/follow_up.html", {"meeting": meeting, "case": meeting.case, "form": form})


@require_POST
def follow_up_draft(request, reference, meeting_id):
    """Write the draft afresh from the meeting's agreed actions."""
    meeting = _meeting_to_change(request, reference, meeting_id)
    form = FollowUpSentForm(request.POST, meeting=meeting)  # only its version is read
    form.is_valid()
    if form.non_field_errors() or "version" in form.errors:
        messages.warning(request, " ".join(form.non_field_errors()) or "Reload the meeting and try again.")
        return _back_to(meeting, "letter")
    try:
        services.draft_follow_up_letter(meeting, actor=request.user, expected_version=form.expected_version())
    except REFUSALS as error:
        messages.warning(request, _message_of(error))
    else:
        messages.success(request, "Draft written from the agreed actions. Check it, and change it as needed.")
    return _back_to(meeting, "letter")


@require_POST
def follow_up_sent(request, reference, meeting_id):
    meeting = _meeting_to_change(request, reference, meeting_id)
    form = FollowUpSentForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            sent = services.record_follow_up_sent(
                meeting,
                sent_on=form.cleaned_data["sent_on"],
                actor=request.user,
                expected_version=form.expected_version(),
            )
        except REFUSALS as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, f"Follow-up letter recorded as sent on {long_date(sent.follow_up_sent_on)}.")
            return _back_to(meeting, "letter")
    return _refused(request, reference, meeting_id, name="sent", form=form)


@require_GET
def follow_up_docx(request, reference, meeting_id):
    meeting = selectors.meeting_of_case(request.user, reference, meeting_id)
    if not meeting.follow_up_letter:
        raise Http404("This meeting has no follow-up letter yet.")
    services.record_download(meeting, what="follow-up letter", actor=request.user)
    response = HttpResponse(
        letters.follow_up_letter_docx(meeting),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{letters.file_name(meeting)}"'
    return response
