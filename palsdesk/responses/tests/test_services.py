"""The rules of the final response: who drafts, reviews, checks, signs and sends it, and when."""

import datetime
import io
import zipfile

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from palsdesk.accounts.tests.factories import administrator, approver, coordinator, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import guards
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.workflow import InvalidTransition
from palsdesk.core.errors import RuleBroken, StaleEdit
from palsdesk.correspondence.models import CorrespondenceEntry
from palsdesk.grading import services as grading_services
from palsdesk.people.models import CommunicationNeed
from palsdesk.responses import selectors, services
from palsdesk.responses.models import FinalResponse, ParagraphPurpose, Regulation14Check, ResponseVersion, Source
from palsdesk.responses.tests.conftest import RECEIVED_ON, TODAY, under_investigation
from palsdesk.responses.tests.factories import DRAFT_MEETING_REGULATION_14, PARAGRAPH_OF, sign_off_response

pytestmark = pytest.mark.django_db

ALL_FOUR = {element.value: number for element, number in PARAGRAPH_OF.items()}


def in_review(complaint, investigator, draft=DRAFT_MEETING_REGULATION_14):
    services.save_draft(complaint, actor=investigator, draft=draft)
    return services.submit_for_review(complaint, actor=investigator)


def word_document(*, macro_free: bool = True) -> bytes:
    document = docx.Document()
    document.add_heading("Our response", level=1)
    paragraph = document.add_paragraph("We are ")
    paragraph.add_run("very sorry").bold = True
    paragraph.add_run(" for the ")
    paragraph.add_run("delay").italic = True
    paragraph.add_run(".")
    document.add_paragraph("Pain scores are checked hourly", style="List Bullet")
    document.add_paragraph("Staff have had training", style="List Bullet")
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


class TestWritingTheDraft:
    def test_every_save_is_a_new_version_with_who_and_when(self, complaint, investigator):
        first = services.save_draft(complaint, actor=investigator, draft="Dear Mrs Okafor,\n\nFirst go.")
        second = services.save_draft(complaint, actor=investigator, draft="<p>Dear Mrs Okafor,</p><p>Second go.</p>")

        assert [(v.number, v.created_by, v.source) for v in ResponseVersion.objects.order_by("number")] == [
            (1, investigator, Source.TYPED),
            (2, investigator, Source.TYPED),
        ]
        assert first.html == "<p>Dear Mrs Okafor,</p>\n<p>First go.</p>"
        assert second.text == "Dear Mrs Okafor,\n\nSecond go."
        assert AuditEvent.objects.filter(action="final_response.version_saved", case=complaint).count() == 2

    def test_what_is_stored_is_sanitised(self, complaint, investigator):
        version = services.save_draft(
            complaint,
            actor=investigator,
            draft='<p onclick="steal()">Dear Mrs Okafor,</p><script>steal()</script>'
            '<p><a href="javascript:x">Hi</a></p>',
        )
        assert version.html == "<p>Dear Mrs Okafor,</p>\n<p>Hi</p>"

    def test_an_empty_draft_or_one_unchanged_since_the_last_version_is_refused(self, complaint, investigator):
        with pytest.raises(ValidationError) as empty:
            services.save_draft(complaint, actor=investigator, draft="<p> </p><script>x</script>")
        assert empty.value.message_dict == {"draft": ["Write the draft response."]}
        services.save_draft(complaint, actor=investigator, draft="Dear Mrs Okafor")
        with pytest.raises(ValidationError) as same:
            services.save_draft(complaint, actor=investigator, draft="<p>Dear Mrs Okafor</p>")
        assert same.value.message_dict == {"draft": ["This is the same as version 1: there is nothing new to save."]}

    def test_a_draft_that_is_too_long_is_refused_saying_how_long_it_is(self, complaint, investigator):
        with pytest.raises(ValidationError) as refusal:
            services.save_draft(complaint, actor=investigator, draft="word " * 9_000)
        assert refusal.value.message_dict["draft"] == ["The draft must be 40,000 characters or fewer; it has 44,999."]

    def test_a_version_saved_by_someone_else_meanwhile_is_not_overwritten(self, complaint, investigator, lead):
        services.save_draft(complaint, actor=lead, draft="The co-ordinator's words", based_on=0)
        with pytest.raises(StaleEdit) as refusal:
            services.save_draft(complaint, actor=investigator, draft="The investigator's words", based_on=0)
        assert refusal.value.message.startswith("Helen Price saved version 1 of the draft at 10:30 on 20 November 2026")
        assert ResponseVersion.objects.count() == 1

    def test_a_word_document_is_read_with_its_headings_emphasis_and_lists(self, complaint, investigator):
        upload = SimpleUploadedFile("Response draft.docx", word_document())

        version = services.save_draft(complaint, actor=investigator, document=upload)

        assert version.html == (
            "<h2>Our response</h2>\n<p>We are <strong>very sorry</strong> for the <em>delay</em>.</p>\n"
            "<ul>\n<li>Pain scores are checked hourly</li>\n<li>Staff have had training</li>\n</ul>"
        )
        assert (version.source, version.word_filename) == (Source.WORD, "Response draft.docx")
        assert "from the Word document Response draft.docx" in complaint.timeline.first().body

    @pytest.mark.parametrize(
        ("name", "content", "says"),
        [
            ("draft.docx", b"%PDF-1.4 a pdf really", "the file is a PDF but its name ends"),
            ("draft.pdf", b"%PDF-1.4 a pdf really", "Upload the draft as a Word document (.docx)."),
            ("draft.docx", b"MZ\x90\x00 a program", "it is a program or script"),
            ("draft.docx", b"", "The file is empty"),
        ],
    )
    def test_a_file_that_is_not_a_word_document_is_refused_with_the_reason(
        self, complaint, investigator, name, content, says
    ):
        upload = SimpleUploadedFile(name, content)
        with pytest.raises(ValidationError) as refusal:
            services.save_draft(complaint, actor=investigator, document=upload)
        assert says.lower() in " ".join(refusal.value.message_dict["document"]).lower()
        assert not ResponseVersion.objects.exists()

    def test_a_damaged_word_document_is_refused_with_the_reason(self, complaint, investigator):
        damaged = io.BytesIO()
        with zipfile.ZipFile(damaged, "w") as archive:
            archive.writestr(
                "[Content_Types].xml",
                '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
                'wordprocessingml.document.main+xml"/></Types>',
            )
            archive.writestr("word/document.xml", "not xml at all")
        upload = SimpleUploadedFile("draft.docx", damaged.getvalue())
        with pytest.raises(ValidationError) as refusal:
            services.save_draft(complaint, actor=investigator, document=upload)
        assert refusal.value.message_dict == {"document": ["The Word document could not be read: it may be damaged."]}

    def test_only_a_complaint_under_investigation_or_in_review_is_drafted(self, medicine, lead, investigator):
        received = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead, received_on=RECEIVED_ON)
        with pytest.raises(RuleBroken) as refusal:
            services.save_draft(received, actor=lead, draft="Too soon")
        assert "this complaint is 'Received'" in refusal.value.message
        letter = make_case(kind=Kind.MP_LETTER, division=medicine, actor=lead, received_on=RECEIVED_ON)
        with pytest.raises(RuleBroken, match="Only a complaint has a final response"):
            services.save_draft(letter, actor=lead, draft="Dear Mr Smith MP")
        assert not FinalResponse.objects.exists()

    def test_in_review_the_reviewer_edits_and_the_investigator_does_not(self, complaint, investigator, lead):
        complaint = in_review(complaint, investigator)
        with pytest.raises(PermissionDenied):
            services.save_draft(complaint, actor=investigator, draft="Changed in review")
        version = services.save_draft(complaint, actor=lead, draft="<p>Edited by the co-ordinator</p>")
        assert (version.number, version.is_review_edit) == (2, True)
        assert "draft version 2 saved (edited in review)." in complaint.timeline.first().body


class TestReturning:
    def test_only_a_reviewer_returns_a_draft_and_needs_comments(self, complaint, investigator, lead, signer):
        complaint = in_review(complaint, investigator)
        for someone in (investigator, signer, officer()):
            with pytest.raises(PermissionDenied):
                services.return_with_comments(complaint, comments="Change it", actor=someone)
        with pytest.raises(ValidationError) as refusal:
            services.return_with_comments(complaint, comments="  ", actor=lead)
        assert refusal.value.message_dict == {"comments": ["Enter your comments for the investigator."]}
        complaint.refresh_from_db()
        assert complaint.status == Status.RESPONSE_IN_REVIEW

    def test_returning_withdraws_a_sign_off_and_the_draft_can_change_again(self, complaint, investigator, lead):
        complaint = in_review(complaint, investigator)
        sign_off_response(complaint)
        with pytest.raises(RuleBroken, match="it cannot be changed now"):
            services.save_draft(complaint, actor=lead, draft="A late change")

        complaint = services.return_with_comments(complaint, comments="The family rang again", actor=lead)

        response = selectors.current_response(complaint)
        assert (response.is_signed_off, response.is_returned, complaint.status) == (
            False,
            True,
            Status.UNDER_INVESTIGATION,
        )
        assert "no longer stands: it was returned." in complaint.timeline.first().body
        assert services.save_draft(complaint, actor=investigator, draft="Rewritten").number == 2

    def test_a_returned_draft_is_in_the_case_officers_work_when_there_is_no_investigator(self, medicine, lead):
        complaint = under_investigation(division=medicine, lead=lead, investigator=None)
        complaint = in_review(complaint, lead)
        services.return_with_comments(complaint, comments="Shorter, please", actor=coordinator())
        assert [item.what for item in selectors.work_items(lead, today=TODAY)] == [
            "Draft response returned with comments"
        ]


class TestTheRegulation14Check:
    def test_a_paragraph_that_does_not_exist_or_an_unknown_element_is_refused(self, complaint, investigator, signer):
        complaint = in_review(complaint, investigator)
        with pytest.raises(ValidationError) as refusal:
            services.record_regulation_14_checks(complaint, actor=signer, paragraphs={"ombudsman": 9, "tone": 1})
        assert refusal.value.message_dict == {
            "ombudsman": ["There is no paragraph 9: version 1 has paragraphs 1 to 5."],
            "tone": [
                "'tone' is not an element of regulation 14. The elements: how_considered, conclusions, "
                "actions, ombudsman."
            ],
        }
        assert not Regulation14Check.objects.exists()

    def test_each_tick_keeps_the_paragraph_it_quotes_and_can_be_taken_back(self, complaint, investigator, signer):
        complaint = in_review(complaint, investigator)
        checks = services.record_regulation_14_checks(complaint, actor=signer, paragraphs=ALL_FOUR)
        assert [(c.element, c.paragraph) for c in checks] == list(ALL_FOUR.items())
        assert checks[-1].quote.startswith("If you are not satisfied, you may ask the Parliamentary")

        services.record_regulation_14_checks(complaint, actor=signer, paragraphs={"ombudsman": None})

        with pytest.raises(ValidationError) as refusal:
            services.sign_off(complaint, actor=signer)
        assert list(refusal.value.message_dict) == ["ombudsman"]

    def test_sign_off_names_every_element_still_missing(self, complaint, investigator, signer):
        complaint = in_review(complaint, investigator)
        with pytest.raises(ValidationError) as refusal:
            services.sign_off(complaint, actor=signer)
        assert list(refusal.value.message_dict) == ["how_considered", "conclusions", "actions", "ombudsman"]
        assert refusal.value.message_dict["how_considered"] == [
            "Regulation 14(2): the response must show how the complaint was considered. Choose the paragraph that "
            "does before signing it off."
        ]
        assert not selectors.current_response(complaint).is_signed_off

    def test_checks_belong_to_a_version_so_an_edit_in_review_needs_them_again(
        self, complaint, investigator, lead, signer
    ):
        complaint = in_review(complaint, investigator)
        services.record_regulation_14_checks(complaint, actor=signer, paragraphs=ALL_FOUR)
        services.save_draft(complaint, actor=lead, draft=DRAFT_MEETING_REGULATION_14 + "<p>With best wishes.</p>")
        with pytest.raises(ValidationError) as refusal:
            services.sign_off(complaint, actor=signer)
        assert len(refusal.value.message_dict) == 4


class TestWhoSignsOff:
    def test_an_ungraded_complaint_is_signed_off_by_an_approver_only(self, complaint, investigator, lead, signer):
        complaint = in_review(complaint, investigator)
        for someone in (lead, investigator, administrator()):
            with pytest.raises(PermissionDenied, match="It is signed off by an approver"):
                services.record_regulation_14_checks(complaint, actor=someone, paragraphs=ALL_FOUR)
        services.record_regulation_14_checks(complaint, actor=signer, paragraphs=ALL_FOUR)
        with pytest.raises(PermissionDenied):
            services.sign_off(complaint, actor=lead)
        assert services.sign_off(complaint, actor=signer).sign_off_level == ""

    @pytest.mark.parametrize(
        ("consequence", "likelihood", "level", "co_ordinator_may_sign"),
        [
            (1, 2, "coordinator", True),  # low: the co-ordinator signs
            (2, 2, "director", False),  # moderate
            (4, 3, "executive", False),  # high
            (5, 4, "chief_executive", False),  # extreme
        ],
    )
    def test_the_grade_decides_the_level_and_who_may_sign(
        self, complaint, investigator, lead, signer, consequence, likelihood, level, co_ordinator_may_sign
    ):
        complaint = grading_services.grade_case(
            complaint, consequence=consequence, likelihood=likelihood, rationale="As assessed", actor=lead
        )
        complaint = in_review(complaint, investigator)
        assert selectors.may_sign(lead, complaint) is co_ordinator_may_sign
        assert selectors.may_sign(signer, complaint)
        if co_ordinator_may_sign:
            services.record_regulation_14_checks(complaint, actor=lead, paragraphs=ALL_FOUR)
            response = services.sign_off(complaint, actor=lead)
        else:
            with pytest.raises(PermissionDenied):
                services.sign_off(complaint, actor=lead)
            services.record_regulation_14_checks(complaint, actor=signer, paragraphs=ALL_FOUR)
            response = services.sign_off(complaint, actor=signer)
        assert response.sign_off_level == level
        assert AuditEvent.objects.get(action="final_response.signed_off").context["sign_off_level"] == level

    def test_a_draft_not_in_review_is_not_signed_off(self, complaint, investigator, signer):
        services.save_draft(complaint, actor=investigator, draft=DRAFT_MEETING_REGULATION_14)
        with pytest.raises(RuleBroken, match="only while it is in review"):
            services.sign_off(complaint, actor=signer)


class TestSending:
    @pytest.fixture
    def signed(self, complaint, investigator):
        complaint = in_review(complaint, investigator)
        sign_off_response(complaint, signer=approver(first_name="Catherine", last_name="Lowe"))
        complaint.refresh_from_db()
        return complaint

    def test_a_response_not_signed_off_is_not_sent(self, complaint, investigator, lead):
        complaint = in_review(complaint, investigator)
        with pytest.raises(RuleBroken, match="must be signed off before it is sent"):
            services.send_response(complaint, actor=lead)
        complaint.refresh_from_db()
        assert complaint.status == Status.RESPONSE_IN_REVIEW

    @pytest.mark.parametrize(
        ("sent_on", "field", "says"),
        [
            (TODAY - datetime.timedelta(days=1), "sent_on", "It was signed off on 20 November 2026"),
            (TODAY + datetime.timedelta(days=1), "sent_on", "The date must be today or in the past."),
        ],
    )
    def test_the_date_sent_is_checked(self, signed, lead, sent_on, field, says):
        with pytest.raises(ValidationError) as refusal:
            services.send_response(signed, actor=lead, sent_on=sent_on)
        assert says in refusal.value.message_dict[field][0]
        assert not CorrespondenceEntry.objects.exists()
        signed.refresh_from_db()
        assert signed.status == Status.RESPONSE_IN_REVIEW

    def test_the_method_must_be_post_or_email(self, signed, lead):
        with pytest.raises(ValidationError) as refusal:
            services.send_response(signed, actor=lead, method="pigeon")
        assert refusal.value.message_dict == {"method": ["Choose how it was sent: by post or by email."]}

    def test_an_approver_signs_but_does_not_record_the_sending(self, signed, signer):
        with pytest.raises(PermissionDenied):
            services.send_response(signed, actor=signer)
        assert not CorrespondenceEntry.objects.exists()

    def test_it_is_sent_once_and_by_email_the_log_says_email(self, signed, lead):
        services.send_response(signed, actor=lead, method="email")
        assert CorrespondenceEntry.objects.get().channel == "email"
        with pytest.raises(RuleBroken, match="was sent on 20 November 2026"):
            services.send_response(signed, actor=lead)

    def test_the_letter_is_in_large_print_for_someone_who_needs_it(self, medicine, lead, investigator):
        large_print = CommunicationNeed.objects.get(code="large-print")
        complaint = under_investigation(
            division=medicine, lead=lead, investigator=investigator, person={"communication_needs": [large_print]}
        )
        complaint = in_review(complaint, investigator)
        sign_off_response(complaint)
        services.send_response(complaint, actor=lead)
        attachment = CorrespondenceEntry.objects.get().attachments.get(filename__endswith=".docx")
        document = docx.Document(io.BytesIO(attachment.file.read()))
        assert document.styles["Normal"].font.size.pt == 16


class TestTheGuardOnThePathway:
    def test_a_complaint_is_not_recorded_as_responded_to_until_its_response_is_signed_off(
        self, complaint, investigator, lead
    ):
        complaint = in_review(complaint, investigator)
        with pytest.raises(InvalidTransition, match="must be signed off before the complaint is recorded"):
            case_services.move_case(complaint, to=Status.RESPONSE_SENT, actor=lead)
        sign_off_response(complaint)
        moved = case_services.move_case(complaint, to=Status.RESPONSE_SENT, actor=lead)
        assert moved.responded_on == TODAY
        # Recorded on the pathway instead of here, it shows as sent, without a letter produced here.
        assert selectors.state_of(selectors.current_response(moved), moved) == selectors.State.SENT

    def test_a_reopened_complaint_needs_a_new_signed_response(self, complaint, investigator, lead):
        complaint = in_review(complaint, investigator)
        sign_off_response(complaint)
        complaint = case_services.move_case(complaint, to=Status.RESPONSE_SENT, actor=lead)
        complaint = case_services.move_case(
            complaint, to=Status.UNDER_INVESTIGATION, reason="New questions", actor=lead
        )
        assert selectors.current_response(complaint) is None
        complaint = in_review(complaint, investigator, draft="<p>Our second response.</p>")
        with pytest.raises(InvalidTransition, match="was reopened, so it needs a new final response"):
            case_services.move_case(complaint, to=Status.RESPONSE_SENT, actor=lead)
        assert [r.round for r in FinalResponse.objects.order_by("round")] == [1, 2]
        assert [r.round for r in selectors.earlier_responses(complaint)] == [1]

    def test_an_mp_letter_is_not_held_by_the_guard(self, medicine, lead):
        letter = make_case(kind=Kind.MP_LETTER, division=medicine, actor=lead, received_on=RECEIVED_ON)
        for status in (
            Status.ACKNOWLEDGED,
            Status.UNDER_INVESTIGATION,
            Status.RESPONSE_IN_REVIEW,
            Status.RESPONSE_SENT,
        ):
            letter = case_services.move_case(letter, to=status, actor=lead)
        assert letter.status == Status.RESPONSE_SENT

    def test_the_guard_reads_the_database_once(self, complaint, investigator, django_assert_num_queries):
        complaint = in_review(complaint, investigator)
        for _ in range(3):
            services.save_draft(complaint, actor=coordinator(), draft=f"<p>Version {_}</p>")
        with django_assert_num_queries(1):
            assert guards.refusal(complaint, "response_signed_off") is not None


class TestStandardParagraphs:
    def test_an_administrator_adds_and_changes_them_sanitised_and_audited(self):
        admin = administrator()
        paragraph = services.add_standard_paragraph(
            actor=admin, title="Thanks", purpose=ParagraphPurpose.OTHER, html='<p onclick="x()">Thank you.</p>'
        )
        assert paragraph.html == "<p>Thank you.</p>"
        services.change_standard_paragraph(
            paragraph,
            actor=admin,
            title="Thanks",
            purpose=ParagraphPurpose.OTHER,
            html="Thank you very much.",
            disabled_on=TODAY,
        )
        paragraph.refresh_from_db()
        assert (paragraph.html, paragraph.is_active) == ("<p>Thank you very much.</p>", False)
        assert paragraph not in selectors.standard_paragraphs()
        assert list(
            AuditEvent.objects.filter(target_type="responses.standardparagraph")
            .order_by("id")
            .values_list("action", flat=True)
        ) == [
            "standardparagraph.created",
            "standardparagraph.changed",
        ]

    def test_the_starter_set_covers_the_apology_the_ombudsman_advocacy_and_meetings(self):
        assert {p.purpose for p in selectors.standard_paragraphs()} >= {"apology", "ombudsman", "advocacy", "meeting"}

    def test_others_cannot_change_them_and_titles_are_unique(self, lead):
        with pytest.raises(PermissionDenied):
            services.add_standard_paragraph(actor=lead, title="Mine", purpose="other", html="Words")
        with pytest.raises(ValidationError) as refusal:
            services.add_standard_paragraph(actor=administrator(), title="apology", purpose="apology", html="Sorry")
        assert refusal.value.message_dict == {"title": ["There is already a paragraph called 'apology'."]}
