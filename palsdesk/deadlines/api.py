"""API shapes for a case's clocks: each clock as the team reads it, and what a client sends to change one."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from palsdesk.api.serializers import ActiveCodeField, LimitedText, ListedChoiceField, StrictSerializer, VersionField
from palsdesk.deadlines import services
from palsdesk.deadlines.clocks import State
from palsdesk.deadlines.models import HoldReason, ResponseDateChange, TimeLimitDecision

CLOCK_KEYS = [
    ("acknowledgement", "Acknowledgement (regulation 13(2))"),
    ("response", "Response"),
    ("long_stop", "6-month long-stop (regulation 14)"),
]
# The length ResponseDateChange.agreed_with holds.
AGREED_WITH_MAX_CHARACTERS = ResponseDateChange._meta.get_field("agreed_with").max_length
# record_time_limit_decision's limit for the reasons behind a decision.
RATIONALE_MAX_CHARACTERS = 5_000


# Named schema components: a bare "state", "key" or "kind" would collide with other fields of those names.
@extend_schema_field({"type": "string", "enum": [state.value for state in State]}, component_name="ClockStateEnum")
class ClockStateField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__([(state.value, state.label) for state in State], **kwargs)


@extend_schema_field({"type": "string", "enum": [key for key, _ in CLOCK_KEYS]}, component_name="ClockKeyEnum")
class ClockKeyField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(CLOCK_KEYS, **kwargs)


@extend_schema_field({"type": "string", "enum": ResponseDateChange.Kind.values}, component_name="ResponseDateKindEnum")
class ResponseDateKindField(ListedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(ResponseDateChange.Kind.choices, **kwargs)


class ClockSerializer(serializers.Serializer):
    """One clock on the case (deadlines.clocks.Clock): when it is due, whether it is met, and how the date was found."""

    key = ClockKeyField(read_only=True)
    label = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    met_on = serializers.DateField(read_only=True, allow_null=True)
    state = ClockStateField(read_only=True)
    state_label = serializers.CharField(source="state.label", read_only=True)
    explanation = serializers.CharField(
        read_only=True, help_text="How the date was worked out, in words for the complainant's file."
    )


class TimeLimitDecisionSerializer(serializers.ModelSerializer):
    """Regulation 12(4): whether a complaint made after the 12-month limit is taken on."""

    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    is_accepted = serializers.BooleanField(read_only=True, help_text="Both limbs hold: the complaint is taken on.")

    class Meta:
        model = TimeLimitDecision
        fields = ["has_good_reasons", "can_investigate_fairly", "is_accepted", "rationale", "decided_by", "decided_on"]
        read_only_fields = fields


# What a client sends -------------------------------------------------------------------------------------------


class ResponseDateSerializer(StrictSerializer):
    """A response date agreed with the complainant (regulation 13(7)), or a later extension of it."""

    kind = ResponseDateKindField(
        help_text="'agreed': the date agreed when the offer to discuss was made (once); 'extension': a later date."
    )
    due_on = serializers.DateField(help_text="The new response date.")
    agreed_with = LimitedText(
        max_length=AGREED_WITH_MAX_CHARACTERS, help_text="Who agreed it, and how, e.g. 'Mrs Okafor, by phone'."
    )
    agreed_on = serializers.DateField(help_text="The day it was agreed: today or earlier.")
    reason = LimitedText(
        max_length=services.TEXT_LIMIT, required=False, allow_blank=True, help_text="Why; needed for an extension."
    )
    is_late = serializers.BooleanField(
        required=False, default=False, help_text="True when it was agreed after the date it replaces."
    )
    late_reason = LimitedText(
        max_length=services.TEXT_LIMIT,
        required=False,
        allow_blank=True,
        help_text="Why it was agreed late; needed with is_late.",
    )
    version = VersionField()


class HoldSerializer(StrictSerializer):
    """Stop the trust's response clock for a reason the trust allows. The statutory clocks keep running."""

    reason = ActiveCodeField(
        HoldReason,
        label="hold reason",
        help_text="The code of a hold reason in use, such as 'awaiting-consent'; administrators keep the list.",
    )
    started_on = serializers.DateField(help_text="The day the clock stopped: today or earlier.")
    note = LimitedText(max_length=services.TEXT_LIMIT, required=False, allow_blank=True)
    version = VersionField()


class HoldReleaseSerializer(StrictSerializer):
    """Restart the response clock; a date from the trust's target moves on by the working days held."""

    ended_on = serializers.DateField(help_text="The day the hold ended: today or earlier, not before it started.")
    version = VersionField()


class TimeLimitDecisionInSerializer(StrictSerializer):
    """Regulation 12(4): the complaint is taken on only if both hold. Recording it again replaces the decision."""

    has_good_reasons = serializers.BooleanField(
        help_text="The complainant had good reasons for not complaining within the time limit."
    )
    can_investigate_fairly = serializers.BooleanField(
        help_text="It is still possible to investigate the complaint effectively and fairly."
    )
    rationale = LimitedText(max_length=RATIONALE_MAX_CHARACTERS, help_text="The reasons for the decision.")
    decided_on = serializers.DateField(help_text="The day it was decided: today or earlier.")
    version = VersionField()


class DelayLetterSerializer(StrictSerializer):
    """Regulation 14(2): the letter explaining why the response has not come within the long-stop."""

    sent_on = serializers.DateField(help_text="The day the letter was sent: today or earlier.")
    version = VersionField()
