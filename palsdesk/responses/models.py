"""The final response to a complaint: drafts and versions, review, the regulation 14 check, sign-off, sending."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from palsdesk.core.models import ReferenceData, Tracked


class Element(models.TextChoices):
    """What regulation 14(2) says the response must contain, each ticked with the paragraph that gives it."""

    HOW_CONSIDERED = "how_considered", "How the complaint was considered"
    CONCLUSIONS = "conclusions", "The conclusions reached, including any remedial action needed"
    ACTIONS = "actions", "Whether the trust is satisfied that the action needed has been taken or is proposed"
    OMBUDSMAN = "ombudsman", "The right to take the complaint to the Parliamentary and Health Service Ombudsman"


class Source(models.TextChoices):
    TYPED = "typed", "Written on PALS Desk"
    WORD = "word", "Uploaded Word document"


class SendMethod(models.TextChoices):
    LETTER = "letter", "By post"
    EMAIL = "email", "By email"


class FinalResponse(Tracked):
    """The final response to one round of a complaint. Reopening the complaint starts a new round and response.

    Its versions are kept; it is returned, signed off and sent as the services record. The case's own
    status says whether it is being drafted (under investigation) or reviewed (response in review).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="final_responses")
    # 1 for the first response; a complaint reopened once has a second. (case.reopened_count + 1 when started.)
    round = models.PositiveSmallIntegerField(default=1)
    # Returned with comments and not yet submitted again: it is in the investigator's "My work".
    is_returned = models.BooleanField(default=False)
    signed_off_version = models.ForeignKey(
        "ResponseVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # The level the grade asked for when it was signed (grading.SignOffLevel), blank for an ungraded complaint.
    sign_off_level = models.CharField(max_length=16, blank=True)
    # Regulation 4: whom the signatory signs for, such as "Chief Nurse, for the Chief Executive".
    signed_as = models.CharField(max_length=200, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_method = models.CharField(max_length=8, choices=SendMethod.choices, blank=True)

    class Meta:
        ordering = ["case", "round"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="final_response_once_per_round"),
            models.CheckConstraint(condition=Q(round__gte=1), name="final_response_round_positive"),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(signed_off_version__isnull=False),
                name="final_response_sent_only_when_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"Final response {self.round} to {self.case_id}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_version_id is not None

    @property
    def is_sent(self) -> bool:
        return self.sent_on is not None


class ResponseVersion(Tracked):
    """One saved version of the draft: the sanitised HTML and its plain text. Versions are never changed."""

    response = models.ForeignKey(FinalResponse, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    html = models.TextField()
    text = models.TextField()
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.TYPED)
    word_filename = models.CharField(max_length=255, blank=True)
    # Saved by the reviewer while the response was in review, rather than by the investigator drafting it.
    is_review_edit = models.BooleanField(default=False)

    class Meta:
        ordering = ["response", "number"]
        constraints = [
            models.UniqueConstraint(fields=["response", "number"], name="response_version_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="response_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class ResponseReturn(Tracked):
    """A draft returned to the investigator with the reviewer's comments (created_by and created_at say who, when)."""

    response = models.ForeignKey(FinalResponse, on_delete=models.CASCADE, related_name="returns")
    version = models.ForeignKey(ResponseVersion, on_delete=models.PROTECT, related_name="returns")
    comments = models.TextField()

    class Meta:
        ordering = ["response", "created_at", "id"]

    def __str__(self) -> str:
        return f"Return of {self.version} of {self.response}"


class Regulation14Check(Tracked):
    """One element of regulation 14(2) ticked on one version, with the paragraph that gives it (quoted)."""

    version = models.ForeignKey(ResponseVersion, on_delete=models.CASCADE, related_name="regulation_14_checks")
    element = models.CharField(max_length=16, choices=Element.choices)
    paragraph = models.PositiveSmallIntegerField(help_text="1 for the version's first paragraph.")
    quote = models.TextField(help_text="The paragraph's text when it was ticked.")

    class Meta:
        ordering = ["version", "element"]
        constraints = [
            models.UniqueConstraint(fields=["version", "element"], name="regulation_14_check_once_per_element"),
            models.CheckConstraint(condition=Q(paragraph__gte=1), name="regulation_14_check_paragraph_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_element_display()}: paragraph {self.paragraph}"


class ParagraphPurpose(models.TextChoices):
    APOLOGY = "apology", "Apology"
    OMBUDSMAN = "ombudsman", "Right to go to the Ombudsman"
    ADVOCACY = "advocacy", "Advocacy service"
    MEETING = "meeting", "Requesting a meeting"
    OTHER = "other", "Other"


class StandardParagraph(ReferenceData, Tracked):
    """A paragraph the trust words once (an apology, the Ombudsman's details) for officers to put into drafts."""

    title = models.CharField(max_length=120, unique=True)
    purpose = models.CharField(max_length=12, choices=ParagraphPurpose.choices, default=ParagraphPurpose.OTHER)
    html = models.TextField(help_text="Sanitised letter HTML, as a draft holds.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title
