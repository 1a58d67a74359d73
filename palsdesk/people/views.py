"""Pages for the people on a case: adding someone, changing their details, and recording consent."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from palsdesk.accounts.permissions import Permission, can
from palsdesk.cases import selectors
from palsdesk.cases.services import record_case_view
from palsdesk.core.forms import put_errors_on_form
from palsdesk.people import services
from palsdesk.people.forms import AddPersonForm, ConsentForm, PersonForm
from palsdesk.people.models import CaseParty, PartyRole
from palsdesk.people.services import PersonDetails

_PERSON_FIELDS = [name for name in PersonForm.base_fields]


def _case_for_editing(request, reference):
    """The case: 404 if the user may not see it, 403 if their role may not change it."""
    case = selectors.case_for_page(request.user, reference)
    if not can(request.user, Permission.EDIT_CASE):
        raise PermissionDenied("Your role cannot change the people on a case.")
    return case


def _record_view(request, case) -> None:
    """Opening one of these pages shows the case's people, so it is audited as a view of the case."""
    if request.method == "GET":
        record_case_view(case, actor=request.user)


@require_http_methods(["GET", "POST"])
def add_person(request, reference):
    case = _case_for_editing(request, reference)
    form = AddPersonForm(request.POST or None)
    _record_view(request, case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = PersonDetails.from_mapping(
            {name: data[name] for name in _PERSON_FIELDS} | {"communication_needs": list(data["communication_needs"])}
        )
        try:
            with transaction.atomic():
                services.add_person_to_case(
                    case,
                    details=details,
                    roles=[data["role"]],
                    relationship_to_patient=data["relationship_to_patient"]
                    if data["role"] == PartyRole.REPRESENTATIVE
                    else "",
                    is_main_contact=data["is_main_contact"],
                    actor=request.user,
                )
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, "Person added.")
            return redirect("cases:detail", reference=case.reference)
    return render(request, "people/add_person.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def edit_person(request, reference, party_id):
    case = _case_for_editing(request, reference)
    party = get_object_or_404(CaseParty.objects.select_related("person"), pk=party_id, case=case)
    person = party.person
    initial = {name: getattr(person, name) for name in _PERSON_FIELDS if name != "communication_needs"}
    initial["communication_needs"] = list(person.communication_needs.all())
    form = PersonForm(request.POST or None, initial=initial)
    _record_view(request, case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = PersonDetails.from_mapping(
            {name: data[name] for name in _PERSON_FIELDS} | {"communication_needs": list(data["communication_needs"])}
        )
        try:
            services.update_person(person, details=details, actor=request.user, case=case)
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, f"{person.full_name}'s details saved.")
            return redirect("cases:detail", reference=case.reference)
    return render(request, "people/edit_person.html", {"case": case, "party": party, "form": form})


@require_http_methods(["GET", "POST"])
def record_consent(request, reference):
    case = _case_for_editing(request, reference)
    consent = getattr(case, "consent", None)
    initial = (
        {
            "status": consent.status,
            "status_on": consent.status_on,
            "evidence": consent.evidence,
            "acting_reason": consent.acting_reason,
        }
        if consent
        else {}
    )
    form = ConsentForm(request.POST or None, initial=initial)
    _record_view(request, case)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, "Consent recorded.")
            return redirect("cases:detail", reference=case.reference)
    return render(request, "people/consent.html", {"case": case, "form": form})
