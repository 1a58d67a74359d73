"""Grading a case: the score and grade worked out, the history kept, and the response date (never a statutory clock)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from palsdesk.accounts.tests.factories import administrator, approver, coordinator, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Case, Kind, ResponseDueBasis, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.core.errors import RuleBroken, StaleEdit
from palsdesk.deadlines import services as deadline_services
from palsdesk.deadlines.models import HoldReason, ResponseTarget
from palsdesk.deadlines.selectors import clocks_of, response_target_working_days, working_day_calendar
from palsdesk.grading import selectors, services
from palsdesk.grading.models import CaseGrading, Grade, GradingScheme
from palsdesk.grading.tests.factories import grade, levels_scheme, matrix_scheme
from palsdesk.grading.tests.test_matrix import CELLS
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

D = datetime.date
RECEIVED_ON = D(2026, 11, 2)  # a Monday
# Statutory clocks of a complaint received then: acknowledgement 5 November, long-stop 1 May 2027.
ACKNOWLEDGEMENT_DUE_ON, LONG_STOP_ON = D(2026, 11, 5), D(2027, 5, 1)


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def grader():
    return coordinator()


@pytest.fixture
def complaint():
    return make_case(kind=Kind.COMPLAINT, received_on=RECEIVED_ON, event_on=D(2026, 10, 30))


def statutory_clocks(case) -> tuple:
    return (case.acknowledgement_due_on, case.long_stop_on, case.time_limit_on)


def test_the_seeded_scheme_is_the_npsa_matrix_and_grades_every_cell_as_the_table_says():
    scheme = selectors.current_scheme()
    assert scheme.is_matrix
    assert [level.name for level in scheme.consequence_levels.all()] == [
        "Negligible",
        "Minor",
        "Moderate",
        "Major",
        "Catastrophic",
    ]
    assert [level.name for level in scheme.likelihood_levels.all()] == [
        "Rare",
        "Unlikely",
        "Possible",
        "Likely",
        "Almost certain",
    ]
    cells = {
        (cell.consequence.level, cell.likelihood.level): cell for row in selectors.matrix_rows(scheme) for cell in row
    }
    for consequence, likelihood, score, band in CELLS:
        assert (cells[consequence, likelihood].score, cells[consequence, likelihood].grade.code) == (score, band)
    assert services.scheme_problems(scheme) == []


@pytest.mark.parametrize(
    ("code", "working_days", "sign_off"),
    [
        ("low", 25, "coordinator"),
        ("moderate", 40, "director"),
        ("high", 60, "executive"),
        ("extreme", 60, "chief_executive"),
    ],
)
def test_each_seeded_grade_carries_its_target_and_sign_off(code, working_days, sign_off):
    seeded = grade(code)
    assert (seeded.response_working_days, seeded.sign_off_level) == (working_days, sign_off)


class TestGradingACase:
    def test_grading_records_consequence_likelihood_score_grade_who_and_why(self, complaint, grader):
        case = services.grade_case(
            complaint, consequence=4, likelihood=3, rationale="Delayed diagnosis; family distressed", actor=grader
        )
        grading = CaseGrading.objects.get(case=case)
        assert (grading.consequence, grading.likelihood, grading.score) == (4, 3, 12)
        assert grading.grade == grade("high") == case.grade
        assert (grading.graded_by, grading.rationale) == (grader, "Delayed diagnosis; family distressed")
        assert grading.scheme == matrix_scheme()
        assert case.version == complaint.version + 1
        entry = case.timeline.get(kind=TimelineEntry.EntryKind.GRADING)
        assert entry.body.startswith(
            "Graded high (score 12: consequence 4 major × likelihood 3 possible). "
            "Reason: Delayed diagnosis; family distressed Response now due"
        )

    def test_regrading_keeps_every_earlier_grading(self, complaint, grader):
        case = services.grade_case(complaint, consequence=2, likelihood=2, rationale="Single issue", actor=grader)
        case = services.grade_case(case, consequence=3, likelihood=4, rationale="Records show harm", actor=grader)
        history = selectors.grading_history(case)
        assert [(g.score, g.grade.code, g.rationale) for g in history] == [
            (4, "moderate", "Single issue"),
            (12, "high", "Records show harm"),
        ]
        assert case.grade == grade("high")
        assert case.timeline.filter(body__startswith="Regraded from moderate to high (score 12").exists()

    def test_a_higher_grade_moves_the_response_date_and_never_the_statutory_clocks(self, complaint, grader):
        before = statutory_clocks(complaint)
        assert complaint.response_due_on == working_day_calendar().add_working_days(RECEIVED_ON, 25)

        case = services.grade_case(complaint, consequence=5, likelihood=3, rationale="Serious harm", actor=grader)

        assert case.grade == grade("extreme")
        assert case.response_target_working_days == 60
        assert case.response_due_on == working_day_calendar().add_working_days(RECEIVED_ON, 60)
        assert statutory_clocks(case) == before == (ACKNOWLEDGEMENT_DUE_ON, LONG_STOP_ON, D(2027, 10, 30))
        event = AuditEvent.objects.get(action="case.graded", case=case)
        assert event.changes["grade"] == [None, {"id": grade("extreme").pk, "label": "Extreme"}]
        assert event.changes["response_due_on"] == [
            str(complaint.response_due_on),
            str(case.response_due_on),
        ]
        assert "acknowledgement_due_on" not in event.changes
        assert "long_stop_on" not in event.changes

    def test_the_response_clock_says_it_runs_on_the_grades_target(self, complaint, grader):
        services.grade_case(complaint, consequence=4, likelihood=3, rationale="Likely to recur", actor=grader)
        case = Case.objects.select_related("grade").get(pk=complaint.pk)

        response = next(clock for clock in clocks_of(case, today=RECEIVED_ON) if clock.key == "response")

        assert "60 working days from receipt" in response.explanation
        assert "the trust's target for a complaint graded high." in response.explanation

    def test_regrading_down_moves_the_response_date_back(self, complaint, grader):
        case = services.grade_case(complaint, consequence=4, likelihood=4, rationale="Looked serious", actor=grader)
        case = services.grade_case(case, consequence=1, likelihood=2, rationale="Resolved by explanation", actor=grader)
        assert case.response_due_on == working_day_calendar().add_working_days(RECEIVED_ON, 25)
        assert statutory_clocks(case) == statutory_clocks(complaint)

    def test_a_grade_with_the_same_target_leaves_the_response_date_alone(self, complaint, grader):
        case = services.grade_case(complaint, consequence=1, likelihood=1, rationale="Minor", actor=grader)
        assert case.response_due_on == complaint.response_due_on
        assert "Response still due" in case.timeline.get(kind=TimelineEntry.EntryKind.GRADING).body

    def test_a_response_date_agreed_with_the_complainant_stays_as_agreed(self, complaint, grader):
        agreed = deadline_services.agree_response_date(
            complaint,
            due_on=D(2026, 12, 18),
            agreed_with="Mrs Okafor, by phone",
            agreed_on=D(2026, 11, 4),
            actor=complaint.created_by,
        )
        case = services.grade_case(agreed, consequence=5, likelihood=5, rationale="Death", actor=grader)
        assert (case.response_due_on, case.response_due_basis) == (D(2026, 12, 18), ResponseDueBasis.AGREED)
        assert "agreed with the complainant, so it stays Friday 18 December 2026" in case.timeline.first().body

    def test_a_held_clock_keeps_its_held_days_under_the_new_target(self, complaint, grader):
        reason = HoldReason.objects.get(code="awaiting-consent")
        case = deadline_services.put_on_hold(complaint, reason=reason, started_on=D(2026, 11, 9), actor=grader)
        case = deadline_services.release_hold(case, ended_on=D(2026, 11, 16), actor=grader)
        assert case.held_working_days == 5
        case = services.grade_case(case, consequence=3, likelihood=3, rationale="Clinical", actor=grader)
        assert case.response_due_on == working_day_calendar().add_working_days(RECEIVED_ON, 60 + 5)

    def test_a_response_already_sent_is_not_moved_and_a_reopened_complaint_runs_on_its_grades_target(self, grader):
        complaint = make_case(kind=Kind.COMPLAINT, received_on=RECEIVED_ON)
        for status in (
            Status.ACKNOWLEDGED,
            Status.UNDER_INVESTIGATION,
            Status.RESPONSE_IN_REVIEW,
            Status.RESPONSE_SENT,
        ):
            if status == Status.RESPONSE_SENT:
                sign_off_response(complaint)
            complaint = case_services.move_case(complaint, to=status, actor=grader)
        sent = complaint.response_due_on
        case = services.grade_case(complaint, consequence=4, likelihood=2, rationale="On review", actor=grader)
        assert case.response_due_on == sent
        reopened = case_services.move_case(case, to=Status.UNDER_INVESTIGATION, reason="New questions", actor=grader)
        assert reopened.response_target_working_days == 60
        assert reopened.response_due_on == working_day_calendar().add_working_days(D(2026, 11, 20), 60)

    def test_an_mp_letter_is_graded_too(self, grader):
        letter = make_case(kind=Kind.MP_LETTER, received_on=RECEIVED_ON)
        case = services.grade_case(
            letter, consequence=2, likelihood=3, rationale="Constituent distressed", actor=grader
        )
        assert case.grade == grade("moderate")
        assert case.response_due_on == working_day_calendar().add_working_days(RECEIVED_ON, 40)

    @pytest.mark.parametrize("kind", [Kind.PALS_CONCERN, Kind.COMPLIMENT, Kind.ENQUIRY])
    def test_only_complaints_and_mp_letters_are_graded(self, kind, grader):
        case = make_case(kind=kind)
        with pytest.raises(RuleBroken, match="Only complaints and MP letters are graded"):
            services.grade_case(case, consequence=1, likelihood=1, rationale="x", actor=grader)
        assert not CaseGrading.objects.exists()

    def test_a_finished_complaint_is_not_graded(self, complaint, grader):
        withdrawn = case_services.move_case(complaint, to=Status.WITHDRAWN, reason="No longer wanted", actor=grader)
        with pytest.raises(RuleBroken, match="reopen it before grading it again"):
            services.grade_case(withdrawn, consequence=1, likelihood=1, rationale="x", actor=grader)


class TestWhatAGradingNeeds:
    @pytest.mark.parametrize(
        ("values", "fields"),
        [
            ({"rationale": "Serious"}, {"consequence", "likelihood"}),
            ({"consequence": 3, "rationale": "Serious"}, {"likelihood"}),
            ({"consequence": 6, "likelihood": 0, "rationale": "Serious"}, {"consequence", "likelihood"}),
            ({"consequence": 3, "likelihood": 3, "rationale": "   "}, {"rationale"}),
            ({"consequence": 3, "likelihood": 3, "rationale": "x" * 5_001}, {"rationale"}),
        ],
    )
    def test_a_matrix_grading_needs_consequence_likelihood_and_a_reason(self, complaint, grader, values, fields):
        with pytest.raises(ValidationError) as refusal:
            services.grade_case(complaint, actor=grader, **values)
        assert set(refusal.value.message_dict) == fields
        assert not CaseGrading.objects.exists()

    def test_the_refusal_names_the_ends_of_the_scale(self, complaint, grader):
        with pytest.raises(ValidationError) as refusal:
            services.grade_case(complaint, likelihood=2, rationale="x", actor=grader)
        assert refusal.value.message_dict["consequence"] == [
            "Choose the consequence, from 1 (negligible) to 5 (catastrophic)."
        ]

    def test_a_grade_that_contradicts_the_score_is_refused(self, complaint, grader):
        with pytest.raises(ValidationError) as refusal:
            services.grade_case(
                complaint, consequence=4, likelihood=3, grade=grade("low"), rationale="Feels low", actor=grader
            )
        assert "a score of 12 is high" in refusal.value.message_dict["grade"][0]

    def test_a_scheme_of_named_levels_needs_the_grade_and_no_scores(self, complaint, grader):
        scheme = levels_scheme()
        level_2 = Grade.objects.get(scheme=scheme, code="level-2")
        with pytest.raises(ValidationError) as refusal:
            services.grade_case(complaint, consequence=2, likelihood=2, rationale="x", actor=grader)
        assert set(refusal.value.message_dict) == {"consequence", "likelihood", "grade"}
        with pytest.raises(ValidationError) as refusal:
            services.grade_case(complaint, grade=grade("high"), rationale="x", actor=grader)
        assert "not a grade of the scheme in use" in refusal.value.message_dict["grade"][0]

        case = services.grade_case(complaint, grade=level_2, rationale="Several issues", actor=grader)

        grading = CaseGrading.objects.get(case=case)
        assert (grading.score, grading.consequence, grading.likelihood, grading.grade) == (None, None, None, level_2)
        assert case.response_due_on == working_day_calendar().add_working_days(RECEIVED_ON, 40)
        assert case.timeline.first().body.startswith("Graded level 2. Reason: Several issues")

    def test_without_a_scheme_in_use_nothing_is_graded(self, complaint, grader):
        GradingScheme.objects.update(is_current=False)
        with pytest.raises(RuleBroken, match="No grading scheme is in use"):
            services.grade_case(complaint, consequence=1, likelihood=1, rationale="x", actor=grader)

    @pytest.mark.parametrize(
        ("make_user", "allowed"),
        [(coordinator, True), (administrator, True), (officer, False), (divisional_manager, False), (approver, False)],
    )
    def test_co_ordinators_and_administrators_grade(self, complaint, make_user, allowed):
        grade_it = lambda: services.grade_case(  # noqa: E731
            complaint, consequence=2, likelihood=2, rationale="Routine", actor=make_user()
        )
        if allowed:
            assert grade_it().grade == grade("moderate")
        else:
            with pytest.raises(PermissionDenied, match="cannot grade cases"):
                grade_it()

    def test_a_stale_form_is_refused(self, complaint, grader):
        services.grade_case(complaint, consequence=1, likelihood=1, rationale="First", actor=grader)
        with pytest.raises(StaleEdit):
            services.grade_case(
                complaint,
                consequence=5,
                likelihood=5,
                rationale="Second",
                actor=coordinator(),
                expected_version=complaint.version,
            )
        assert CaseGrading.objects.count() == 1


class TestTheResponseTarget:
    def test_a_new_case_takes_its_kinds_target_and_a_graded_one_its_grades(self):
        assert response_target_working_days(Kind.COMPLAINT) == 25
        assert response_target_working_days(Kind.MP_LETTER) == 20
        assert response_target_working_days(Kind.COMPLAINT, grade=grade("high")) == 60

    def test_a_changed_grade_target_applies_to_cases_graded_afterwards(self, complaint, grader):
        first = services.grade_case(complaint, consequence=2, likelihood=2, rationale="Routine", actor=grader)
        Grade.objects.filter(code="moderate").update(response_working_days=30)
        other = services.grade_case(
            make_case(kind=Kind.COMPLAINT, received_on=RECEIVED_ON),
            consequence=2,
            likelihood=2,
            rationale="Routine",
            actor=grader,
        )
        first.refresh_from_db()
        assert (first.response_target_working_days, other.response_target_working_days) == (40, 30)


class TestChoosingTheScheme:
    def test_making_a_scheme_current_keeps_earlier_gradings_on_theirs(self, complaint, grader):
        services.grade_case(complaint, consequence=3, likelihood=3, rationale="Clinical", actor=grader)
        scheme = levels_scheme(current=False)
        admin = administrator()
        services.make_scheme_current(scheme, actor=admin)
        assert list(GradingScheme.objects.filter(is_current=True)) == [scheme]
        assert CaseGrading.objects.get().scheme == matrix_scheme()
        assert AuditEvent.objects.filter(action="gradingscheme.made_current", actor=admin).exists()

    def test_an_incomplete_scheme_cannot_be_made_current(self):
        scheme = GradingScheme.objects.create(name="Draft", kind="matrix")
        Grade.objects.create(
            scheme=scheme,
            code="all",
            name="All",
            min_score=1,
            max_score=10,
            response_working_days=25,
            sign_off_level="coordinator",
        )
        with pytest.raises(RuleBroken) as refusal:
            services.make_scheme_current(scheme, actor=administrator())
        assert "Give the five consequence levels, 1 to 5." in refusal.value.message
        assert "No grade covers a score of 12." in refusal.value.message
        assert not GradingScheme.objects.get(pk=scheme.pk).is_current

    def test_only_an_administrator_chooses_the_scheme(self):
        with pytest.raises(PermissionDenied):
            services.make_scheme_current(levels_scheme(current=False), actor=coordinator())


def test_a_case_whose_kind_has_no_target_gets_a_response_date_from_its_grade():
    ResponseTarget.objects.filter(kind=Kind.MP_LETTER).delete()
    letter = make_case(kind=Kind.MP_LETTER, received_on=RECEIVED_ON)
    assert letter.response_due_on is None
    case = services.grade_case(letter, consequence=1, likelihood=3, rationale="Routine", actor=coordinator())
    assert case.response_due_on == working_day_calendar().add_working_days(RECEIVED_ON, 25)
