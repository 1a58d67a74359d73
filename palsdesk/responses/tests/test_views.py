"""The final response on the web: the case page section, the draft, versions, review, sign-off and sending."""

import io
import re

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palsdesk.accounts.tests.factories import administrator, approver, auditor, coordinator, officer, volunteer
from palsdesk.cases import selectors as case_selectors
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import form_defaults, page_text, problems, text_of
from palsdesk.correspondence.models import CorrespondenceEntry
from palsdesk.grading import services as grading_services
from palsdesk.responses import selectors, services
from palsdesk.responses.models import FinalResponse, ResponseVersion, StandardParagraph
from palsdesk.responses.tests.conftest import RECEIVED_ON, under_investigation
from palsdesk.responses.tests.factories import DRAFT_MEETING_REGULATION_14, PARAGRAPH_OF

pytestmark = pytest.mark.django_db


def url(case, name: str, **kwargs) -> str:
    return reverse(f"responses:{name}", kwargs={"reference": case.reference, **kwargs})


def case_page(client, case):
    return client.get(reverse("cases:detail", kwargs={"reference": case.reference}))


def section_of(response) -> str:
    html = response.content.decode()
    found = re.search(r'<section id="final-response".*?</section>', html, re.S)
    return found.group(0) if found else ""


def in_review(complaint, investigator, draft=DRAFT_MEETING_REGULATION_14):
    services.save_draft(complaint, actor=investigator, draft=draft)
    return services.submit_for_review(complaint, actor=investigator)


def word_upload(text: str):
    document = docx.Document()
    document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    output.name = "draft.docx"
    output.seek(0)
    return output


class TestTheCasePageSection:
    def test_a_complaint_under_investigation_offers_its_investigator_the_draft(self, client, complaint, investigator):
        client.force_login(investigator)
        section = section_of(case_page(client, complaint))
        assert "Not started" in section
        assert "Write the draft response" in section
        assert "Signed off by an approver (executive sign-off): the complaint is not graded." in text_of(section)

    def test_the_section_lists_the_versions_and_what_each_person_may_do(self, client, complaint, investigator, lead):
        services.save_draft(complaint, actor=investigator, draft="First")
        services.save_draft(complaint, actor=investigator, draft="Second")
        client.force_login(investigator)
        section = section_of(case_page(client, complaint))
        assert "Being drafted" in section
        assert section.index("Version 2") < section.index("Version 1")
        assert "Changes from version 1" in section
        assert 'action="/cases/' + complaint.reference + '/response/submit/"' in section

        services.submit_for_review(complaint, actor=investigator)
        client.force_login(lead)
        section = text_of(section_of(case_page(client, complaint)))
        assert "In review" in section
        assert "Return with comments" in section and "Change the draft" in section
        assert "Check and sign off" not in section  # an ungraded complaint is signed off by an approver
        assert "Not shown yet: how the complaint was considered" in section

        client.force_login(approver())
        section = text_of(section_of(case_page(client, complaint)))
        assert "Check and sign off" in section and "Return with comments" not in section

    def test_a_complaint_withdrawn_without_a_response_says_there_is_none(self, client, complaint, lead):
        complaint = case_services.move_case(complaint, to=Status.WITHDRAWN, reason="Resolved on the ward", actor=lead)
        client.force_login(lead)
        section = text_of(section_of(case_page(client, complaint)))
        assert "No final response to this round of the complaint was written on PALS Desk." in section
        assert "Not started" not in section and "Write the draft" not in section

    def test_a_pals_concern_has_no_final_response(self, client, medicine, lead):
        concern = make_case(kind=Kind.PALS_CONCERN, division=medicine, actor=lead)
        client.force_login(lead)
        assert section_of(case_page(client, concern)) == ""

    def test_the_section_reads_the_database_a_fixed_number_of_times(
        self, client, complaint, investigator, lead, capsys
    ):
        def grow(versions: int, returns: int) -> None:
            case = complaint
            for number in range(returns):
                services.save_draft(case, actor=investigator, draft=f"Draft round {number} {versions}")
                case = services.submit_for_review(case, actor=investigator)
                case = services.return_with_comments(case, comments=f"Again {number}", actor=lead)
            for number in range(versions):
                services.save_draft(case, actor=investigator, draft=f"More words {number} {returns}")

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert case_page(client, complaint).status_code == 200
            return len(captured)

        grow(versions=1, returns=1)
        client.force_login(investigator)
        case_page(client, complaint)
        few = queries()
        grow(versions=8, returns=3)
        many = queries()
        assert "Version 13" in page_text(case_page(client, complaint))
        assert many == few
        with capsys.disabled():
            print(f"\ncase page with a final response: {few} queries with 2 versions, {many} with 13")


class TestQueryCounts:
    def test_the_section_itself_takes_four_queries_in_review(
        self, complaint, investigator, lead, django_assert_num_queries
    ):
        for number in range(5):
            services.save_draft(complaint, actor=investigator, draft=f"Draft {number}")
        complaint = services.submit_for_review(complaint, actor=investigator)
        complaint = services.return_with_comments(complaint, comments="Again", actor=lead)
        complaint = in_review(complaint, investigator, draft="<p>Final words</p>")
        case = case_selectors.case_for_page(lead, complaint.reference)
        # The response, its versions, its latest return, the latest version's checks.
        with django_assert_num_queries(4):
            section = selectors.case_section(lead, case)
        assert len(section.context["versions"]) == 6

    def test_my_work_does_not_grow_with_returned_drafts(self, client, medicine, lead, investigator, capsys):
        def returned_drafts(count: int) -> None:
            for _ in range(count):
                case = under_investigation(division=medicine, lead=lead, investigator=investigator)
                case = in_review(case, investigator)
                services.return_with_comments(case, comments="Please look again", actor=lead)

        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("cases:my_work")).status_code == 200
            return len(captured)

        returned_drafts(1)
        client.force_login(investigator)
        client.get(reverse("cases:my_work"))
        few = queries()
        returned_drafts(4)
        many = queries()
        assert page_text(client.get(reverse("cases:my_work"))).count("Draft response returned with comments") == 5
        assert many == few
        with capsys.disabled():
            print(f"\nMy work: {few} queries with 1 returned draft, {many} with 5")


class TestWritingTheDraft:
    def test_the_draft_is_saved_sanitised_and_the_page_shows_it_escaped(self, client, complaint, investigator):
        client.force_login(investigator)
        page = client.get(url(complaint, "draft"))
        assert page.status_code == 200
        form = form_defaults(page, url(complaint, "draft"))
        assert form["based_on"] == ["0"]

        response = client.post(
            url(complaint, "draft"),
            {"based_on": "0", "draft": '<p onclick="x()">Dear Mrs Okafor,</p><script>alert(1)</script>', "save": "1"},
        )

        assert response.status_code == 302
        assert ResponseVersion.objects.get().html == "<p>Dear Mrs Okafor,</p>"
        again = client.get(url(complaint, "draft")).content.decode()
        assert "&lt;p&gt;Dear Mrs Okafor,&lt;/p&gt;" in again  # the textarea holds the HTML, escaped
        assert "<script>alert(1)" not in again

    def test_a_standard_paragraph_is_inserted_without_saving(self, client, complaint, investigator):
        ombudsman = StandardParagraph.objects.get(purpose="ombudsman")
        client.force_login(investigator)
        response = client.post(
            url(complaint, "draft"),
            {"based_on": "0", "draft": "<p>Dear Mrs Okafor,</p>", "paragraph": str(ombudsman.pk), "insert": "1"},
        )
        assert response.status_code == 200
        typed = form_defaults(response, url(complaint, "draft"))["draft"][0]
        assert typed.startswith("<p>Dear Mrs Okafor,</p>\n<p>If you are not satisfied with this response")
        assert not ResponseVersion.objects.exists()

        nothing_chosen = client.post(url(complaint, "draft"), {"based_on": "0", "draft": "Words", "insert": "1"})
        assert "Choose the standard paragraph to insert." in problems(nothing_chosen)

    def test_a_refusal_keeps_what_was_typed_and_says_why(self, client, complaint, investigator, lead):
        services.save_draft(complaint, actor=lead, draft="The co-ordinator got there first")
        client.force_login(investigator)
        response = client.post(url(complaint, "draft"), {"based_on": "0", "draft": "My own words", "save": "1"})
        assert response.status_code == 200
        assert any("Helen Price saved version 1 of the draft" in message for message in problems(response))
        assert "My own words" in response.content.decode()
        assert ResponseVersion.objects.count() == 1

    def test_a_word_document_is_uploaded_as_a_version_and_a_bad_file_refused(self, client, complaint, investigator):
        client.force_login(investigator)
        response = client.post(url(complaint, "upload_word"), {"based_on": "0", "document": word_upload("From Word")})
        assert response.status_code == 302
        assert ResponseVersion.objects.get().html == "<p>From Word</p>"

        fake = io.BytesIO(b"MZ\x90\x00 not a document")
        fake.name = "draft.docx"
        refused = client.post(url(complaint, "upload_word"), {"based_on": "1", "document": fake})
        assert refused.status_code == 200
        assert any("program or script" in message for message in problems(refused))
        assert ResponseVersion.objects.count() == 1

    @pytest.mark.parametrize("role", [approver, auditor, volunteer])
    def test_roles_that_do_not_draft_are_refused(self, client, complaint, role):
        client.force_login(role())
        assert client.get(url(complaint, "draft")).status_code in (403, 404)
        assert client.post(url(complaint, "draft"), {"based_on": "0", "draft": "x", "save": "1"}).status_code in (
            403,
            404,
        )
        assert not ResponseVersion.objects.exists()

    def test_someone_from_another_division_does_not_find_the_complaint(self, client, complaint, outsider):
        client.force_login(outsider)
        for name in ("draft", "compare", "return", "sign_off", "send"):
            assert client.get(url(complaint, name)).status_code == 404, name
        assert client.post(url(complaint, "submit"), {"version": complaint.version}).status_code == 404


class TestVersionsAndComparing:
    def test_a_version_is_shown_paragraph_by_paragraph_numbered(self, client, complaint, investigator):
        services.save_draft(complaint, actor=investigator, draft=DRAFT_MEETING_REGULATION_14)
        client.force_login(investigator)
        text = page_text(client.get(url(complaint, "version", number=1)))
        assert "Paragraph 5 If you are not satisfied, you may ask the Parliamentary" in text
        assert client.get(url(complaint, "version", number=2)).status_code == 404

    def test_two_versions_are_compared_with_additions_and_removals_marked_and_said(
        self, client, complaint, investigator
    ):
        services.save_draft(complaint, actor=investigator, draft="<p>We looked at your care.</p>")
        services.save_draft(complaint, actor=investigator, draft="<p>We looked closely at your care.</p>")
        client.force_login(investigator)

        response = client.get(url(complaint, "compare"), {"from": 1, "to": 2})

        html = response.content.decode()
        assert "1 word added and 0 words removed." in page_text(response)
        assert (
            '<ins class="app-diff__added"><span class="nhsuk-u-visually-hidden">[added: </span>closely'
            '<span class="nhsuk-u-visually-hidden">]</span></ins>'
        ) in html

    def test_versions_that_do_not_exist_are_refused_with_a_message(self, client, complaint, investigator):
        services.save_draft(complaint, actor=investigator, draft="One")
        client.force_login(investigator)
        assert "only one version" in page_text(client.get(url(complaint, "compare")))
        services.save_draft(complaint, actor=investigator, draft="Two")
        response = client.get(url(complaint, "compare"), {"from": 7, "to": 2})
        assert response.status_code == 400
        assert "Choose versions from 1 to 2." in page_text(response)


class TestReview:
    def test_the_investigator_submits_and_a_returned_draft_comes_back_to_their_work(
        self, client, complaint, investigator, lead
    ):
        services.save_draft(complaint, actor=investigator, draft="First go")
        client.force_login(investigator)
        assert client.post(url(complaint, "submit"), {"version": complaint.version}).status_code == 302
        complaint.refresh_from_db()
        assert complaint.status == Status.RESPONSE_IN_REVIEW

        client.force_login(lead)
        empty = client.post(url(complaint, "return"), {"version": complaint.version, "comments": " "})
        assert "Enter your comments for the investigator." in problems(empty)
        returned = client.post(url(complaint, "return"), {"version": complaint.version, "comments": "Warmer, please"})
        assert returned.status_code == 302

        client.force_login(investigator)
        my_work = page_text(client.get(reverse("cases:my_work")))
        assert "Draft response returned with comments" in my_work
        draft_page = page_text(client.get(url(complaint, "draft")))
        assert "Returned with comments by Helen Price on 20 November 2026 Warmer, please" in draft_page

    def test_only_a_reviewer_may_return_a_draft(self, client, complaint, investigator):
        complaint = in_review(complaint, investigator)
        client.force_login(investigator)
        assert client.post(url(complaint, "return"), {"version": complaint.version, "comments": "x"}).status_code == 403


class TestSigningOff:
    def test_sign_off_is_refused_naming_the_element_still_missing(self, client, complaint, investigator, signer):
        complaint = in_review(complaint, investigator)
        client.force_login(signer)
        page = client.get(url(complaint, "sign_off"))
        assert page.status_code == 200
        chosen = {element.value: str(number) for element, number in PARAGRAPH_OF.items()}
        chosen["ombudsman"] = ""

        refused = client.post(url(complaint, "sign_off"), {**chosen, "sign": "1"})

        assert refused.status_code == 200
        assert problems(refused) == [
            "Regulation 14(2): the response must show the right to take the complaint to the Parliamentary and "
            "Health Service Ombudsman. Choose the paragraph that does before signing it off."
        ]
        assert not FinalResponse.objects.get().is_signed_off
        chosen["ombudsman"] = str(PARAGRAPH_OF["ombudsman"])
        signed = client.post(url(complaint, "sign_off"), {**chosen, "signed_as": "Chief Nurse", "sign": "1"})
        assert signed.status_code == 302
        assert FinalResponse.objects.get().signed_off_by == signer

    @pytest.mark.parametrize("role", [coordinator, officer, administrator])
    def test_a_user_without_the_approver_role_cannot_sign_off(self, client, complaint, investigator, role):
        complaint = in_review(complaint, investigator)
        client.force_login(role())
        chosen = {element.value: str(number) for element, number in PARAGRAPH_OF.items()}
        assert client.get(url(complaint, "sign_off")).status_code == 403
        assert client.post(url(complaint, "sign_off"), {**chosen, "sign": "1"}).status_code == 403
        assert not FinalResponse.objects.get().is_signed_off

    def test_a_low_grade_is_signed_off_by_the_co_ordinator(self, client, complaint, investigator, lead):
        complaint = grading_services.grade_case(complaint, consequence=1, likelihood=2, rationale="Minor", actor=lead)
        complaint = in_review(complaint, investigator)
        client.force_login(lead)
        assert "Check and sign off" in text_of(section_of(case_page(client, complaint)))
        chosen = {element.value: str(number) for element, number in PARAGRAPH_OF.items()}
        assert client.post(url(complaint, "sign_off"), {**chosen, "sign": "1"}).status_code == 302
        assert FinalResponse.objects.get().sign_off_level == "coordinator"


class TestSending:
    def test_the_signed_response_is_sent_and_filed(self, client, complaint, investigator, lead, signer):
        complaint = in_review(complaint, investigator)
        services.record_regulation_14_checks(
            complaint, actor=signer, paragraphs={e.value: n for e, n in PARAGRAPH_OF.items()}
        )
        services.sign_off(complaint, actor=signer)
        complaint.refresh_from_db()
        client.force_login(lead)
        assert "Send the signed response" in text_of(section_of(case_page(client, complaint)))
        wrong = client.post(url(complaint, "send"), {"version": complaint.version})
        assert "Choose how it was sent." in problems(wrong)

        sent = client.post(url(complaint, "send"), {"version": complaint.version, "method": "letter"})

        assert sent.status_code == 302
        complaint.refresh_from_db()
        assert complaint.status == Status.RESPONSE_SENT
        assert CorrespondenceEntry.objects.get(case=complaint).attachments.count() == 2
        assert "Sent" in text_of(section_of(case_page(client, complaint)))


class TestStandardParagraphPages:
    def test_an_administrator_adds_a_paragraph_and_others_are_refused(self, client, lead):
        client.force_login(lead)
        assert client.get(reverse("responses:paragraphs")).status_code == 403
        client.force_login(administrator())
        assert client.get(reverse("responses:paragraphs")).status_code == 200
        refused = client.post(reverse("responses:add_paragraph"), {"title": "", "purpose": "other", "html": ""})
        assert set(problems(refused)) == {"Enter a title.", "Write the paragraph."}
        added = client.post(
            reverse("responses:add_paragraph"),
            {"title": "Thanks", "purpose": "other", "html": "Thank you for telling us.", "order": "5"},
        )
        assert added.status_code == 302
        assert StandardParagraph.objects.get(title="Thanks").html == "<p>Thank you for telling us.</p>"


def test_the_draft_of_a_case_not_yet_investigated_is_explained_not_offered(client, medicine, lead):
    received = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead, received_on=RECEIVED_ON)
    client.force_login(lead)
    text = page_text(client.get(url(received, "draft")))
    assert "written while the complaint is under investigation" in text
    assert 'name="draft"' not in client.get(url(received, "draft")).content.decode()


def test_an_investigator_of_another_case_in_the_division_finds_it_through_their_division(
    client, medicine, lead, investigator
):
    other = under_investigation(division=medicine, lead=lead, investigator=investigator)
    client.force_login(investigator)
    assert client.get(url(other, "draft")).status_code == 200
