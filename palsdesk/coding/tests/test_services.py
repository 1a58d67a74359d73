"""Coding a case's issues: what each kind of case needs, one year's lists per issue, outcomes, and who may do what."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from palsdesk.accounts.tests.factories import approver, coordinator, divisional_manager, officer, volunteer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, Outcome, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding import loading, selectors, services
from palsdesk.coding.models import CaseIssue, Code, TaxonomyKind
from palsdesk.coding.tests.factories import add_coded_issue, code, code_for_closing, local_subject, write_year
from palsdesk.core.errors import RuleBroken, StaleEdit
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

D = datetime.date
SUBJECT, SUBCATEGORY, SERVICE_AREA, PROFESSION, HCAT = (
    TaxonomyKind.SUBJECT,
    TaxonomyKind.CLINICAL_SUBCATEGORY,
    TaxonomyKind.SERVICE_AREA,
    TaxonomyKind.PROFESSION,
    TaxonomyKind.HCAT_CATEGORY,
)


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def complaint():
    return make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 2))


def issue_values(**changes) -> dict:
    """A complete complaint issue, as add_issue takes it."""
    return {
        "subject": code(SUBJECT, "communications"),
        "service_area": code(SERVICE_AREA, "acute-outpatient"),
        "professions": [code(PROFESSION, "medical")],
    } | changes


def refused_fields(call) -> dict:
    with pytest.raises(ValidationError) as refusal:
        call()
    return refusal.value.message_dict


class TestAddingAnIssue:
    def test_an_issue_is_stored_with_its_codes_on_the_timeline_and_the_audit_trail(self, complaint):
        actor = complaint.created_by
        issue = services.add_issue(
            complaint,
            actor=actor,
            description="Nobody explained the scan results",
            **issue_values(
                professions=[code(PROFESSION, "medical"), code(PROFESSION, "nursing-midwifery-health-visiting")]
            ),
        )
        assert issue.order == 1
        assert issue.subject.label == "Communications"
        assert sorted(p.code for p in issue.professions.all()) == ["medical", "nursing-midwifery-health-visiting"]
        complaint.refresh_from_db()
        assert complaint.version == 2
        assert complaint.outcome == ""
        entry = complaint.timeline.get(kind=TimelineEntry.EntryKind.CODING)
        assert entry.body == (
            "Issue 1 added: Communications; service area Acute services: outpatient; "
            "professions Medical (including hospital doctors and surgeons), Nursing, midwifery and health visiting."
        )
        event = AuditEvent.objects.get(action="case.issue_added", case=complaint)
        assert event.changes["subject"] == [None, {"id": issue.subject_id, "label": "Communications"}]
        assert event.changes["description"] == [None, "Nobody explained the scan results"]

    def test_issues_are_numbered_in_order(self, complaint):
        first = add_coded_issue(complaint)
        second = add_coded_issue(complaint, subject="waiting-times")
        assert (first.order, second.order) == (1, 2)

    def test_a_case_received_this_year_is_coded_with_the_latest_list_before_it(self, complaint):
        # Received in 2026-27; only 2025-26 is loaded.
        assert selectors.coding_year_for(complaint) == "2025-26"
        choices = selectors.coding_choices(complaint)
        assert choices.collection_year == "2025-26"
        assert "clinical-treatment" in choices.subjects.values_list("code", flat=True)
        assert choices.professions.count() == 7
        assert [c.code for c in choices.hcat_categories][:2] == ["quality", "safety"]


class TestWhatEachIssueNeeds:
    def test_clinical_treatment_needs_its_sub_category(self, complaint):
        problems = refused_fields(
            lambda: services.add_issue(
                complaint, actor=complaint.created_by, **issue_values(subject=code(SUBJECT, "clinical-treatment"))
            )
        )
        assert problems == {"clinical_subcategory": ["Choose the clinical treatment sub-category."]}
        issue = add_coded_issue(complaint, subject="clinical-treatment", clinical_subcategory="surgical-group")
        assert issue.clinical_subcategory.label == "Surgical group"

    def test_only_clinical_treatment_has_a_sub_category(self, complaint):
        problems = refused_fields(
            lambda: services.add_issue(
                complaint,
                actor=complaint.created_by,
                **issue_values(clinical_subcategory=code(SUBCATEGORY, "anaesthetics")),
            )
        )
        assert "Only clinical treatment has a sub-category" in problems["clinical_subcategory"][0]

    def test_a_complaints_issue_needs_a_subject_a_service_area_and_a_profession(self, complaint):
        problems = refused_fields(lambda: services.add_issue(complaint, actor=complaint.created_by))
        assert problems == {
            "subject": ["Choose the subject."],
            "service_area": ["Choose the service area."],
            "professions": ["Choose at least one profession."],
        }
        assert not CaseIssue.objects.exists()

    @pytest.mark.parametrize("kind", [Kind.PALS_CONCERN, Kind.ENQUIRY, Kind.COMPLIMENT, Kind.MP_LETTER])
    def test_other_cases_need_a_subject_and_service_area_only(self, kind):
        case = make_case(kind=kind)
        issue = services.add_issue(
            case,
            actor=case.created_by,
            subject=code(SUBJECT, "values-and-behaviours"),
            service_area=code(SERVICE_AREA, "maternity"),
        )
        assert issue.professions.count() == 0
        problems = refused_fields(lambda: services.add_issue(case, actor=case.created_by, subject=issue.subject))
        assert problems == {"service_area": ["Choose the service area."]}

    @pytest.mark.parametrize("kind", [Kind.COMPLIMENT, Kind.PALS_CONCERN, Kind.ENQUIRY])
    def test_only_complaints_and_mp_letters_have_outcomes(self, kind):
        case = make_case(kind=kind)
        problems = refused_fields(
            lambda: services.add_issue(case, actor=case.created_by, outcome=Outcome.UPHELD, **issue_values())
        )
        assert "has no outcome: outcomes are for complaints and MP letters" in problems["outcome"][0]

    def test_not_investigated_needs_a_reason_and_only_it_has_one(self, complaint):
        actor = complaint.created_by
        problems = refused_fields(
            lambda: services.add_issue(complaint, actor=actor, outcome=Outcome.NOT_INVESTIGATED, **issue_values())
        )
        assert problems == {"not_investigated_reason": ["Say why this issue was not investigated."]}
        problems = refused_fields(
            lambda: services.add_issue(
                complaint, actor=actor, outcome=Outcome.UPHELD, not_investigated_reason="x", **issue_values()
            )
        )
        assert problems == {"not_investigated_reason": ["Only an issue that was not investigated has a reason for it."]}

    def test_a_code_from_the_wrong_list_is_refused(self, complaint):
        problems = refused_fields(
            lambda: services.add_issue(
                complaint, actor=complaint.created_by, **issue_values(service_area=code(PROFESSION, "medical"))
            )
        )
        assert problems == {"service_area": ["Choose a service area from the KO41a service area list."]}

    def test_hcat_coding_is_optional_and_needs_a_category_with_a_severity(self, complaint):
        actor = complaint.created_by
        assert refused_fields(
            lambda: services.add_issue(complaint, actor=actor, hcat_severity=2, **issue_values())
        ) == {"hcat_severity": ["Choose the HCAT category this severity is for."]}
        safety = code(HCAT, "safety")
        assert (
            "from 1 (low) to 3 (high)"
            in refused_fields(
                lambda: services.add_issue(complaint, actor=actor, hcat_category=safety, **issue_values())
            )["hcat_severity"][0]
        )
        assert (
            "remove the HCAT category instead"
            in refused_fields(
                lambda: services.add_issue(
                    complaint, actor=actor, hcat_category=safety, hcat_severity=0, **issue_values()
                )
            )["hcat_severity"][0]
        )
        assert "hcat_harm" in refused_fields(
            lambda: services.add_issue(
                complaint, actor=actor, hcat_category=safety, hcat_severity=2, hcat_harm=6, **issue_values()
            )
        )
        issue = services.add_issue(
            complaint, actor=actor, hcat_category=safety, hcat_severity=3, hcat_harm=4, **issue_values()
        )
        assert (issue.hcat_category.parent.label, issue.hcat_severity, issue.hcat_harm) == ("Clinical", 3, 4)


class TestOneYearsListsPerIssue:
    def test_an_issues_codes_come_from_one_year(self, complaint, tmp_path):
        loading.load_files([write_year(tmp_path, "2026-27")])
        problems = refused_fields(
            lambda: services.add_issue(
                complaint,
                actor=complaint.created_by,
                **issue_values(service_area=code(SERVICE_AREA, "maternity", year="2026-27")),
            )
        )
        assert problems["subject"] == [
            "An issue's KO41a codes must all come from one year's lists, not from 2025-26 and 2026-27."
        ]

    def test_an_issue_is_coded_with_the_cases_year_once_that_years_list_is_loaded(self, complaint, tmp_path):
        old = add_coded_issue(complaint)  # 2025-26: the nearest list when it was coded
        loading.load_files([write_year(tmp_path, "2026-27")])
        problems = refused_fields(lambda: add_coded_issue(complaint, subject="waiting-times"))
        assert problems["subject"] == ["This case is coded with the 2026-27 lists; these codes are from 2025-26."]
        add_coded_issue(complaint, subject="waiting-times", year="2026-27")
        # The issue coded before keeps its year: its outcome can still be recorded, its codes changed within it.
        services.record_issue_outcome(old, outcome=Outcome.UPHELD, actor=complaint.created_by)
        services.change_issue(old, actor=complaint.created_by, service_area=code(SERVICE_AREA, "maternity"))

    def test_a_disabled_code_cannot_be_chosen_but_an_issue_keeps_one_it_has(self, complaint):
        issue = add_coded_issue(complaint, service_area="ambulance")
        Code.objects.filter(taxonomy__kind=SERVICE_AREA, code="ambulance").update(disabled_on=D(2026, 11, 1))
        problems = refused_fields(lambda: add_coded_issue(complaint, service_area="ambulance"))
        assert problems == {"service_area": ["'Ambulance services' is no longer in use. Choose another service area."]}
        services.record_issue_outcome(issue, outcome=Outcome.NOT_UPHELD, actor=complaint.created_by)
        services.change_issue(issue, actor=complaint.created_by, description="Late ambulance home")
        assert CaseIssue.objects.get(pk=issue.pk).service_area.code == "ambulance"


class TestLocalSubjects:
    def test_a_local_subject_records_its_national_subject(self, complaint):
        letters = local_subject("Discharge letters", national="communications")
        values = issue_values()
        del values["subject"]
        issue = services.add_issue(complaint, actor=complaint.created_by, local_subject=letters, **values)
        assert (issue.subject.code, issue.local_subject) == ("communications", letters)
        assert "Communications (Discharge letters)" in complaint.timeline.first().body

    def test_a_local_subject_must_agree_with_the_national_one_given(self, complaint):
        letters = local_subject("Discharge letters", national="communications")
        problems = refused_fields(
            lambda: services.add_issue(
                complaint,
                actor=complaint.created_by,
                local_subject=letters,
                **issue_values(subject=code(SUBJECT, "waiting-times")),
            )
        )
        assert "comes under 'Communications', not 'Waiting times'" in problems["local_subject"][0]

    def test_a_local_subject_maps_by_code_to_a_later_years_list(self, complaint, tmp_path):
        letters = local_subject("Discharge letters", national="communications")
        loading.load_files([write_year(tmp_path, "2026-27")])
        issue = services.add_issue(
            complaint,
            actor=complaint.created_by,
            local_subject=letters,
            service_area=code(SERVICE_AREA, "maternity", year="2026-27"),
            professions=[code(PROFESSION, "medical", year="2026-27")],
        )
        assert issue.subject == code(SUBJECT, "communications", year="2026-27")
        assert list(selectors.coding_choices(complaint).local_subjects) == [letters]

    def test_a_disabled_local_subject_cannot_be_chosen(self, complaint):
        letters = local_subject("Discharge letters", national="communications")
        letters.disabled_on = D(2026, 1, 1)
        letters.save()
        problems = refused_fields(lambda: add_coded_issue(complaint, local_subject=letters))
        assert problems == {"local_subject": ["'Discharge letters' is no longer in use. Choose another."]}


class TestOutcomes:
    def test_the_case_outcome_is_stored_as_each_issue_gets_its_outcome(self, complaint):
        actor = complaint.created_by
        first, second = add_coded_issue(complaint), add_coded_issue(complaint, subject="waiting-times")
        services.record_issue_outcome(first, outcome=Outcome.UPHELD, actor=actor)
        complaint.refresh_from_db()
        assert complaint.outcome == ""
        services.record_issue_outcome(second, outcome=Outcome.NOT_UPHELD, actor=actor)
        complaint.refresh_from_db()
        assert complaint.outcome == Outcome.PARTIALLY_UPHELD
        services.record_issue_outcome(second, outcome=Outcome.UPHELD, actor=actor)
        complaint.refresh_from_db()
        assert complaint.outcome == Outcome.UPHELD
        assert complaint.timeline.first().body == ("Issue 2 (Waiting times): upheld. The case is now upheld.")
        event = AuditEvent.objects.filter(action="case.issue_outcome_recorded").first()
        assert event.changes == {
            "outcome": ["not_upheld", "upheld"],
            "case_outcome": ["partially_upheld", "upheld"],
        }

    def test_an_issue_not_investigated_says_why_and_does_not_count(self, complaint):
        actor = complaint.created_by
        first, second = add_coded_issue(complaint), add_coded_issue(complaint, subject="waiting-times")
        services.record_issue_outcome(first, outcome=Outcome.NOT_UPHELD, actor=actor)
        with pytest.raises(ValidationError):
            services.record_issue_outcome(second, outcome=Outcome.NOT_INVESTIGATED, actor=actor)
        services.record_issue_outcome(
            second, outcome=Outcome.NOT_INVESTIGATED, not_investigated_reason="Subject to a legal claim", actor=actor
        )
        complaint.refresh_from_db()
        assert complaint.outcome == Outcome.NOT_UPHELD

    def test_a_new_outcome_other_than_not_investigated_drops_the_old_reason(self, complaint):
        issue = add_coded_issue(complaint, outcome=Outcome.NOT_INVESTIGATED, not_investigated_reason="Legal claim")
        issue = services.change_issue(issue, actor=complaint.created_by, outcome=Outcome.UPHELD)
        assert (issue.outcome, issue.not_investigated_reason) == (Outcome.UPHELD, "")

    def test_removing_an_issue_renumbers_the_rest_and_derives_the_outcome_again(self, complaint):
        actor = complaint.created_by
        first = add_coded_issue(complaint, outcome=Outcome.NOT_UPHELD)
        add_coded_issue(complaint, subject="waiting-times", outcome=Outcome.UPHELD)
        third = add_coded_issue(complaint, subject="trust-administration", outcome=Outcome.UPHELD)
        complaint.refresh_from_db()
        assert complaint.outcome == Outcome.PARTIALLY_UPHELD
        case = services.remove_issue(first, actor=actor)
        assert case.outcome == Outcome.UPHELD
        assert CaseIssue.objects.get(pk=third.pk).order == 2
        assert case.timeline.first().body == "Issue 1 removed: Communications. The case is now upheld."
        assert AuditEvent.objects.filter(action="case.issue_removed", target_id=str(first.pk)).exists()


class TestAClosedComplaint:
    @pytest.fixture
    def closed(self, complaint):
        actor = complaint.created_by
        code_for_closing(complaint)
        for status in (
            Status.ACKNOWLEDGED,
            Status.UNDER_INVESTIGATION,
            Status.RESPONSE_IN_REVIEW,
            Status.RESPONSE_SENT,
            Status.CLOSED,
        ):
            if status == Status.RESPONSE_SENT:
                sign_off_response(complaint)
            complaint = case_services.move_case(complaint, to=status, actor=actor)
        return complaint

    def test_its_coding_can_be_corrected(self, closed):
        issue = closed.issues.get()
        services.change_issue(issue, actor=closed.created_by, service_area=code(SERVICE_AREA, "maternity"))
        services.record_issue_outcome(issue, outcome=Outcome.NOT_UPHELD, actor=closed.created_by)
        closed.refresh_from_db()
        assert closed.outcome == Outcome.NOT_UPHELD

    def test_it_is_never_left_with_a_new_gap(self, closed):
        with pytest.raises(RuleBroken, match="is closed, so its coding can be corrected but not left incomplete"):
            services.remove_issue(closed.issues.get(), actor=closed.created_by)
        with pytest.raises(RuleBroken, match=r"Issue 2 \(Waiting times\): no outcome\."):
            add_coded_issue(closed, subject="waiting-times")
        add_coded_issue(closed, subject="waiting-times", outcome=Outcome.NOT_UPHELD)
        closed.refresh_from_db()
        assert closed.outcome == Outcome.PARTIALLY_UPHELD


class TestWhoMayCode:
    @pytest.mark.parametrize(
        ("make_user", "allowed"),
        [(officer, True), (coordinator, True), (divisional_manager, False), (approver, False), (volunteer, False)],
    )
    def test_caseworkers_code_issues(self, complaint, make_user, allowed):
        actor = make_user()
        if allowed:
            add_coded_issue(complaint, actor=actor)
        else:
            with pytest.raises(PermissionDenied, match="cannot code cases"):
                add_coded_issue(complaint, actor=actor)

    @pytest.mark.parametrize(
        ("make_user", "allowed"), [(officer, True), (coordinator, True), (divisional_manager, True), (approver, False)]
    )
    def test_investigators_record_outcomes_too(self, complaint, make_user, allowed):
        issue = add_coded_issue(complaint)
        actor = make_user()
        if allowed:
            services.record_issue_outcome(issue, outcome=Outcome.UPHELD, actor=actor)
        else:
            with pytest.raises(PermissionDenied, match="cannot record outcomes"):
                services.record_issue_outcome(issue, outcome=Outcome.UPHELD, actor=actor)

    def test_a_divisional_manager_cannot_change_the_codes(self, complaint):
        issue = add_coded_issue(complaint)
        with pytest.raises(PermissionDenied):
            services.change_issue(issue, actor=divisional_manager(), service_area=code(SERVICE_AREA, "maternity"))

    def test_a_stale_form_is_refused(self, complaint):
        issue = add_coded_issue(complaint)
        with pytest.raises(StaleEdit):
            services.record_issue_outcome(
                issue, outcome=Outcome.UPHELD, actor=complaint.created_by, expected_version=complaint.version
            )
