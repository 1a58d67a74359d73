"""API shapes for grading: a case's grade and its history, what a client sends to grade it, and the scheme in use."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from palsdesk.api.serializers import LimitedText, StrictSerializer, TextCodeField, VersionField
from palsdesk.grading import selectors, services
from palsdesk.grading.models import (
    CaseGrading,
    ConsequenceLevel,
    Grade,
    GradingScheme,
    SchemeKind,
    SignOffLevel,
    TagColour,
)


# Named schema components: a bare "kind" or "colour" would collide with other fields of those names.
@extend_schema_field({"type": "string", "enum": SignOffLevel.values}, component_name="SignOffLevelEnum")
class SignOffLevelField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(SignOffLevel.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": TagColour.values}, component_name="TagColourEnum")
class TagColourField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(TagColour.choices, **kwargs)


@extend_schema_field({"type": "string", "enum": SchemeKind.values}, component_name="GradingSchemeKindEnum")
class SchemeKindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(SchemeKind.choices, **kwargs)


class GradeSummarySerializer(serializers.ModelSerializer):
    """A case's current grade as a list row shows it: a tag."""

    colour = TagColourField(read_only=True, help_text="The NHS.UK tag colour (nhsuk-tag--<colour>).")

    class Meta:
        model = Grade
        fields = ["code", "name", "colour"]
        read_only_fields = fields


class CaseGradeSerializer(serializers.ModelSerializer):
    """The case's latest grading: its grade, how it was worked out, and who graded it when."""

    code = serializers.CharField(source="grade.code", read_only=True)
    name = serializers.CharField(source="grade.name", read_only=True)
    colour = TagColourField(source="grade.colour", read_only=True)
    sign_off_level = SignOffLevelField(
        source="grade.sign_off_level", read_only=True, help_text="Who signs the response to a case of this grade."
    )
    graded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, help_text="Who graded it.")

    class Meta:
        model = CaseGrading
        fields = [
            "code",
            "name",
            "score",
            "consequence",
            "likelihood",
            "colour",
            "sign_off_level",
            "graded_by",
            "graded_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "score": {"help_text": "Consequence × likelihood; null under a scheme of named levels."},
            "consequence": {"help_text": "1 (negligible) to 5 (catastrophic); null under a scheme of named levels."},
            "likelihood": {"help_text": "1 (rare) to 5 (almost certain); null under a scheme of named levels."},
        }


class CaseGradingSerializer(CaseGradeSerializer):
    """One grading in a case's history, with the reason given and the scheme it used."""

    scheme = serializers.CharField(source="scheme.name", read_only=True)

    class Meta(CaseGradeSerializer.Meta):
        fields = [*CaseGradeSerializer.Meta.fields, "rationale", "scheme"]
        read_only_fields = fields


class GradingInSerializer(StrictSerializer):
    """A grading: consequence and likelihood under a matrix scheme, or the grade under a scheme of named levels."""

    consequence = serializers.IntegerField(
        required=False, allow_null=True, help_text="Matrix schemes: 1 (negligible) to 5 (catastrophic)."
    )
    likelihood = serializers.IntegerField(
        required=False, allow_null=True, help_text="Matrix schemes: 1 (rare) to 5 (almost certain)."
    )
    grade = TextCodeField(
        max_length=40,
        required=False,
        allow_null=True,
        help_text="Schemes of named levels: the grade's code. Under a matrix it follows from the score; "
        "if given, it must agree.",
    )
    rationale = LimitedText(max_length=services.RATIONALE_MAX_CHARACTERS, help_text="Why the case has this grade.")
    version = VersionField()

    def validate_grade(self, code: str | None) -> Grade | None:
        """The grade of the scheme in use with this code. With no scheme in use, the service says so."""
        scheme: GradingScheme | None = self.context.get("scheme")
        if code is None or scheme is None:
            return None
        grades = list(scheme.grades.all())
        for grade in grades:
            if grade.code == code:
                return grade
        raise serializers.ValidationError(
            f"There is no grade '{code}' in {scheme}, the scheme in use. "
            f"Its grades: {', '.join(grade.code for grade in grades)}."
        )


# The scheme in use, for /api/v1/reference/grading-scheme/ ---------------------------------------------------------


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsequenceLevel
        fields = ["level", "name", "descriptor"]
        read_only_fields = fields


class SchemeGradeSerializer(serializers.ModelSerializer):
    colour = TagColourField(read_only=True)
    band = serializers.CharField(source="band_label", read_only=True, help_text="'8–12'; empty for a named level.")
    response_working_days = serializers.IntegerField(
        read_only=True, help_text="The trust's response target for a case of this grade, in working days."
    )
    sign_off_level = SignOffLevelField(read_only=True)
    sign_off_level_label = serializers.CharField(source="get_sign_off_level_display", read_only=True)

    class Meta:
        model = Grade
        fields = [
            "code",
            "name",
            "colour",
            "order",
            "min_score",
            "max_score",
            "band",
            "response_working_days",
            "sign_off_level",
            "sign_off_level_label",
        ]
        read_only_fields = fields


class MatrixCellSerializer(serializers.Serializer):
    consequence = serializers.IntegerField(source="consequence.level", read_only=True)
    likelihood = serializers.IntegerField(source="likelihood.level", read_only=True)
    score = serializers.IntegerField(read_only=True)
    grade = serializers.CharField(source="grade.code", read_only=True, allow_null=True, default=None)


class GradingSchemeSerializer(serializers.ModelSerializer):
    kind = SchemeKindField(read_only=True)
    consequence_levels = LevelSerializer(many=True, read_only=True)
    likelihood_levels = LevelSerializer(many=True, read_only=True)
    grades = SchemeGradeSerializer(many=True, read_only=True)
    matrix = serializers.SerializerMethodField(
        help_text="The matrix as printed: a row per likelihood, almost certain first; a cell per consequence. "
        "Empty for a scheme of named levels."
    )

    class Meta:
        model = GradingScheme
        fields = ["name", "kind", "source", "consequence_levels", "likelihood_levels", "grades", "matrix"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=MatrixCellSerializer(many=True)))
    def get_matrix(self, scheme) -> list:
        return [MatrixCellSerializer(row, many=True).data for row in selectors.matrix_rows(scheme)]


class GradingSchemeView(APIView):
    """The grading scheme in use: its levels with their descriptors, its grades with their targets and sign-off."""

    @extend_schema(
        responses={
            200: GradingSchemeSerializer,
            404: OpenApiResponse(description="No grading scheme is in use: an administrator must choose one."),
        },
    )
    def get(self, request):
        scheme = selectors.current_scheme()
        if scheme is None:
            raise NotFound("No grading scheme is in use: an administrator must choose one in the admin.")
        return Response(GradingSchemeSerializer(scheme).data)
