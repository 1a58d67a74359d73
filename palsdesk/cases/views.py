"""Staff web pages for cases: My work, the case list and search, logging a case, and the case page with its actions.

Views parse input, call one selector or service, and render. Every case is found through
cases.selectors (so a case the user may not see answers 404), and every change goes through
cases.services (so it is checked, audited and atomic).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palsdesk.accounts.permissions import Permission, can
from palsdesk.cases import extensions, selectors, services, workflow
from palsdesk.cases.forms import (
    AssignForm,
    CaseDetailsForm,
    CaseFilterForm,
    ContactForm,
    DelayLetterForm,
    ExtensionForm,
    HoldForm,
    LinkForm,
    LogCaseForm,
    MoveForm,
    NoteForm,
    RaisedBy,
    ReleaseHoldForm,
    ResponseDateForm,
    TimeLimitDecisionForm,
    with_current_version,
)
from palsdesk.cases.models import Kind, ResponseDueBasis, Status
from palsdesk.coding import completeness
from palsdesk.coding.selectors import closing_gaps, issues_of
from palsdesk.core.dates import long_date
from palsdesk.core.errors import RuleBroken
from palsdesk.core.forms import put_errors_on_form
from palsdesk.core.pagination import BoundedPaginator
from palsdesk.deadlines import clocks
from palsdesk.deadlines import selectors as deadline_selectors
from palsdesk.deadlines import services as deadline_services
from palsdesk.grading.selectors import grading_history
from palsdesk.grading.services import GRADED_KINDS
from palsdesk.people.selectors import has_representative, people_on_case
from palsdesk.people.services import PersonDetails
from palsdesk.search import selectors as search

FORMAL_KINDS = (Kind.COMPLAINT, Kind.MP_LETTER)
TIMELINE_SHOWN = 100
LIST_PAGE_SIZE = 50
# The forms that change a case's clocks, by the name the case page knows each one by.
CLOCK_FORMS = {
    "agree": ResponseDateForm,
    "extension": ExtensionForm,
    "hold": HoldForm,
    "release": ReleaseHoldForm,
    "delay_letter": DelayLetterForm,
    "time_limit": TimeLimitDecisionForm,
}


def _page(request, items, size: int):
    return Paginator(items, size, allow_empty_first_page=True).get_page(request.GET.get("page"))


def _form_field_for(service_field: str) -> str:
    """The log form's name for a field that the service names by the person it belongs to."""
    person, _, name = service_field.rpartition(".")
    if person == "patient" or (person == "complainant" and name == "nhs_number"):
        return f"patient_{name}"
    return name


def _with_due_states(cases, *, today: datetime.date, calendar) -> list:
    """The rows, each with the red, amber or green state of its next deadline (`due_state`)."""
    rows = list(cases)
    for case in rows:
        if case.next_due_on:
            case.due_state = clocks.state_of(due_on=case.next_due_on, met_on=None, today=today, calendar=calendar)
        elif case.on_hold_since and case.is_open:
            case.due_state = clocks.State.ON_HOLD
        else:
            case.due_state = None
    return rows


@require_GET
def my_work(request):
    today = timezone.localdate()
    work = selectors.my_work(request.user, today=today)
    calendar = deadline_selectors.working_day_calendar()  # once for the page, not once a row
    my_cases = _page(request, work.my_cases, LIST_PAGE_SIZE)
    my_cases.object_list = _with_due_states(my_cases.object_list, today=today, calendar=calendar)
    # Deadlines other apps keep (the Ombudsman's, contributions, actions), each with its red, amber or green state.
    other_deadlines = [
        (item, clocks.state_of(due_on=item.due_on, met_on=None, today=today, calendar=calendar))
        for item in extensions.work_items(request.user, today=today)
    ]
    return render(
        request,
        "cases/my_work.html",
        {
            "work": work,
            "my_cases": my_cases,
            "unassigned": _with_due_states(work.unassigned[:20], today=today, calendar=calendar),
            "other_deadlines": other_deadlines,
            "today": today,
        },
    )


@require_GET
def case_list(request):
    today = timezone.localdate()
    form = CaseFilterForm(request.GET or None)
    filters = selectors.CaseFilters()
    if form.is_valid():
        filters = selectors.CaseFilters(
            kind=form.cleaned_data["kind"],
            status=form.cleaned_data["status"],
            division=form.cleaned_data["division"],
            assignee=form.cleaned_data["assignee"],
            query=form.cleaned_data["q"],
            due=form.cleaned_data["due"],
            due_within_working_days=form.cleaned_data["within"] or selectors.DUE_WITHIN_WORKING_DAYS,
        )
    cases = selectors.case_list(request.user, filters, today=today)
    # A million cases: counted exactly while cheap, estimated beyond, paged only so deep (core.pagination).
    page = BoundedPaginator(cases, LIST_PAGE_SIZE, allow_empty_first_page=True).get_page(request.GET.get("page"))
    page.object_list = _with_due_states(
        page.object_list, today=today, calendar=deadline_selectors.working_day_calendar()
    )
    if filters.query:
        search.highlight(page.object_list, filters.query)
    if filters.query and page.number == 1 and len(page.object_list) == 1 and not request.GET.get("page"):
        only = page.object_list[0]
        if only.reference == filters.query.strip().upper():
            return redirect("cases:detail", reference=only.reference)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query_prefix": f"{query.urlencode()}&" if query else "",
            "today": today,
            "searched": bool(filters.query),
            "ranked_matches": search.RANKED_MATCHES,
            "by_deadline": bool(filters.due),
        },
    )


@require_http_methods(["GET", "POST"])
def log_case(request):
    user = request.user
    can_log_complaints = can(user, Permission.LOG_COMPLAINT)
    if not (can_log_complaints or can(user, Permission.LOG_PALS_CASE)):
        raise PermissionDenied("Your role cannot log cases.")
    if request.method == "POST" and request.POST.get("kind") in FORMAL_KINDS and not can_log_complaints:
        # Not offered on the form, so posted on purpose: refuse it as the role's limit, not as a typing slip.
        raise PermissionDenied("Your role cannot log complaints or MP letters. Log it as a PALS concern instead.")
    form_options = {"can_log_complaints": can_log_complaints, "can_be_case_officer": can(user, Permission.MOVE_CASE)}
    form = LogCaseForm(request.POST or None, **form_options)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = (
            PersonDetails(
                first_name=data["first_name"],
                last_name=data["last_name"],
                phone=data["phone"],
                email=data["email"],
                nhs_number=data["patient_nhs_number"] if data["raised_by"] == RaisedBy.PATIENT else "",
            )
            if data["last_name"].strip() or data["first_name"].strip()
            else None
        )
        patient = None
        if data["raised_by"] != RaisedBy.PATIENT and data["patient_last_name"].strip():
            patient = PersonDetails(
                first_name=data["patient_first_name"],
                last_name=data["patient_last_name"],
                nhs_number=data["patient_nhs_number"],
            )
        try:
            case = services.open_case(
                actor=user,
                kind=data["kind"],
                channel=data["channel"],
                received_on=data["received_on"],
                division=data["division"],
                site=data["site"],
                service=data["service"],
                summary=data["summary"],
                account=data["account"],
                outcome_wanted=data["outcome_wanted"],
                is_safeguarding=data["is_safeguarding"],
                is_vulnerable_person=data["is_vulnerable_person"],
                has_media_interest=data["has_media_interest"],
                is_staff_complainant=data["is_staff_complainant"],
                case_officer=user if data.get("assign_to_me") else None,
                complainant=person,
                complainant_is_patient=data["raised_by"] == RaisedBy.PATIENT and person is not None,
                relationship_to_patient=data["relationship_to_patient"]
                if data["raised_by"] == RaisedBy.REPRESENTATIVE
                else "",
                patient=patient,
            )
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error, field_for=_form_field_for)
        else:
            messages.success(request, f"{case.get_kind_display()} {case.reference} logged.")
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/log_case.html", {"form": form})


def _clock_forms(request, case, forms: dict) -> dict:
    """The forms for the clocks this user may change on this case now, or None for each that does not apply."""
    user = request.user
    can_change = can(user, Permission.MOVE_CASE) and case.is_open
    response_outstanding = case.is_open and case.response_due_on is not None and case.responded_on is None
    offered = {
        "agree": can_change and response_outstanding and case.response_due_basis == ResponseDueBasis.TARGET,
        "extension": can_change and response_outstanding and case.response_due_basis != ResponseDueBasis.TARGET,
        "hold": can_change and response_outstanding and not case.on_hold_since,
        "release": can_change and bool(case.on_hold_since),
        "delay_letter": can_change and clocks.delay_letter_owed(case, today=timezone.localdate()),
        "time_limit": can(user, Permission.DECIDE_TIME_LIMIT) and case.is_open and case.is_out_of_time,
    }
    made = {}
    for name, form_class in CLOCK_FORMS.items():
        if name in forms:
            made[f"{name}_form"] = forms[name]
        elif not offered[name]:
            made[f"{name}_form"] = None
        elif name == "time_limit":
            made[f"{name}_form"] = form_class(
                initial={"version": case.version}, case=case, decision=getattr(case, "time_limit_decision", None)
            )
        else:
            made[f"{name}_form"] = form_class(initial={"version": case.version}, case=case)
    return made


def _case_page(request, case, *, forms=None, status: int = 200):
    """The case page, with any forms that came back with errors kept as the person typed them."""
    forms = forms or {}
    user = request.user
    today = timezone.localdate()
    deadline_selectors.with_clock_history(case)
    moves = selectors.moves_for(user, case)
    parties = list(case.parties.all())
    context = {
        "case": case,
        "today": today,
        "clocks": deadline_selectors.clocks_of(case, today=today),
        "delay_letter_owed": clocks.delay_letter_owed(case, today=today),
        "time_limit_decision": getattr(case, "time_limit_decision", None) if case.is_out_of_time else None,
        "response_date_changes": list(case.response_date_changes.all()),
        "holds": list(case.holds.all()),
        "people": people_on_case(parties),
        "has_representative": has_representative(parties),
        "timeline": selectors.timeline_of(case, limit=TIMELINE_SHOWN),
        "timeline_limit": TIMELINE_SHOWN,
        "links": selectors.linked_cases(user, case),
        "escalated_to": selectors.escalated_to(user, case),
        "consent": getattr(case, "consent", None),
        "can_add_notes": can(user, Permission.ADD_NOTES),
        "can_edit": can(user, Permission.EDIT_CASE),
        "can_assign": can(user, Permission.ASSIGN_CASES),
        "can_restrict": can(user, Permission.RESTRICT_CASES),
        "note_form": forms.get("note") or NoteForm(),
        "contact_form": forms.get("contact") or ContactForm(),
        "move_form": forms.get("move")
        or (MoveForm(initial={"version": case.version}, moves=moves, case=case) if moves else None),
        "link_form": forms.get("link") or LinkForm(),
        "open_section": next(iter(forms), None),
        **_clock_forms(request, case, forms),
    }
    context["assign_form"] = None
    if context["can_assign"]:
        context["assign_form"] = forms.get("assign") or AssignForm(
            initial={
                "version": case.version,
                "case_officer": case.case_officer_id,
                "investigating_manager": case.investigating_manager_id,
            },
            officers=selectors.assignable_officers(),
            investigators=selectors.assignable_investigators(),
            case=case,
        )
    context |= _grade_and_issues(user, case)
    context["sections"] = extensions.case_sections(user, case)
    return render(request, "cases/case_detail.html", context, status=status)


def _grade_and_issues(user, case) -> dict:
    """The case's grade, its issues and outcome, and what its coding lacks before it can close.

    The issues come from case_for_page's prefetch, so this reads the database once (a graded case's
    latest grading), however many issues there are.
    """
    is_graded_kind = case.kind in GRADED_KINDS
    history = grading_history(case) if is_graded_kind and case.grade_id else []
    closes_here = any(t.guard == "coding_complete" for t in workflow.moves_from(case.kind, case.status))
    return {
        "shows_grade": is_graded_kind,
        "grading": history[-1] if history else None,
        "can_grade": is_graded_kind and case.is_open and can(user, Permission.GRADE_CASES),
        "shows_outcome": case.kind in completeness.KINDS_WITH_OUTCOMES,
        "issues": issues_of(case),
        "can_code": can(user, Permission.CODE_CASES),
        "can_record_outcomes": case.kind in completeness.KINDS_WITH_OUTCOMES and can(user, Permission.RECORD_OUTCOMES),
        "closing_gaps": closing_gaps(case) if closes_here else [],
    }


@require_GET
def case_detail(request, reference):
    case = selectors.case_for_page(request.user, reference)
    services.record_case_view(case, actor=request.user)
    return _case_page(request, case)


def _timeline_or_redirect(request, case, *, form_name: str, form):
    """After adding to the timeline: htmx gets the refreshed activity section, a plain browser the page again."""
    if request.htmx:
        return render(
            request,
            "cases/_activity.html",
            {
                "case": case,
                "timeline": selectors.timeline_of(case, limit=TIMELINE_SHOWN),
                "timeline_limit": TIMELINE_SHOWN,
                "can_add_notes": True,
                "note_form": form if form_name == "note" else NoteForm(),
                "contact_form": form if form_name == "contact" else ContactForm(),
                "open_section": form_name if form.errors else None,
                # Swapped into a page whose error summary is not refreshed: the section shows its own.
                "is_partial": True,
            },
        )
    if form.errors:
        return _case_page(request, selectors.case_for_page(request.user, case.reference), forms={form_name: form})
    return redirect(reverse("cases:detail", kwargs={"reference": case.reference}) + "#activity")


def _case_to_change(request, reference, permission: Permission, doing: str):
    """The case (404 if the user may not see it), then 403 if their role may not do this, before any input is read."""
    case = selectors.visible_case(request.user, reference)
    if not can(request.user, permission):
        raise PermissionDenied(f"Your role cannot {doing}.")
    return case


@require_POST
def add_note(request, reference):
    case = _case_to_change(request, reference, Permission.ADD_NOTES, "add notes")
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(case, body=form.cleaned_data["body"], actor=request.user)
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            form = NoteForm()
            if not request.htmx:
                messages.success(request, "Note added.")
    return _timeline_or_redirect(request, case, form_name="note", form=form)


@require_POST
def log_contact(request, reference):
    case = _case_to_change(request, reference, Permission.ADD_NOTES, "log calls and emails")
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.log_contact(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            form = ContactForm()
            if not request.htmx:
                messages.success(request, "Call or email logged.")
    return _timeline_or_redirect(request, case, form_name="contact", form=form)


@require_POST
def move(request, reference):
    case = selectors.visible_case(request.user, reference)
    user = request.user
    if not (can(user, Permission.MOVE_CASE) or can(user, Permission.INVESTIGATE)):
        raise PermissionDenied("Your role cannot move cases along their pathway.")
    moves = selectors.moves_for(user, case)
    posted = request.POST.get("move", "")
    for transition in workflow.moves_from(case.kind, case.status):
        if transition.name == posted and transition not in moves:
            raise PermissionDenied(f"Your role cannot {transition.label.lower()}.")
    form = MoveForm(request.POST, moves=moves, case=case)
    if form.is_valid():
        data = form.cleaned_data
        transition = workflow.transition_named(case.kind, case.status, data["move"])
        try:
            services.move_case(
                case,
                to=transition.target,
                reason=data["reason"],
                on=data["on"],
                acknowledgement_method=data.get("acknowledgement_method", ""),
                actor=user,
                expected_version=data["version"],
            )
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            complaint = selectors.escalated_to(user, case) if transition.target == Status.ESCALATED else None
            if complaint is not None:
                messages.success(request, f"Escalated to complaint {complaint.reference}.")
                return redirect("cases:detail", reference=complaint.reference)
            messages.success(request, f"{transition.label}: done.")
            return redirect("cases:detail", reference=case.reference)
    case = selectors.case_for_page(request.user, reference)
    return _case_page(request, case, forms={"move": with_current_version(form, case)})


@require_POST
def assign(request, reference):
    case = _case_to_change(request, reference, Permission.ASSIGN_CASES, "assign cases")
    form = AssignForm(
        request.POST,
        officers=selectors.assignable_officers(),
        investigators=selectors.assignable_investigators(),
        case=case,
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assign_case(
                case,
                case_officer=data["case_officer"],
                investigating_manager=data["investigating_manager"],
                reason=data["reason"],
                actor=request.user,
                expected_version=data["version"],
            )
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, "Assignment saved.")
            return redirect("cases:detail", reference=case.reference)
    case = selectors.case_for_page(request.user, reference)
    return _case_page(request, case, forms={"assign": with_current_version(form, case)})


@require_POST
def link(request, reference):
    case = _case_to_change(request, reference, Permission.ADD_NOTES, "link cases")
    form = LinkForm(request.POST)
    if form.is_valid():
        other_reference = form.cleaned_data["other"].strip().upper()
        other = selectors.cases_visible_to(request.user).filter(reference=other_reference).first()
        if other is None:
            form.add_error("other", f"There is no case {other_reference} that you can see.")
        else:
            try:
                services.link_cases(case, other, reason=form.cleaned_data["reason"], actor=request.user)
            except (ValidationError, RuleBroken) as error:
                put_errors_on_form(form, error)
            else:
                messages.success(request, f"Linked to {other.reference}.")
                return redirect("cases:detail", reference=case.reference)
    case = selectors.case_for_page(request.user, reference)
    return _case_page(request, case, forms={"link": form})


@require_http_methods(["GET", "POST"])
def edit_details(request, reference):
    case = selectors.case_for_page(request.user, reference)
    if not can(request.user, Permission.EDIT_CASE):
        raise PermissionDenied("Your role cannot change case details.")
    initial = {name: getattr(case, name) for name in services.EDITABLE_FIELDS} | {"version": case.version}
    form = CaseDetailsForm(request.POST or None, initial=initial, case=case)
    if request.method == "GET":
        services.record_case_view(case, actor=request.user)
    elif form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        try:
            services.update_case_details(
                case, actor=request.user, expected_version=form.cleaned_data["version"], **changes
            )
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
            case.refresh_from_db()
        else:
            messages.success(request, "Details saved.")
            return redirect("cases:detail", reference=case.reference)
    if form.is_bound:
        form = with_current_version(form, case)
    return render(request, "cases/edit_details.html", {"case": case, "form": form})


# --- The clocks ---------------------------------------------------------------------------------


def _change_clocks(request, reference, *, form_name: str, permission: Permission, doing: str, save):
    """Check access and role, parse the form, let `save(case, arguments)` call the service and say what it did.

    A refusal comes back on the case page with what was typed, its version moved on; success returns
    to the case's clocks with the message.
    """
    case = _case_to_change(request, reference, permission, doing)
    form = CLOCK_FORMS[form_name](request.POST, case=case)
    if form.is_valid():
        try:
            done = save(case, form.service_arguments())
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, done)
            return redirect(reverse("cases:detail", kwargs={"reference": case.reference}) + "#clocks")
    case = selectors.case_for_page(request.user, reference)
    return _case_page(request, case, forms={form_name: with_current_version(form, case)})


@require_POST
def agree_response_date(request, reference):
    def save(case, arguments):
        case = deadline_services.agree_response_date(case, actor=request.user, **arguments)
        return f"Response date agreed: {long_date(case.response_due_on)}."

    return _change_clocks(
        request, reference, form_name="agree", permission=Permission.MOVE_CASE, doing="agree response dates", save=save
    )


@require_POST
def agree_extension(request, reference):
    def save(case, arguments):
        case = deadline_services.agree_extension(case, actor=request.user, **arguments)
        return f"Response date extended to {long_date(case.response_due_on)}."

    return _change_clocks(
        request,
        reference,
        form_name="extension",
        permission=Permission.MOVE_CASE,
        doing="extend response dates",
        save=save,
    )


@require_POST
def put_on_hold(request, reference):
    def save(case, arguments):
        case = deadline_services.put_on_hold(case, actor=request.user, **arguments)
        return f"Response clock on hold from {long_date(case.on_hold_since)}."

    return _change_clocks(
        request, reference, form_name="hold", permission=Permission.MOVE_CASE, doing="put cases on hold", save=save
    )


@require_POST
def release_hold(request, reference):
    def save(case, arguments):
        case = deadline_services.release_hold(case, actor=request.user, **arguments)
        if case.response_due_on and case.response_due_basis == ResponseDueBasis.TARGET:
            return f"Hold ended. The response is now due {long_date(case.response_due_on)}."
        return "Hold ended."

    return _change_clocks(
        request,
        reference,
        form_name="release",
        permission=Permission.MOVE_CASE,
        doing="take cases off hold",
        save=save,
    )


@require_POST
def record_delay_letter(request, reference):
    def save(case, arguments):
        case = deadline_services.record_delay_letter(case, actor=request.user, **arguments)
        return f"Delay letter recorded as sent on {long_date(case.delay_letter_sent_on)}."

    return _change_clocks(
        request,
        reference,
        form_name="delay_letter",
        permission=Permission.MOVE_CASE,
        doing="record delay letters",
        save=save,
    )


@require_POST
def record_time_limit_decision(request, reference):
    def save(case, arguments):
        decision = deadline_services.record_time_limit_decision(case, actor=request.user, **arguments)
        if decision.is_accepted:
            return "Decision recorded: the complaint is taken on despite the time limit."
        return "Decision recorded: the complaint is not taken on, as it was made after the time limit."

    return _change_clocks(
        request,
        reference,
        form_name="time_limit",
        permission=Permission.DECIDE_TIME_LIMIT,
        doing="decide on complaints made after the time limit",
        save=save,
    )
