"""Pages for cases taken further: a PHSO case and the forms that record its work, CQC enquiries, joint complaints
and contributions, the co-ordinator's list of what is open, and the section these add to the case page.

Each page finds its case through cases.selectors (404 for a case the user may not see), checks the role (403),
then calls one service; a refusal comes back on the form with what was typed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from palsdesk.accounts.permissions import Permission, can
from palsdesk.cases import selectors as case_selectors
from palsdesk.cases.extensions import CaseSection
from palsdesk.cases.services import record_case_view
from palsdesk.core.dates import long_date, weekday_date
from palsdesk.core.errors import RuleBroken
from palsdesk.core.forms import put_errors_on_form
from palsdesk.deadlines import clocks
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.escalations import forms, selectors, services
from palsdesk.escalations.models import STAGE_ORDER, Recommendation

LIST_PAGE_SIZE = 25
_OMBUDSMAN = (Permission.HANDLE_OMBUDSMAN_AND_CQC, "record the Ombudsman's work on a case")
_CQC = (Permission.HANDLE_OMBUDSMAN_AND_CQC, "record the CQC's enquiries")
_JOINT = (Permission.COORDINATE_JOINT_WORK, "record joint complaints and contributions")


@dataclass(frozen=True)
class FormPage:
    """The words around a form: its heading, what it is for, its button, and where Back and success go."""

    title: str
    button: str
    done_url: str
    intro: str = ""
    back_url: str = ""
    back_label: str = ""


def _posted(request):
    """What was posted, or None for a GET: a POST with no fields (the case page's "Chase" button) is still bound."""
    return request.POST if request.method == "POST" else None


def _case(request, reference: str, permission: tuple[Permission, str]):
    """The case (404 if the user may not see it), then 403 if their role may not do this, before input is read."""
    case = case_selectors.visible_case(request.user, reference)
    if not can(request.user, permission[0]):
        raise PermissionDenied(f"Your role cannot {permission[1]}.")
    return case


def _case_url(case, anchor: str = "escalations") -> str:
    return reverse("cases:detail", kwargs={"reference": case.reference}) + f"#{anchor}"


def _ombudsman_url(ombudsman_case, anchor: str = "") -> str:
    url = reverse(
        "escalations:ombudsman_case", kwargs={"reference": ombudsman_case.case.reference, "pk": ombudsman_case.pk}
    )
    return url + (f"#{anchor}" if anchor else "")


def _form_page(request, *, case, form, page: FormPage, save: Callable[[dict], str | tuple[str, str]], context=None):
    """Show the form; on a good POST let `save` call the service and say what it did, then go to `done_url`
    (or to the address `save` gives with its message, for a record that did not exist before)."""
    if request.method == "POST" and form.is_valid():
        try:
            done = save(form.cleaned_data)
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            message, done_url = done if isinstance(done, tuple) else (done, page.done_url)
            messages.success(request, message)
            return redirect(done_url)
    back_url = page.back_url or _case_url(case)
    return render(
        request,
        "escalations/form_page.html",
        {
            "case": case,
            "form": form,
            "page": page,
            "back_url": back_url,
            "back_label": page.back_label or case.reference,
            **(context or {}),
        },
    )


# --- The co-ordinator's list ---------------------------------------------------------------------------------------


def may_see_the_list(user) -> bool:
    """The same rule as the navigation link (accounts.context_processors)."""
    return can(user, Permission.HANDLE_OMBUDSMAN_AND_CQC)


def _page(request, items, name: str):
    return Paginator(items, LIST_PAGE_SIZE, allow_empty_first_page=True).get_page(request.GET.get(name))


def _with_state(rows, *, due: Callable, met: Callable, today, calendar) -> list:
    rows = list(rows)
    for row in rows:
        due_on = due(row)
        row.due_state = (
            clocks.state_of(due_on=due_on, met_on=met(row), today=today, calendar=calendar) if due_on else None
        )
    return rows


@require_GET
def open_list(request):
    if not may_see_the_list(request.user):
        raise PermissionDenied("Your role does not handle the Ombudsman's and the CQC's work.")
    today = timezone.localdate()
    calendar = working_day_calendar()
    ombudsman_page = _page(request, selectors.open_ombudsman_cases(request.user), "phso_page")
    ombudsman_page.object_list = _with_state(
        ombudsman_page.object_list, due=lambda o: o.next_due_on, met=lambda o: None, today=today, calendar=calendar
    )
    cqc_page = _page(request, selectors.open_cqc_enquiries(request.user), "cqc_page")
    cqc_page.object_list = _with_state(
        cqc_page.object_list, due=lambda e: e.due_on, met=lambda e: e.sent_on, today=today, calendar=calendar
    )
    contributions_page = _page(request, selectors.contributions_awaited(request.user), "contributions_page")
    contributions_page.object_list = _with_state(
        contributions_page.object_list,
        due=lambda c: c.due_on,
        met=lambda c: c.received_on,
        today=today,
        calendar=calendar,
    )
    return render(
        request,
        "escalations/open_list.html",
        {
            "ombudsman_page": ombudsman_page,
            "cqc_page": cqc_page,
            "contributions_page": contributions_page,
            "today": today,
        },
    )


# --- The case page's section ---------------------------------------------------------------------------------------


def case_section(user, case) -> CaseSection | None:
    """The case page's "Ombudsman, CQC and joint working" section; none for a user who could neither see nor add
    anything there."""
    can_handle = can(user, Permission.HANDLE_OMBUDSMAN_AND_CQC)
    can_coordinate = can(user, Permission.COORDINATE_JOINT_WORK)
    found = selectors.escalations_of(case)
    is_formal = case.kind in services.FORMAL_KINDS
    if found.is_empty and not (can_coordinate or (can_handle and is_formal)):
        return None
    today = timezone.localdate()
    calendar = working_day_calendar()
    _with_state(found.ombudsman_cases, due=lambda o: o.next_due_on, met=lambda o: None, today=today, calendar=calendar)
    _with_state(found.cqc_enquiries, due=lambda e: e.due_on, met=lambda e: e.sent_on, today=today, calendar=calendar)
    _with_state(
        found.contributions, due=lambda c: c.due_on, met=lambda c: c.received_on, today=today, calendar=calendar
    )
    joint = found.joint
    if joint is not None:
        joint.lead = next((body for body in joint.bodies.all() if body.is_lead), None)
        joint.due_state = (
            clocks.state_of(due_on=joint.our_part_due_on, met_on=joint.our_part_sent_on, today=today, calendar=calendar)
            if joint.our_part_due_on
            else None
        )
    return CaseSection(
        heading="Ombudsman, CQC and joint working",
        anchor="escalations",
        template="escalations/_case_section.html",
        context={
            "found": found,
            "joint": joint,
            "is_formal": is_formal,
            "can_handle": can_handle,
            "can_coordinate": can_coordinate,
            "can_open_ombudsman": can_handle
            and is_formal
            and not any(o.closed_on is None for o in found.ombudsman_cases),
            "user_id": user.pk,
        },
    )


# --- The Ombudsman -------------------------------------------------------------------------------------------------


@require_GET
def ombudsman_case(request, reference, pk):
    found = selectors.ombudsman_case_for_page(request.user, reference, pk)
    record_case_view(found.case, actor=request.user)
    today = timezone.localdate()
    calendar = working_day_calendar()
    requests = _with_state(
        found.requests.all(), due=lambda r: r.due_on, met=lambda r: r.sent_on, today=today, calendar=calendar
    )
    recommendations = _with_state(
        found.recommendations.all(),
        due=lambda r: r.due_on,
        met=lambda r: r.complied_on if r.status == Recommendation.Status.COMPLIED else None,
        today=today,
        calendar=calendar,
    )
    can_change = can(request.user, Permission.HANDLE_OMBUDSMAN_AND_CQC) and found.is_open
    return render(
        request,
        "escalations/ombudsman_case.html",
        {
            "ombudsman": found,
            "case": found.case,
            "stages": list(found.stages.all()),
            "requests": requests,
            "recommendations": recommendations,
            "can_change": can_change,
            "has_later_stage": found.stage != STAGE_ORDER[-1],
            "can_recommend": can_change and found.decision in services.DECISIONS_WITH_RECOMMENDATIONS,
            "can_close": can_change
            and bool(found.decision)
            and all(r.status == Recommendation.Status.COMPLIED for r in recommendations),
        },
    )


def _ombudsman_for_change(request, reference, pk):
    """The PHSO case (404 unless on a case the user may see), then 403 unless their role records its work."""
    found = selectors.ombudsman_case_for_page(request.user, reference, pk)
    if not can(request.user, _OMBUDSMAN[0]):
        raise PermissionDenied(f"Your role cannot {_OMBUDSMAN[1]}.")
    return found


@require_http_methods(["GET", "POST"])
def open_ombudsman_case(request, reference):
    case = _case(request, reference, _OMBUDSMAN)
    form = forms.OpenOmbudsmanCaseForm(_posted(request), initial={"handled_by": request.user.pk})

    def save(data):
        opened = services.open_ombudsman_case(case, actor=request.user, **data)
        return f"PHSO case {opened.phso_reference} recorded on {case.reference}.", _ombudsman_url(opened)

    page = FormPage(
        title="Record that the Ombudsman has taken up the complaint",
        intro=(
            "The Parliamentary and Health Service Ombudsman looks at a complaint once the trust has responded "
            "locally, unless it decides to take it earlier."
        ),
        button="Save the PHSO case",
        done_url="",
    )
    return _form_page(request, case=case, form=form, page=page, save=save)


@require_http_methods(["GET", "POST"])
def change_ombudsman_case(request, reference, pk):
    found = _ombudsman_for_change(request, reference, pk)
    initial = {
        "phso_reference": found.phso_reference,
        "caseworker_name": found.caseworker_name,
        "caseworker_email": found.caseworker_email,
        "caseworker_phone": found.caseworker_phone,
        "handled_by": found.handled_by_id,
    }
    form = forms.OmbudsmanDetailsForm(_posted(request), initial=initial)

    def save(data):
        services.change_ombudsman_details(found, actor=request.user, **data)
        return "PHSO case details saved."

    return _ombudsman_form(request, found, form, "Change the PHSO case details", "Save the details", save)


def _ombudsman_form(request, found, form, title: str, button: str, save, *, anchor: str = "", intro: str = ""):
    page = FormPage(
        title=title,
        intro=intro,
        button=button,
        done_url=_ombudsman_url(found, anchor),
        back_url=_ombudsman_url(found),
        back_label=f"PHSO {found.phso_reference}",
    )
    return _form_page(request, case=found.case, form=form, page=page, save=save, context={"ombudsman": found})


@require_http_methods(["GET", "POST"])
def record_stage(request, reference, pk):
    found = _ombudsman_for_change(request, reference, pk)
    form = forms.StageForm(_posted(request), current=found.stage)

    def save(data):
        services.record_stage(found, actor=request.user, **data)
        return f"Stage recorded: {found.get_stage_display().lower()}."

    return _ombudsman_form(
        request,
        found,
        form,
        "Record the stage the PHSO has reached",
        "Save the stage",
        save,
        anchor="stages",
        intro=f"The PHSO case is at {found.get_stage_display().lower()} since {long_date(found.stage_on)}.",
    )


@require_http_methods(["GET", "POST"])
def add_request(request, reference, pk):
    found = _ombudsman_for_change(request, reference, pk)
    form = forms.OmbudsmanRequestForm(_posted(request))

    def save(data):
        added = services.add_ombudsman_request(found, actor=request.user, **data)
        return f"Request recorded. The reply is due {weekday_date(added.due_on)}."

    return _ombudsman_form(
        request,
        found,
        form,
        "Record a request from the PHSO",
        "Save the request",
        save,
        anchor="requests",
        intro="Give the deadline as the PHSO wrote it: a date, or a number of calendar or working days.",
    )


@require_http_methods(["GET", "POST"])
def record_request_sent(request, reference, pk, request_id):
    found = _ombudsman_for_change(request, reference, pk)
    asked = selectors.request_of(found, request_id)
    form = forms.SentForm(_posted(request))

    def save(data):
        services.record_sent_to_ombudsman(asked, actor=request.user, **data)
        return "Recorded what was sent to the PHSO."

    return _ombudsman_form(
        request,
        found,
        form,
        "Record what was sent to the PHSO",
        "Save",
        save,
        anchor=f"request-{asked.pk}",
        intro=f"The PHSO asked for: {asked.what_is_asked} (due {weekday_date(asked.due_on)}).",
    )


@require_http_methods(["GET", "POST"])
def record_decision(request, reference, pk):
    found = _ombudsman_for_change(request, reference, pk)
    initial = (
        {"decision": found.decision, "decided_on": found.decided_on, "summary": found.decision_summary}
        if found.decision
        else {}
    )
    form = forms.DecisionForm(_posted(request), initial=initial)

    def save(data):
        decided = services.record_decision(found, actor=request.user, **data)
        return f"Decision recorded: {decided.get_decision_display().lower()}."

    return _ombudsman_form(
        request, found, form, "Record the PHSO's decision", "Save the decision", save, anchor="decision"
    )


@require_http_methods(["GET", "POST"])
def add_recommendation(request, reference, pk):
    found = _ombudsman_for_change(request, reference, pk)
    form = forms.RecommendationForm(_posted(request))

    def save(data):
        added = services.add_recommendation(found, actor=request.user, **data)
        return f"Recommendation recorded. Comply by {weekday_date(added.due_on)}."

    return _ombudsman_form(
        request, found, form, "Record a recommendation", "Save the recommendation", save, anchor="recommendations"
    )


@require_http_methods(["GET", "POST"])
def record_evidence(request, reference, pk, recommendation_id):
    found = _ombudsman_for_change(request, reference, pk)
    recommendation = selectors.recommendation_of(found, recommendation_id)
    form = forms.EvidenceForm(_posted(request))

    def save(data):
        services.record_compliance_evidence(recommendation, actor=request.user, **data)
        return "Evidence of compliance recorded as sent."

    return _ombudsman_form(
        request,
        found,
        form,
        "Record evidence of compliance sent to the PHSO",
        "Save the evidence",
        save,
        anchor=f"recommendation-{recommendation.pk}",
        intro=f"{recommendation.get_kind_display()}: {recommendation.description}",
    )


@require_http_methods(["GET", "POST"])
def record_verdict(request, reference, pk, evidence_id):
    found = _ombudsman_for_change(request, reference, pk)
    evidence = selectors.evidence_of(found, evidence_id)
    form = forms.VerdictForm(_posted(request))

    def save(data):
        answered = services.record_evidence_verdict(evidence, actor=request.user, **data)
        return f"The PHSO's answer recorded: {answered.get_verdict_display().lower()}."

    return _ombudsman_form(
        request,
        found,
        form,
        "Record the PHSO's answer to the evidence",
        "Save the answer",
        save,
        anchor=f"recommendation-{evidence.recommendation_id}",
        intro=f"Evidence sent {long_date(evidence.sent_on)}: {evidence.description}",
    )


@require_http_methods(["GET", "POST"])
def close_ombudsman_case(request, reference, pk):
    found = _ombudsman_for_change(request, reference, pk)
    form = forms.CloseForm(_posted(request))

    def save(data):
        services.close_ombudsman_case(found, actor=request.user, **data)
        return f"PHSO case {found.phso_reference} closed."

    return _ombudsman_form(
        request,
        found,
        form,
        "Close the PHSO case",
        "Close the PHSO case",
        save,
        intro="Close it once the PHSO has decided and accepted the evidence for every recommendation.",
    )


# --- The CQC -------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def open_cqc_enquiry(request, reference):
    case = _case(request, reference, _CQC)
    form = forms.CqcEnquiryForm(_posted(request), initial={"handled_by": request.user.pk})

    def save(data):
        enquiry = services.open_cqc_enquiry(case, actor=request.user, **data)
        return f"CQC enquiry recorded. The reply is due {weekday_date(enquiry.due_on)}."

    page = FormPage(title="Record an enquiry from the CQC", button="Save the enquiry", done_url=_case_url(case))
    return _form_page(request, case=case, form=form, page=page, save=save)


@require_http_methods(["GET", "POST"])
def record_cqc_sent(request, reference, pk):
    case = _case(request, reference, _CQC)
    enquiry = selectors.cqc_enquiry_of(case, pk)
    form = forms.SentForm(_posted(request))

    def save(data):
        services.record_sent_to_cqc(enquiry, actor=request.user, **data)
        return "Recorded what was sent to the CQC."

    page = FormPage(
        title="Record what was sent to the CQC",
        intro=f"The CQC asked: {enquiry.what_is_asked} (due {weekday_date(enquiry.due_on)}).",
        button="Save",
        done_url=_case_url(case, f"cqc-{enquiry.pk}"),
    )
    return _form_page(request, case=case, form=form, page=page, save=save)


# --- Joint complaints ----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def record_joint_complaint(request, reference):
    case = _case(request, reference, _JOINT)
    joint = selectors.joint_complaint_of(case)
    initial = {}
    if joint is not None:
        initial = {
            "consent_to_share": joint.consent_to_share,
            "consent_on": joint.consent_on,
            "consent_note": joint.consent_note,
            "our_part": joint.our_part,
            "our_part_due_on": joint.our_part_due_on,
            "lead": next((body.pk for body in joint.bodies.all() if body.is_lead), None),
        }
    form = forms.JointComplaintForm(_posted(request), initial=initial, joint=joint)

    def save(data):
        arguments = dict(data)
        if joint is None:
            arguments.pop("lead", None)
        services.record_joint_complaint(case, actor=request.user, **arguments)
        return "Joint complaint saved."

    page = FormPage(
        title="Change the joint complaint" if joint else "Handle the complaint jointly with other bodies",
        intro=(
            "Regulation 9: where a complaint is also about another responsible body, the bodies co-operate, agree "
            "which of them leads, and send a single co-ordinated response. Ask the complainant's consent before "
            "sharing their complaint."
        ),
        button="Save",
        done_url=_case_url(case, "joint"),
    )
    return _form_page(request, case=case, form=form, page=page, save=save)


def _joint_of(case):
    joint = selectors.joint_complaint_of(case)
    if joint is None:
        raise Http404("This complaint is not handled jointly.")
    return joint


@require_http_methods(["GET", "POST"])
def add_joint_body(request, reference):
    case = _case(request, reference, _JOINT)
    joint = _joint_of(case)
    form = forms.JointBodyForm(_posted(request))

    def save(data):
        body = services.add_joint_body(joint, actor=request.user, **data)
        return f"{body.name} added to the joint complaint."

    page = FormPage(
        title="Add an organisation to the joint complaint",
        button="Add the organisation",
        done_url=_case_url(case, "joint"),
    )
    return _form_page(request, case=case, form=form, page=page, save=save)


@require_http_methods(["GET", "POST"])
def record_our_part_sent(request, reference):
    case = _case(request, reference, _JOINT)
    joint = _joint_of(case)
    form = forms.OurPartSentForm(_posted(request))

    def save(data):
        services.record_our_part_sent(joint, actor=request.user, **data)
        return "The trust's part recorded as sent."

    page = FormPage(
        title="Record the trust's part as sent to the lead body",
        intro=joint.our_part,
        button="Save",
        done_url=_case_url(case, "joint"),
    )
    return _form_page(request, case=case, form=form, page=page, save=save)


# --- Contributions -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def request_contribution(request, reference):
    case = _case(request, reference, _JOINT)
    bodies = selectors.joint_bodies_of(case) if case.kind in services.FORMAL_KINDS else None
    if bodies is not None and not bodies.exists():
        bodies = None
    form = forms.ContributionForm(_posted(request), bodies=bodies, initial={"requested_on": timezone.localdate()})

    def save(data):
        asked = services.request_contribution(case, actor=request.user, **data)
        return f"Contribution asked of {asked.source_name}, due {weekday_date(asked.due_on)}."

    page = FormPage(
        title="Ask for a contribution",
        intro="Ask another division (naming a colleague there if you can), or an organisation of the joint complaint.",
        button="Save the request",
        done_url=_case_url(case, "contributions"),
    )
    return _form_page(request, case=case, form=form, page=page, save=save)


@require_http_methods(["GET", "POST"])
def chase_contribution(request, reference, pk):
    case = _case(request, reference, _JOINT)
    contribution = selectors.contribution_of(case, pk)
    form = forms.ChaseForm(_posted(request))

    def save(data):
        chaser = services.chase_contribution(contribution, actor=request.user, **data)
        return f"Chaser recorded as sent to {contribution.source_name} on {long_date(chaser.sent_on)}."

    page = FormPage(
        title=f"Chase {contribution.source_name}",
        intro=f"Asked {long_date(contribution.requested_on)}, due {weekday_date(contribution.due_on)}: "
        f"{contribution.what_is_asked}",
        button="Record the chaser",
        done_url=_case_url(case, f"contribution-{contribution.pk}"),
    )
    return _form_page(request, case=case, form=form, page=page, save=save)


@require_http_methods(["GET", "POST"])
def record_contribution_received(request, reference, pk):
    case = case_selectors.visible_case(request.user, reference)
    contribution = selectors.contribution_of(case, pk)
    # The colleague asked by name records their own contribution, whatever their role.
    if not (can(request.user, _JOINT[0]) or contribution.asked_user_id == request.user.pk):
        raise PermissionDenied(f"Your role cannot {_JOINT[1]}.")
    form = forms.ReceivedForm(_posted(request), initial={"received_on": timezone.localdate()})

    def save(data):
        services.record_contribution_received(contribution, actor=request.user, **data)
        return f"Contribution from {contribution.source_name} recorded."

    page = FormPage(
        title=f"Record the contribution from {contribution.source_name}",
        intro=f"Asked {long_date(contribution.requested_on)}, due {weekday_date(contribution.due_on)}: "
        f"{contribution.what_is_asked}",
        button="Save the contribution",
        done_url=_case_url(case, f"contribution-{contribution.pk}"),
    )
    return _form_page(request, case=case, form=form, page=page, save=save)
