"""The grading form: a cell of the consequence × likelihood matrix (or a named grade) and the reason for it."""

from django import forms

from palsdesk.cases.forms import VersionedForm
from palsdesk.core.forms import TextField
from palsdesk.grading import matrix
from palsdesk.grading.models import GradingScheme
from palsdesk.grading.services import RATIONALE_MAX_CHARACTERS

CHOOSE_A_CELL = "Choose the cell of the matrix where the consequence meets the likelihood."


def cell_value(consequence: int, likelihood: int) -> str:
    """What a cell of the grid posts: "4-3" for consequence 4, likelihood 3."""
    return f"{consequence}-{likelihood}"


class GradingForm(VersionedForm):
    """Both the cell (or grade) and the reason are checked here, so every missing answer is said at once."""

    rationale = TextField(
        "Reason for the grade",
        RATIONALE_MAX_CHARACTERS,
        rows=4,
        required_message="Enter the reason for the grade.",
        help_text="What the complaint describes that puts it in this cell. It is kept with the grade.",
    )

    def __init__(self, *args, scheme: GradingScheme, **kwargs):
        kwargs.setdefault("auto_id", "grading_%s")
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        if scheme.is_matrix:
            self.fields["cell"] = forms.ChoiceField(
                label="Consequence and likelihood",
                widget=forms.RadioSelect,
                choices=[
                    (cell_value(c, likelihood), cell_value(c, likelihood))
                    for likelihood in matrix.LEVELS
                    for c in matrix.LEVELS
                ],
                error_messages={"required": CHOOSE_A_CELL, "invalid_choice": CHOOSE_A_CELL},
            )
        else:
            self.fields["grade"] = forms.ModelChoiceField(
                queryset=scheme.grades.order_by("order", "id"),
                label="Grade",
                widget=forms.RadioSelect,
                empty_label=None,
                error_messages={"required": "Choose the grade.", "invalid_choice": "Choose a grade from the list."},
            )
            self.fields["grade"].label_from_instance = _describe_grade
        self.order_fields(["version", "cell", "grade", "rationale"])

    def service_arguments(self) -> dict:
        """The keyword arguments of grading.services.grade_case."""
        data = self.cleaned_data
        arguments = {"rationale": data["rationale"], "expected_version": data["version"]}
        if self.scheme.is_matrix:
            consequence, likelihood = (int(level) for level in data["cell"].split("-"))
            arguments |= {"consequence": consequence, "likelihood": likelihood}
        else:
            arguments["grade"] = data["grade"]
        return arguments

    def field_for(self, service_field: str) -> str:
        """Where a service's message about consequence or likelihood goes: the grid, which chooses both."""
        if service_field in ("consequence", "likelihood", "grade"):
            return "cell" if self.scheme.is_matrix else "grade"
        return service_field


def _describe_grade(grade) -> str:
    return (
        f"{grade.name}: a response within {grade.response_working_days} working days, "
        f"signed off by the {grade.get_sign_off_level_display().lower()}"
    )
