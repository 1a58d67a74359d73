"""Pages of the final response: writing the draft, its versions and their comparison, review, sign-off and
sending; and the library of standard paragraphs administrators keep.

Every case is found through cases.selectors (a case the user may not see answers 404), the role is checked
before any input is read (403), and every change goes through responses.services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palsdesk.accounts.permissions import Permission, can
from palsdesk.cases import selectors as case_selectors
from palsdesk.cases.forms import with_current_version
from palsdesk.cases.models import Status
from palsdesk.cases.services import record_case_view
from palsdesk.core.dates import long_date
from palsdesk.core.errors import RuleBroken
from palsdesk.core.forms import put_errors_on_form
from palsdesk.responses import comparison, selectors, services
from palsdesk.responses.forms import (
    DraftForm,
    ReturnForm,
    SendForm,
    SignOffForm,
    StandardParagraphForm,
    SubmitForm,
    WordDraftForm,
)
from palsdesk.responses.models import StandardParagraph


def _section_url(case) -> str:
    return reverse("cases:detail", kwargs={"reference": case.reference}) + "#final-response"


def _complaint(request, reference):
    """The complaint (404 if the user may not see it, or if it is not a complaint), with its grade."""
    case = case_selectors.visible_case(request.user, reference)
    if case.kind not in selectors.RESPONSE_KINDS:
        raise Http404("Only a complaint has a final response.")
    return case


def _refuse_unless(allowed: bool, doing: str) -> None:
    if not allowed:
        raise PermissionDenied(f"Your role cannot {doing}.")


# --- Writing the draft ----------------------------------------------------------------------------------------------


def _draft_page(request, case, *, draft_form=None, word_form=None, status=200):
    response = selectors.current_response(case)
    latest = selectors.latest_version(response)
    based_on = latest.number if latest else 0
    state = selectors.state_of(response, case)
    actions = selectors.actions_for(request.user, case, response, state)
    draft_form = draft_form or DraftForm(initial={"based_on": based_on, "draft": latest.html if latest else ""})
    word_form = word_form or WordDraftForm(initial={"based_on": based_on})
    return render(
        request,
        "responses/draft.html",
        {
            "case": case,
            "response": response,
            "state": state,
            "latest": latest,
            "can_write": actions.can_draft,
            "draft_form": draft_form,
            "word_form": word_form,
            "returned": selectors.latest_return(response) if state == selectors.State.RETURNED else None,
            "has_paragraphs": draft_form.fields["paragraph"].queryset.exists(),
            "can_change_paragraphs": can(request.user, Permission.ADMINISTER),
        },
        status=status,
    )


def _can_work_on_drafts(user) -> bool:
    return can(user, Permission.INVESTIGATE) or can(user, Permission.REVIEW_RESPONSES)


@require_http_methods(["GET", "POST"])
def draft(request, reference):
    case = _complaint(request, reference)
    _refuse_unless(_can_work_on_drafts(request.user), "write draft responses")
    if request.method == "GET":
        record_case_view(case, actor=request.user)
        return _draft_page(request, case)
    form = DraftForm(request.POST)
    if "insert" in request.POST:
        # Putting a standard paragraph in changes only what is on the screen; saving makes the version.
        if form.is_valid() and form.cleaned_data["paragraph"] is None:
            form.add_error("paragraph", "Choose the standard paragraph to insert.")
        elif form.is_valid():
            data = request.POST.copy()
            data["draft"] = f"{form.cleaned_data['draft'].rstrip()}\n{form.cleaned_data['paragraph'].html}".strip()
            data["paragraph"] = ""
            form = DraftForm(data)
            form.is_valid()
        return _draft_page(request, case, draft_form=form)
    if form.is_valid():
        try:
            version = services.save_draft(
                case, actor=request.user, draft=form.cleaned_data["draft"], based_on=form.cleaned_data["based_on"]
            )
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, f"Draft version {version.number} saved.")
            return redirect(_section_url(case))
    return _draft_page(request, case, draft_form=form)


@require_POST
def upload_word(request, reference):
    case = _complaint(request, reference)
    _refuse_unless(_can_work_on_drafts(request.user), "write draft responses")
    form = WordDraftForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.save_draft(
                case,
                actor=request.user,
                document=form.cleaned_data["document"],
                based_on=form.cleaned_data["based_on"],
            )
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, f"Draft version {version.number} saved from {version.word_filename}.")
            return redirect(_section_url(case))
    return _draft_page(request, case, word_form=form)


# --- Versions and comparing them ------------------------------------------------------------------------------------


def _round(request) -> int | None:
    value = request.GET.get("round", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


@require_GET
def version(request, reference, number):
    case = _complaint(request, reference)
    response = selectors.response_in_round(case, _round(request))
    shown = selectors.version_numbered(response, number)
    versions = selectors.versions_of(response)
    record_case_view(case, actor=request.user)
    return render(
        request,
        "responses/version.html",
        {
            "case": case,
            "response": response,
            "version": shown,
            "paragraphs": selectors.numbered_paragraphs(shown),
            "checks": selectors.element_checks(selectors.checks_of(shown)),
            "versions": versions,
            "previous": next((v for v in versions if v.number == shown.number - 1), None),
        },
    )


def _version_number(request, name: str, versions: list, default) -> int | None:
    value = request.GET.get(name, "")
    if not value:
        return default
    if not value.isdigit() or int(value) not in {v.number for v in versions}:
        return -1
    return int(value)


@require_GET
def compare(request, reference):
    case = _complaint(request, reference)
    response = selectors.response_in_round(case, _round(request))
    versions = selectors.versions_of(response)
    by_number = {v.number: v for v in versions}
    newest = versions[-1].number if versions else None
    older_number = _version_number(request, "from", versions, newest - 1 if newest and newest > 1 else None)
    newer_number = _version_number(request, "to", versions, newest)
    problem = ""
    if len(versions) < 2:
        problem = "There is only one version, so there is nothing to compare yet."
    elif older_number == -1 or newer_number == -1:
        problem = f"Choose versions from 1 to {newest}."
    elif older_number == newer_number:
        problem = "Choose two different versions to compare."
    result = None
    if not problem:
        older, newer = by_number[older_number], by_number[newer_number]
        result = selectors.compare_versions(older, newer)
    record_case_view(case, actor=request.user)
    return render(
        request,
        "responses/compare.html",
        {
            "case": case,
            "response": response,
            "versions": versions,
            "older": by_number.get(older_number),
            "newer": by_number.get(newer_number),
            "result": result,
            "diff_html": comparison.as_html(result) if result else "",
            "problem": problem,
        },
        status=400 if problem and len(versions) >= 2 else 200,
    )


# --- Review ---------------------------------------------------------------------------------------------------------


@require_POST
def submit(request, reference):
    case = _complaint(request, reference)
    _refuse_unless(can(request.user, Permission.INVESTIGATE), "submit draft responses")
    form = SubmitForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.submit_for_review(case, actor=request.user, expected_version=form.cleaned_data["version"])
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, "The draft response is with the reviewer.")
            return redirect(_section_url(case))
    for message in [*form.non_field_errors(), *form.errors.get("version", [])]:
        messages.error(request, message)
    return redirect(_section_url(case))


@require_http_methods(["GET", "POST"])
def return_draft(request, reference):
    case = _complaint(request, reference)
    _refuse_unless(can(request.user, Permission.REVIEW_RESPONSES), "return draft responses")
    form = ReturnForm(request.POST or None, initial={"version": case.version}, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_with_comments(
                case,
                comments=form.cleaned_data["comments"],
                actor=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
            case.refresh_from_db()
            with_current_version(form, case)
        else:
            messages.success(request, "Returned to the investigator with your comments.")
            return redirect(_section_url(case))
    response = selectors.current_response(case)
    return render(
        request,
        "responses/return.html",
        {"case": case, "form": form, "latest": selectors.latest_version(response), "response": response},
    )


def _sign_off_page(request, case, *, form=None):
    response = selectors.current_response(case)
    state = selectors.state_of(response, case)
    latest = selectors.latest_version(response)
    paragraphs = selectors.numbered_paragraphs(latest) if latest else []
    checks = selectors.checks_of(latest)
    if form is None:
        initial = {element: check.paragraph for element, check in checks.items()}
        form = SignOffForm(initial=initial, paragraphs=paragraphs)
    return render(
        request,
        "responses/sign_off.html",
        {
            "case": case,
            "response": response,
            "state": state,
            "latest": latest,
            "paragraphs": paragraphs,
            "element_checks": selectors.element_checks(checks),
            "form": form,
            "who_signs": selectors.who_signs(case),
            "is_open": state == selectors.State.IN_REVIEW and latest is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def sign_off(request, reference):
    case = _complaint(request, reference)
    if not selectors.may_sign(request.user, case):
        raise PermissionDenied(
            f"Your role cannot sign off this response. It is signed off by {selectors.who_signs(case)}."
        )
    if request.method == "GET":
        record_case_view(case, actor=request.user)
        return _sign_off_page(request, case)
    latest = selectors.latest_version(selectors.current_response(case))
    form = SignOffForm(request.POST, paragraphs=selectors.numbered_paragraphs(latest) if latest else [])
    if form.is_valid():
        try:
            services.record_regulation_14_checks(case, actor=request.user, paragraphs=form.paragraphs_chosen())
            if "sign" in request.POST:
                services.sign_off(case, actor=request.user, signed_as=form.cleaned_data["signed_as"])
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            if "sign" in request.POST:
                messages.success(request, f"Version {latest.number} signed off. It can now be sent.")
                return redirect(_section_url(case))
            messages.success(request, "Regulation 14 checks saved.")
            return redirect(reverse("responses:sign_off", kwargs={"reference": case.reference}))
    return _sign_off_page(request, case, form=form)


@require_http_methods(["GET", "POST"])
def send(request, reference):
    case = _complaint(request, reference)
    _refuse_unless(can(request.user, Permission.MOVE_CASE), "record responses as sent")
    form = SendForm(request.POST or None, initial={"version": case.version, "method": "letter"}, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.send_response(
                case,
                actor=request.user,
                method=form.cleaned_data["method"],
                sent_on=form.cleaned_data["sent_on"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
            case.refresh_from_db()
            with_current_version(form, case)
        else:
            messages.success(
                request,
                f"Response recorded as sent on {long_date(response.sent_on)}; the signed letter is filed in the "
                "communications log.",
            )
            return redirect(_section_url(case))
    response = selectors.current_response(case)
    return render(
        request,
        "responses/send.html",
        {
            "case": case,
            "form": form,
            "response": response,
            "is_ready": response is not None
            and response.is_signed_off
            and not response.is_sent
            and case.status == Status.RESPONSE_IN_REVIEW,
        },
    )


# --- Standard paragraphs --------------------------------------------------------------------------------------------


def _require_administrator(request) -> None:
    _refuse_unless(can(request.user, Permission.ADMINISTER), "change the standard paragraphs")


@require_GET
def paragraphs(request):
    _require_administrator(request)
    return render(
        request,
        "responses/paragraphs.html",
        {"paragraphs": list(StandardParagraph.objects.order_by("order", "title"))},
    )


@require_http_methods(["GET", "POST"])
def paragraph(request, pk=None):
    _require_administrator(request)
    existing = get_object_or_404(StandardParagraph, pk=pk) if pk is not None else None
    initial = {}
    if existing is not None:
        initial = {
            "title": existing.title,
            "purpose": existing.purpose,
            "html": existing.html,
            "order": existing.order,
            "disabled_on": existing.disabled_on,
        }
    form = StandardParagraphForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = {
            "title": data["title"],
            "purpose": data["purpose"],
            "html": data["html"],
            "order": data["order"] or 0,
        }
        try:
            if existing is None:
                saved = services.add_standard_paragraph(actor=request.user, **arguments)
            else:
                saved = services.change_standard_paragraph(
                    existing, actor=request.user, disabled_on=data["disabled_on"], **arguments
                )
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, f"Standard paragraph '{saved.title}' saved.")
            return redirect("responses:paragraphs")
    return render(request, "responses/paragraph.html", {"form": form, "existing": existing})
