"""Pages for action plans: the lists (with overdue actions), raising a plan, its actions and their progress, evidence
files, and the "you said, we did" list with its exports for the trust's website.

Every plan and action is found through learning.selectors (404 for one the user may not see), the role is checked
(403), and every change goes through learning.services.
"""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palsdesk.accounts.permissions import Permission, can
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.core.errors import RuleBroken
from palsdesk.core.forms import put_errors_on_form
from palsdesk.deadlines import clocks
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.learning import evidence as evidence_rules
from palsdesk.learning import selectors, services
from palsdesk.learning.forms import (
    ActionFilterForm,
    ActionForm,
    EvidenceForm,
    PlanFilterForm,
    PlanForm,
    StatusForm,
    WithdrawForm,
    WordingFilterForm,
    WordingForm,
)
from palsdesk.learning.models import Action, ActionStatus, PlanScope
from palsdesk.organisation.models import Division

LIST_PAGE_SIZE = 50


def _page(request, items):
    return Paginator(items, LIST_PAGE_SIZE, allow_empty_first_page=True).get_page(request.GET.get("page"))


def _query_prefix(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


def _require_seeing_plans(user) -> None:
    if not selectors.may_see_action_plans(user):
        raise PermissionDenied("Your role cannot see action plans.")


def _require(user, permission: Permission, doing: str) -> None:
    if not can(user, permission):
        raise PermissionDenied(f"Your role cannot {doing}.")


def _divisions():
    return list(Division.objects.order_by("name").only("pk", "code", "name"))


def _with_due_states(actions, *, today):
    """Each outstanding action with the red, amber or green state of its due date (`due_state`), as My work shows."""
    calendar = working_day_calendar()
    rows = list(actions)
    for action in rows:
        action.due_state = (
            clocks.state_of(due_on=action.due_on, met_on=None, today=today, calendar=calendar)
            if action.is_outstanding
            else None
        )
    return rows


# --- The lists -------------------------------------------------------------------------------------------------------


@require_GET
def plan_list(request):
    _require_seeing_plans(request.user)
    today = timezone.localdate()
    form = PlanFilterForm(request.GET, divisions=_divisions())
    filters = selectors.PlanFilters()
    if form.is_valid():
        filters = selectors.PlanFilters(
            division=form.cleaned_data["division"],
            scope=form.cleaned_data["scope"],
            only_overdue=form.cleaned_data["overdue"],
        )
    page = _page(request, selectors.plan_list(request.user, filters, today=today))
    return render(
        request,
        "learning/plan_list.html",
        {
            "form": form,
            "page": page,
            "query_prefix": _query_prefix(request),
            "can_raise": can(request.user, Permission.MANAGE_ACTION_PLANS),
        },
    )


@require_GET
def action_list(request):
    _require_seeing_plans(request.user)
    today = timezone.localdate()
    form = ActionFilterForm(request.GET, divisions=_divisions())
    filters = selectors.ActionFilters()
    if form.is_valid():
        filters = selectors.ActionFilters(
            due=form.cleaned_data["due"], division=form.cleaned_data["division"], mine=form.cleaned_data["mine"]
        )
    page = _page(request, selectors.action_list(request.user, filters, today=today))
    page.object_list = _with_due_states(page.object_list, today=today)
    return render(
        request,
        "learning/action_list.html",
        {"form": form, "page": page, "query_prefix": _query_prefix(request), "today": today},
    )


# --- Plans -----------------------------------------------------------------------------------------------------------


def _plan_form(request, data=None, initial=None) -> PlanForm:
    return PlanForm(
        data,
        initial=initial,
        cases=cases_visible_to(request.user),
        theme_codes=selectors.theme_codes(),
        local_subjects=selectors.local_subjects_in_use(),
        divisions=Division.objects.active().order_by("name"),
    )


@require_http_methods(["GET", "POST"])
def raise_plan(request):
    _require(request.user, Permission.MANAGE_ACTION_PLANS, "raise action plans")
    reference = request.GET.get("case", "").strip().upper()
    initial = {"scope": PlanScope.CASE, "case": reference} if reference else None
    form = _plan_form(request, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.raise_action_plan(actor=request.user, **form.service_arguments())
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, f"Action plan raised: {plan.title}. Add its actions.")
            return redirect("learning:plan", plan_id=plan.pk)
    return render(request, "learning/raise_plan.html", {"form": form})


@require_GET
def plan_detail(request, plan_id):
    plan = selectors.plan_for_page(request.user, plan_id)
    today = timezone.localdate()
    return render(
        request,
        "learning/plan_detail.html",
        {
            "plan": plan,
            "actions": _with_due_states(plan.actions.all(), today=today),
            "can_change": can(request.user, Permission.MANAGE_ACTION_PLANS),
        },
    )


def _action_form(request, plan, data=None, initial=None) -> ActionForm:
    return ActionForm(
        data,
        initial=initial,
        owners=selectors.possible_owners(plan).order_by("first_name", "last_name", "username"),
        cases=cases_visible_to(request.user),
        theme_codes=selectors.theme_codes(),
        local_subjects=selectors.local_subjects_in_use(),
    )


@require_http_methods(["GET", "POST"])
def add_action(request, plan_id):
    plan = selectors.visible_plan(request.user, plan_id)
    _require(request.user, Permission.MANAGE_ACTION_PLANS, "add actions")
    form = _action_form(request, plan, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.add_action(plan, actor=request.user, **form.service_arguments())
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, f"Action added for {action.owner}.")
            return redirect("learning:plan", plan_id=plan.pk)
    return render(request, "learning/action_form.html", {"plan": plan, "action": None, "form": form})


# --- An action -------------------------------------------------------------------------------------------------------


def _action_page(request, action, *, forms=None, status: int = 200):
    """The action page, with any form that came back with errors kept as the person typed it."""
    forms = forms or {}
    user = request.user
    can_change = can(user, Permission.MANAGE_ACTION_PLANS)
    can_publish = can(user, Permission.PUBLISH_LEARNING)
    wording = getattr(action, "public_wording", None)
    context = {
        "action": action,
        "plan": action.plan,
        "today": timezone.localdate(),
        "due_state": _with_due_states([action], today=timezone.localdate())[0].due_state,
        "wording": wording,
        "can_change": can_change,
        "can_publish": can_publish,
        "status_form": forms.get("status") or (StatusForm() if can_change else None),
        "evidence_form": forms.get("evidence")
        or (EvidenceForm(limit_in_words=_limit_in_words()) if can_change else None),
        "wording_form": forms.get("wording")
        or (
            WordingForm(initial={"you_said": wording.you_said, "we_did": wording.we_did} if wording else None)
            if can_publish
            else None
        ),
        "withdraw_form": forms.get("withdraw") or (WithdrawForm() if can_publish else None),
        "open_section": next(iter(forms), None),
    }
    return render(request, "learning/action_detail.html", context, status=status)


def _limit_in_words() -> str:
    return evidence_rules.megabytes(evidence_rules.max_upload_bytes())


@require_GET
def action_detail(request, action_id):
    return _action_page(request, selectors.action_for_page(request.user, action_id))


def _change_initial(action) -> dict:
    return {
        "description": action.description,
        "owner": action.owner_id,
        "due_on": action.due_on,
        "cases": " ".join(case.reference for case in action.cases.all()),
        "subjects": [code.pk for code in action.subjects.all()],
        "local_subjects": [local.pk for local in action.local_subjects.all()],
    }


@require_http_methods(["GET", "POST"])
def change_action(request, action_id):
    action = selectors.action_for_page(request.user, action_id)
    _require(request.user, Permission.MANAGE_ACTION_PLANS, "change actions")
    form = _action_form(request, action.plan, request.POST or None, _change_initial(action))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_action(action, actor=request.user, **form.service_arguments())
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, "Action saved.")
            return redirect("learning:action", action_id=action.pk)
    return render(request, "learning/action_form.html", {"plan": action.plan, "action": action, "form": form})


def _action_to_change(request, action_id, permission: Permission, doing: str):
    """The action (404 if the user may not see its plan), then 403 if their role may not do this."""
    action = selectors.visible_action(request.user, action_id)
    _require(request.user, permission, doing)
    return action


def _done_or_again(request, action, *, form_name: str, form, save):
    """Call `save()`; on success go back to the action with its message, else show the page with the form's errors."""
    if form.is_valid():
        try:
            done = save(form)
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, done)
            return redirect(reverse("learning:action", kwargs={"action_id": action.pk}) + f"#{form_name}")
    return _action_page(request, selectors.action_for_page(request.user, action.pk), forms={form_name: form})


@require_POST
def update_status(request, action_id):
    action = _action_to_change(request, action_id, Permission.MANAGE_ACTION_PLANS, "update actions")

    def save(form):
        updated = services.update_action_status(action, actor=request.user, **form.service_arguments())
        return f"Action {ActionStatus(updated.status).label.lower()}."

    return _done_or_again(request, action, form_name="status", form=StatusForm(request.POST), save=save)


@require_POST
def add_evidence(request, action_id):
    action = _action_to_change(request, action_id, Permission.MANAGE_ACTION_PLANS, "add evidence")
    form = EvidenceForm(request.POST, request.FILES, limit_in_words=_limit_in_words())

    def save(form):
        evidence = services.add_evidence(
            action, actor=request.user, note=form.cleaned_data["note"], upload=form.cleaned_data["file"]
        )
        return f"Evidence added: {evidence.file_name or 'a note'}."

    return _done_or_again(request, action, form_name="evidence", form=form, save=save)


@require_POST
def write_wording(request, action_id):
    action = _action_to_change(request, action_id, Permission.PUBLISH_LEARNING, "write 'you said, we did' words")

    def save(form):
        services.write_public_wording(action, actor=request.user, **form.cleaned_data)
        return "Words saved. Approve them to publish them on the 'you said, we did' list."

    return _done_or_again(request, action, form_name="wording", form=WordingForm(request.POST), save=save)


@require_POST
def approve_wording(request, action_id):
    action = _action_to_change(request, action_id, Permission.PUBLISH_LEARNING, "approve 'you said, we did' words")
    try:
        services.approve_public_wording(action, actor=request.user)
    except (ValidationError, RuleBroken) as error:
        # The refusal is about the saved words: show it on them, as they are now, for mending.
        action = selectors.action_for_page(request.user, action.pk)
        wording = getattr(action, "public_wording", None)
        form = WordingForm(
            {"you_said": wording.you_said if wording else "", "we_did": wording.we_did if wording else ""}
        )
        form.is_valid()
        put_errors_on_form(form, error)
        return _action_page(request, action, forms={"wording": form})
    messages.success(request, "Words approved: they are on the 'you said, we did' list.")
    return redirect(reverse("learning:action", kwargs={"action_id": action.pk}) + "#wording")


@require_POST
def withdraw_wording(request, action_id):
    action = _action_to_change(request, action_id, Permission.PUBLISH_LEARNING, "withdraw 'you said, we did' words")

    def save(form):
        services.withdraw_public_wording(action, actor=request.user, reason=form.cleaned_data["reason"])
        return "Words withdrawn from the 'you said, we did' list."

    return _done_or_again(request, action, form_name="withdraw", form=WithdrawForm(request.POST), save=save)


@require_GET
def download_evidence(request, evidence_id):
    """An evidence file, only to someone who may see its plan; as a download, so a browser never runs it."""
    evidence = selectors.visible_evidence(request.user, evidence_id)
    if not evidence.file:
        raise Http404("This evidence is a note, with no file.")
    services.record_evidence_download(evidence, actor=request.user)
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.file_name, content_type=evidence.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- "You said, we did" --------------------------------------------------------------------------------------------


def _wording_filters(request) -> tuple[WordingFilterForm, selectors.WordingFilters | None]:
    form = WordingFilterForm(request.GET, divisions=_divisions())
    if not form.is_valid():
        return form, None
    return form, selectors.WordingFilters(
        completed_from=form.cleaned_data["completed_from"],
        completed_to=form.cleaned_data["completed_to"],
        division=form.cleaned_data["division"],
    )


@require_GET
def you_said_we_did(request):
    _require_seeing_plans(request.user)
    form, filters = _wording_filters(request)
    actions = selectors.approved_entries(request.user, filters) if filters else Action.objects.none()
    page = _page(request, actions)
    listed = selectors.you_said_we_did(page.object_list)
    can_publish = can(request.user, Permission.PUBLISH_LEARNING)
    awaiting = 0
    if can_publish:
        awaiting = selectors.action_list(
            request.user, selectors.ActionFilters(due=selectors.ActionDue.AWAITING_WORDING), today=timezone.localdate()
        ).count()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/you_said_we_did.html",
        {
            "form": form,
            "page": page,
            "listed": listed,
            "query_prefix": _query_prefix(request),
            "export_query": query.urlencode(),
            "can_publish": can_publish,
            "awaiting": awaiting,
        },
    )


def _entries_for_export(request) -> list[selectors.Published]:
    _require(request.user, Permission.PUBLISH_LEARNING, "export the 'you said, we did' list")
    _, filters = _wording_filters(request)
    if filters is None:
        raise Http404("The period or division asked for is not one the list can show.")
    return selectors.you_said_we_did(selectors.approved_entries(request.user, filters)).entries


def _csv_cell(text: str) -> str:
    # A spreadsheet runs a cell that starts with one of these as a formula.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
def export_csv(request):
    entries = _entries_for_export(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["You said", "We did", "Done in", "Division", "Themes"])
    for entry in entries:
        writer.writerow(
            [
                _csv_cell(entry.you_said),
                _csv_cell(entry.we_did),
                f"{entry.completed_on:%B %Y}",
                _csv_cell(entry.division),
                _csv_cell("; ".join(entry.themes)),
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="you-said-we-did.csv"'
    return response


@require_GET
def export_html(request):
    """A snippet of plain HTML (no styles or scripts) for the trust's web team to put on its website."""
    html = render_to_string("learning/you_said_we_did_snippet.html", {"entries": _entries_for_export(request)})
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="you-said-we-did.html"'
    return response
