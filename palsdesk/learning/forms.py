"""Web forms for action plans. They parse what was typed; learning.services checks it, so the fields it requires are
let through empty (needed_by_service) and every problem comes back at once, in the service's words."""

import re

from django import forms
from django.db.models import QuerySet

from palsdesk.cases.models import Case
from palsdesk.coding.models import Code, LocalSubject, TaxonomyKind
from palsdesk.core.forms import DateField, GroupedModelChoiceField, TextField, needed_by_service
from palsdesk.learning import services
from palsdesk.learning.models import ActionStatus, PlanScope
from palsdesk.learning.selectors import ActionDue
from palsdesk.organisation.models import Division

_REFERENCES = re.compile(r"[\s,;]+")
_KIND_HEADINGS = {TaxonomyKind.SUBJECT: "KO41a subjects", TaxonomyKind.HCAT_CATEGORY: "HCAT categories"}


def _heading(code: Code) -> str:
    return _KIND_HEADINGS.get(code.taxonomy.kind, "")


def _choice_messages(name: str) -> dict:
    return {"invalid_choice": f"Choose a {name} from the list.", "invalid_pk_value": f"Choose a {name} from the list."}


class CaseReferencesField(forms.CharField):
    """Case references typed with spaces or commas between them; each must be a case the person can see."""

    def __init__(self, *, cases: QuerySet[Case], **kwargs):
        self.cases = cases
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        references = list(dict.fromkeys(ref.upper() for ref in _REFERENCES.split(value or "") if ref))
        if len(references) > services.MAX_LINKED_CASES:
            raise forms.ValidationError(f"Link at most {services.MAX_LINKED_CASES} cases; this has {len(references)}.")
        found = {case.reference: case for case in self.cases.filter(reference__in=references)}
        missing = [reference for reference in references if reference not in found]
        if missing:
            raise forms.ValidationError(
                [f"There is no case {reference} that you can see." for reference in missing], code="unknown"
            )
        return [found[reference] for reference in references]


class PlanForm(forms.Form):
    title = needed_by_service(TextField("Title", services.TITLE_MAX_CHARACTERS))
    scope = forms.ChoiceField(
        label="What is the plan for?",
        choices=PlanScope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the plan is for.", **_choice_messages("kind of plan")},
    )
    case = needed_by_service(forms.CharField(label="Case reference", help_text="For example, COM-2026-00042"))
    subject = GroupedModelChoiceField(
        Code.objects.none(),
        group_of=_heading,
        label="National subject or HCAT category",
        required=False,
        empty_label="None",
        error_messages=_choice_messages("subject"),
    )
    local_subject = forms.ModelChoiceField(
        LocalSubject.objects.none(),
        label="Or one of the trust's local subjects",
        required=False,
        empty_label="None",
        error_messages=_choice_messages("local subject"),
    )
    theme = TextField(
        "Or the theme in your own words", services.THEME_MAX_CHARACTERS, help_text="For example, waiting for discharge"
    )
    division = forms.ModelChoiceField(
        Division.objects.none(),
        label="Division",
        required=False,
        empty_label="Choose…",
        error_messages=_choice_messages("division"),
    )
    summary = TextField("What the plan is about", services.TEXT_MAX_CHARACTERS, rows=4)

    def __init__(self, *args, cases: QuerySet[Case], theme_codes, local_subjects, divisions, **kwargs):
        kwargs.setdefault("auto_id", "plan_%s")
        super().__init__(*args, **kwargs)
        self.cases = cases
        self.fields["subject"].queryset = theme_codes
        self.fields["local_subject"].queryset = local_subjects
        self.fields["division"].queryset = divisions
        self.fields[
            "division"
        ].help_text = "Whose plan it is. A plan on a case belongs to the case's division unless you choose another."

    @property
    def revealed(self) -> dict:
        return {
            PlanScope.CASE: [self["case"]],
            PlanScope.THEME: [self["subject"], self["local_subject"], self["theme"]],
        }

    def clean_case(self):
        reference = (self.cleaned_data.get("case") or "").strip().upper()
        if self.data.get("scope") != PlanScope.CASE:
            return None
        if not reference:
            return None  # the service says the case is needed, with every other problem
        case = self.cases.filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError(f"There is no case {reference} that you can see.")
        return case

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class ActionForm(forms.Form):
    description = needed_by_service(TextField("What will be done", services.TEXT_MAX_CHARACTERS, rows=4))
    owner = forms.ModelChoiceField(
        None, label="Owner", required=False, empty_label="Choose…", error_messages=_choice_messages("owner")
    )
    due_on = needed_by_service(DateField(label="Due date", help_text="For example, 27 3 2027"))
    subjects = forms.ModelMultipleChoiceField(
        Code.objects.none(),
        label="National subjects and HCAT categories",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choice_messages("subject"),
    )
    local_subjects = forms.ModelMultipleChoiceField(
        LocalSubject.objects.none(),
        label="Local subjects",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choice_messages("local subject"),
    )

    def __init__(self, *args, owners, cases: QuerySet[Case], theme_codes, local_subjects, **kwargs):
        kwargs.setdefault("auto_id", "action_%s")
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["cases"] = CaseReferencesField(
            cases=cases,
            label="Cases that prompted it",
            help_text="Their references, with a space or comma between them. The plan's own case is linked already.",
        )
        self.fields["subjects"].queryset = theme_codes
        self.fields["subjects"].label_from_instance = lambda code: f"{code.label} ({_heading(code)[:-1]})"
        self.fields["local_subjects"].queryset = local_subjects
        # Keep the fields in the page's order.
        self.order_fields(["description", "owner", "due_on", "cases", "subjects", "local_subjects"])

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Where the action is now",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the action is now.", **_choice_messages("status")},
    )
    completed_on = DateField(label="Day it was done", required=False, help_text="Leave empty for today.")
    reason = needed_by_service(TextField("Why it is dropped", services.REASON_MAX_CHARACTERS, rows=2))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "status_%s")
        super().__init__(*args, **kwargs)

    @property
    def revealed(self) -> dict:
        return {ActionStatus.DONE: [self["completed_on"]], ActionStatus.DROPPED: [self["reason"]]}

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        # Typed under one choice, then another made: what is hidden is not sent on.
        if data["status"] != ActionStatus.DONE:
            data["completed_on"] = None
        if data["status"] != ActionStatus.DROPPED:
            data["reason"] = ""
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="File",
        required=False,
        help_text="A PDF, Word document, picture (PNG or JPEG), email (.eml or .msg) or text file, up to {limit}.",
        error_messages={"invalid": "The file could not be read. Choose it again."},
    )
    note = TextField("Note", services.TEXT_MAX_CHARACTERS, rows=3, help_text="What the evidence shows.")

    def __init__(self, *args, limit_in_words: str, **kwargs):
        kwargs.setdefault("auto_id", "evidence_%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text.format(limit=limit_in_words)


class WordingForm(forms.Form):
    you_said = needed_by_service(
        TextField(
            "You said",
            services.WORDING_MAX_CHARACTERS,
            rows=3,
            help_text="What patients and families told us, in general words. Never copy the case's own words.",
        )
    )
    we_did = needed_by_service(TextField("We did", services.WORDING_MAX_CHARACTERS, rows=3))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "wording_%s")
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    reason = needed_by_service(TextField("Why the words are withdrawn", services.REASON_MAX_CHARACTERS, rows=2))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "withdraw_%s")
        super().__init__(*args, **kwargs)


def _division_choices(divisions) -> list[tuple[str, str]]:
    return [("", "All divisions")] + [(division.code, division.name) for division in divisions]


class PlanFilterForm(forms.Form):
    division = forms.ChoiceField(label="Division", required=False)
    scope = forms.ChoiceField(label="For", required=False, choices=[("", "Cases, themes and divisions")])
    overdue = forms.BooleanField(label="Only plans with overdue actions", required=False)

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = _division_choices(divisions)
        self.fields["scope"].choices += PlanScope.choices


ACTION_DUE_LABELS = {
    ActionDue.OVERDUE: "Overdue",
    ActionDue.OUTSTANDING: "Open or in progress",
    ActionDue.DONE: "Done",
    ActionDue.DROPPED: "Dropped",
    ActionDue.AWAITING_WORDING: "Done, without approved 'you said, we did' words",
}


class ActionFilterForm(forms.Form):
    due = forms.ChoiceField(label="Show", required=False, choices=[("", "All actions"), *ACTION_DUE_LABELS.items()])
    division = forms.ChoiceField(label="Division", required=False)
    mine = forms.BooleanField(label="Only actions I own", required=False)

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = _division_choices(divisions)


class WordingFilterForm(forms.Form):
    completed_from = DateField(label="Done from", required=False)
    completed_to = DateField(label="Done up to", required=False)
    division = forms.ChoiceField(label="Division", required=False)

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = _division_choices(divisions)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("completed_from"), cleaned.get("completed_to")
        if start and end and end < start:
            self.add_error("completed_to", "The end of the period must be on or after its start.")
        return cleaned
