"""Web forms for coding: an issue's KO41a and HCAT codes, its outcome, and the data quality filters.

They parse what was typed; coding.services checks it, so the fields it requires are let through empty
(needed_by_service) and every problem comes back at once, in the service's words.
"""

from django import forms
from django.db.models import QuerySet

from palsdesk.cases.forms import VersionedForm
from palsdesk.cases.models import Outcome
from palsdesk.coding import completeness
from palsdesk.coding.models import CaseIssue, Code, HcatHarm, HcatSeverity, LocalSubject
from palsdesk.coding.selectors import CodingChoices, GapKind
from palsdesk.coding.services import TEXT_MAX_CHARACTERS
from palsdesk.core.forms import GroupedModelChoiceField, TextField, needed_by_service

NOT_INVESTIGATED_REASON = "Why it was not investigated"

# The data quality list's kinds of gap, as the filter offers them.
GAP_LABELS = {
    GapKind.CLOSED_WITHOUT_OUTCOME: "Closed without an outcome",
    GapKind.NO_ISSUES: "Complaint with no issues coded",
    GapKind.NO_SUBJECT: "PALS concern or compliment with no subject",
    GapKind.NO_SERVICE_AREA: "Issue with no service area",
    GapKind.NO_PROFESSION: "Issue with no profession",
    GapKind.NO_CLINICAL_SUBCATEGORY: "Clinical treatment with no sub-category",
    GapKind.NO_REASON: "Not investigated, with no reason",
    GapKind.OUTCOME_INCONSISTENT: "Outcome its issues contradict",
    GapKind.PATIENT_AGE_UNKNOWN: "Patient's age unknown",
}


def _choice_messages(name: str) -> dict:
    return {"invalid_choice": f"Choose a {name} from the list.", "invalid_pk_value": f"Choose a {name} from the list."}


def _offered(codes: QuerySet, kept: list) -> QuerySet:
    """The codes on offer, and the ones the issue has now (kept even if a later list disabled them)."""
    return codes | codes.model.objects.filter(pk__in=[code.pk for code in kept]) if kept else codes


def _kept(issue: CaseIssue | None, name: str) -> list:
    return [getattr(issue, name)] if issue is not None and getattr(issue, f"{name}_id") else []


def _outcome_field(*, label: str, blank: str | None) -> forms.ChoiceField:
    choices = [("", blank), *Outcome.choices] if blank else Outcome.choices
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose upheld, partially upheld, not upheld or not investigated."},
    )


class _OutcomeFields(VersionedForm):
    """The outcome, and the reason shown under "Not investigated" (NHS.UK conditional reveal)."""

    not_investigated_reason = needed_by_service(TextField(NOT_INVESTIGATED_REASON, TEXT_MAX_CHARACTERS, rows=2))

    @property
    def revealed(self) -> dict:
        if "outcome" not in self.fields:
            return {}
        return {Outcome.NOT_INVESTIGATED: [self["not_investigated_reason"]]}

    def clean(self):
        cleaned = super().clean()
        if "outcome" in self.fields and cleaned.get("outcome") != Outcome.NOT_INVESTIGATED:
            # Only "not investigated" has a reason: one typed, then left hidden by another choice, is not sent on.
            cleaned["not_investigated_reason"] = ""
        return cleaned


class IssueForm(_OutcomeFields):
    """An issue's codes from the case's KO41a year (coding_choices), optional HCAT, and its outcome."""

    description = TextField(
        "Description", TEXT_MAX_CHARACTERS, rows=2, help_text="What this part of the case is about, in a line or two."
    )
    subject = needed_by_service(
        forms.ModelChoiceField(
            queryset=Code.objects.none(),
            label="Subject",
            empty_label="Choose…",
            error_messages=_choice_messages("subject"),
        )
    )
    local_subject = GroupedModelChoiceField(
        LocalSubject.objects.none(),
        group_of=lambda local: local.national_subject.label,
        label="Local subject",
        required=False,
        empty_label="None",
        help_text="The trust's own subject, listed under its national subject. It sets the subject for you.",
        error_messages=_choice_messages("local subject"),
    )
    clinical_subcategory = forms.ModelChoiceField(
        queryset=Code.objects.none(),
        label="Clinical treatment sub-category",
        required=False,
        empty_label="None",
        help_text="Only when the subject is clinical treatment, and then it is needed.",
        error_messages=_choice_messages("clinical treatment sub-category"),
    )
    service_area = needed_by_service(
        forms.ModelChoiceField(
            queryset=Code.objects.none(),
            label="Service area",
            empty_label="Choose…",
            error_messages=_choice_messages("service area"),
        )
    )
    professions = forms.ModelMultipleChoiceField(
        queryset=Code.objects.none(),
        label="Professions",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each staff group the issue is about.",
        error_messages={
            "invalid_choice": "Choose professions from the list.",
            "invalid_pk_value": "Choose professions from the list.",
        },
    )
    hcat_category = GroupedModelChoiceField(
        Code.objects.none(),
        group_of=lambda category: category.parent.label if category.parent_id else "",
        label="HCAT problem category",
        required=False,
        empty_label="None",
        help_text="Listed under its HCAT domain.",
        error_messages=_choice_messages("HCAT category"),
    )
    hcat_severity = forms.TypedChoiceField(
        label="HCAT severity",
        choices=[("", "Not recorded"), *[(v, label) for v, label in HcatSeverity.choices if v]],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose the HCAT severity from the list."},
    )
    hcat_harm = forms.TypedChoiceField(
        label="HCAT harm",
        choices=[("", "Not recorded"), *HcatHarm.choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose the HCAT harm from the list."},
    )
    outcome = _outcome_field(label="Outcome", blank="Not decided yet")

    field_order = [
        "version",
        "description",
        "subject",
        "local_subject",
        "clinical_subcategory",
        "service_area",
        "professions",
        "hcat_category",
        "hcat_severity",
        "hcat_harm",
        "outcome",
        "not_investigated_reason",
    ]

    def __init__(
        self, *args, choices: CodingChoices, issue: CaseIssue | None = None, with_outcome: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.fields["subject"].queryset = _offered(choices.subjects, _kept(issue, "subject"))
        self.fields["local_subject"].queryset = _offered(
            choices.local_subjects, _kept(issue, "local_subject")
        ).order_by("national_subject__order", "national_subject__label", "name")
        self.fields["clinical_subcategory"].queryset = _offered(
            choices.clinical_subcategories, _kept(issue, "clinical_subcategory")
        )
        self.fields["service_area"].queryset = _offered(choices.service_areas, _kept(issue, "service_area"))
        self.fields["professions"].queryset = _offered(
            choices.professions, list(issue.professions.all()) if issue is not None else []
        )
        self.fields["hcat_category"].queryset = _offered(
            choices.hcat_categories, _kept(issue, "hcat_category")
        ).order_by("parent__order", "order", "label")
        if self.case.kind in completeness.KINDS_NEEDING_PROFESSIONS:
            self.fields["professions"].is_needed = True
        if not with_outcome:
            del self.fields["outcome"]
            del self.fields["not_investigated_reason"]

    @property
    def shows_hcat(self) -> bool:
        """Open the optional HCAT section when it holds something (a harm of 0 is something) or a problem."""
        names = ("hcat_category", "hcat_severity", "hcat_harm")
        return any(self[name].value() not in (None, "") or self[name].errors for name in names)

    def service_arguments(self) -> dict:
        """The keyword arguments of coding.services.add_issue, or the changes for change_issue."""
        arguments = super().service_arguments()
        arguments["professions"] = list(arguments["professions"])
        return arguments


class RecordOutcomeForm(_OutcomeFields):
    outcome = needed_by_service(_outcome_field(label="What did the investigation find?", blank=None))
    field_order = ["version", "outcome", "not_investigated_reason"]


class RemoveIssueForm(VersionedForm):
    """Only the version it was read at: removing an issue another person has just changed is refused."""


class DataQualityFilterForm(forms.Form):
    division = forms.ChoiceField(
        label="Division", required=False, error_messages={"invalid_choice": "Choose a division from the list."}
    )
    gap = forms.ChoiceField(
        label="What is missing",
        required=False,
        choices=[("", "Anything"), *((kind.value, label) for kind, label in GAP_LABELS.items())],
        error_messages={"invalid_choice": "Choose what is missing from the list."},
    )

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [("", "Every division")] + [(d.code, d.name) for d in divisions]
