"""The dashboard's measures for May 2026, worked out by hand: the spring bank holiday (Monday 25 May) and the
early May bank holiday (Monday 4 May) are not working days, so each clock below skips them.

Complaints are acknowledged within 3 working days of receipt (regulation 13(2)); PALS concerns and enquiries
have the trust's 5 working day target; a complaint's is 25 working days unless a date is agreed.
"""

import datetime

import pytest
import time_machine

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, Outcome, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding.models import TaxonomyKind
from palsdesk.coding.tests.factories import add_coded_issue, code
from palsdesk.deadlines import services as deadline_services
from palsdesk.organisation.tests.factories import DivisionFactory, SiteFactory
from palsdesk.reporting.measures import Scope, measures, themes
from palsdesk.reporting.periods import Period
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

D = datetime.date
MAY = Period(D(2026, 5, 1), D(2026, 5, 31))
APRIL = Period(D(2026, 4, 1), D(2026, 4, 30))
TODAY = D(2026, 6, 15)


@pytest.fixture(autouse=True)
def _mid_june():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def medicine():
    return DivisionFactory(name="Medicine")


@pytest.fixture
def surgery():
    return DivisionFactory(name="Surgery")


@pytest.fixture
def riverside():
    return SiteFactory(name="Riverside Hospital")


@pytest.fixture
def worker():
    return officer()


def move(case, to, on, actor, **values):
    return case_services.move_case(case, to=to, on=on, actor=actor, **values)


def respond(case, on, actor):
    for status in (Status.UNDER_INVESTIGATION, Status.RESPONSE_IN_REVIEW):
        case = move(case, status, on, actor)
    # Regulation 14(2): a complaint's response is signed off before it is sent.
    sign_off_response(case)
    return move(case, Status.RESPONSE_SENT, on, actor)


def hcat(category: str, *, harm: int = 1) -> dict:
    return {"hcat_category": code(TaxonomyKind.HCAT_CATEGORY, category), "hcat_severity": 2, "hcat_harm": harm}


@pytest.fixture
def may(medicine, surgery, riverside, worker):
    """May's cases, and one from April still open. Each is named for what it proves."""

    def case(kind, received_on, division=medicine, **values):
        return make_case(kind=kind, received_on=received_on, division=division, actor=worker, **values)

    made = {}
    # Friday 22 May: 3 working days on is Thursday 28 May (Monday 25th is the spring bank holiday).
    made["acknowledged_after_bank_holiday"] = case(Kind.COMPLAINT, D(2026, 5, 22), site=riverside)
    move(made["acknowledged_after_bank_holiday"], Status.ACKNOWLEDGED, D(2026, 5, 28), worker)
    # Friday 1 May: due Thursday 7 May (Monday 4th is a bank holiday); acknowledged a day late, then withdrawn.
    made["acknowledged_late"] = case(Kind.COMPLAINT, D(2026, 5, 1))
    move(made["acknowledged_late"], Status.ACKNOWLEDGED, D(2026, 5, 8), worker)
    move(made["acknowledged_late"], Status.WITHDRAWN, D(2026, 5, 20), worker, reason="They no longer wish to go on.")
    # Wednesday 20 May: due Tuesday 26 May, and never acknowledged: late.
    made["never_acknowledged"] = case(Kind.COMPLAINT, D(2026, 5, 20), site=riverside)
    # Monday 11 May, acknowledged the same day; a response agreed for Thursday 28 May and sent a day late,
    # on Friday 29 May (the trust's 25-day target, Tuesday 16 June, would have been met).
    made["responded_late"] = case(Kind.COMPLAINT, D(2026, 5, 11), division=surgery)
    move(made["responded_late"], Status.ACKNOWLEDGED, D(2026, 5, 11), worker)
    deadline_services.agree_response_date(
        made["responded_late"],
        due_on=D(2026, 5, 28),
        agreed_with="The complainant",
        agreed_on=D(2026, 5, 12),
        actor=worker,
    )
    add_coded_issue(made["responded_late"], subject="communications", outcome=Outcome.UPHELD, **hcat("communication"))
    add_coded_issue(made["responded_late"], subject="communications", outcome=Outcome.UPHELD)
    add_coded_issue(made["responded_late"], subject="appointments", outcome=Outcome.UPHELD)
    respond(made["responded_late"], D(2026, 5, 29), worker)
    move(made["responded_late"], Status.CLOSED, D(2026, 5, 29), worker)
    # PALS concerns: Monday 18 May is due Tuesday 26 May, resolved that day (5 working days);
    # Wednesday 6 May is due Wednesday 13 May, resolved Friday 15 May (7 working days).
    made["concern_in_time"] = case(Kind.PALS_CONCERN, D(2026, 5, 18))
    move(made["concern_in_time"], Status.RESOLVED, D(2026, 5, 26), worker)
    made["concern_late"] = case(Kind.PALS_CONCERN, D(2026, 5, 6))
    move(made["concern_late"], Status.RESOLVED, D(2026, 5, 15), worker)
    # An enquiry of Friday 1 May, answered Tuesday 5 May, reopened on the 6th and answered again on the 7th:
    # the reopened clock runs 5 working days from the 6th (Wednesday 13 May); 3 working days in all.
    made["reopened_enquiry"] = case(Kind.ENQUIRY, D(2026, 5, 1))
    move(made["reopened_enquiry"], Status.RESOLVED, D(2026, 5, 5), worker)
    move(made["reopened_enquiry"], Status.OPEN, D(2026, 5, 6), worker, reason="They rang back with a question.")
    move(made["reopened_enquiry"], Status.RESOLVED, D(2026, 5, 7), worker)
    made["compliment"] = case(Kind.COMPLIMENT, D(2026, 5, 14))
    # April: a complaint acknowledged in time and still open.
    made["april_complaint"] = case(Kind.COMPLAINT, D(2026, 4, 15))
    move(made["april_complaint"], Status.ACKNOWLEDGED, D(2026, 4, 16), worker)
    # A member of staff complaining: restricted to the officer who logged it, so counted only for them.
    made["restricted"] = case(Kind.COMPLAINT, D(2026, 5, 12), is_staff_complainant=True)

    add_coded_issue(made["acknowledged_after_bank_holiday"], subject="communications", **hcat("communication", harm=3))
    add_coded_issue(
        made["acknowledged_after_bank_holiday"],
        subject="clinical-treatment",
        clinical_subcategory="surgical-group",
        **hcat("safety", harm=3),
    )
    add_coded_issue(made["never_acknowledged"], subject="communications")
    add_coded_issue(made["april_complaint"], subject="communications", **hcat("communication"))
    add_coded_issue(made["april_complaint"], subject="waiting-times", **hcat("institutional-processes"))
    add_coded_issue(made["restricted"], subject="values-and-behaviours")
    return made


def test_the_clocks_are_as_worked_out_by_hand(may):
    assert may["acknowledged_after_bank_holiday"].acknowledgement_due_on == D(2026, 5, 28)
    assert may["acknowledged_late"].acknowledgement_due_on == D(2026, 5, 7)
    assert may["never_acknowledged"].acknowledgement_due_on == D(2026, 5, 26)
    assert may["concern_in_time"].response_due_on == D(2026, 5, 26)
    assert may["concern_late"].response_due_on == D(2026, 5, 13)


class TestMayForTheCoordinator:
    @pytest.fixture
    def counted(self, may):
        return measures(coordinator(), Scope(), MAY, today=TODAY)

    def test_received_counts_every_kind_received_in_may(self, counted):
        # 4 complaints (the restricted one is not the co-ordinator's to see), 2 concerns, an enquiry, a compliment.
        assert counted.received == 8

    def test_closed_counts_what_was_resolved_closed_or_withdrawn_in_may(self, counted):
        assert counted.closed == 5

    def test_open_at_the_end_of_may_includes_aprils_case_still_open(self, counted):
        assert counted.open_at_end == 4  # two May complaints, the compliment, April's complaint

    def test_acknowledged_within_3_working_days_skips_the_bank_holidays(self, counted):
        # In time: the one after the spring bank holiday and the one acknowledged the day it came.
        # Late: a day after the due date, and never.
        assert (counted.acknowledged_in_time.met, counted.acknowledged_in_time.of) == (2, 4)
        assert counted.acknowledged_in_time.percent == 50.0

    def test_responded_by_the_date_due_uses_the_agreed_date_not_the_target(self, counted):
        # In time: the concern of the 18th and the reopened enquiry. Late: the concern of the 6th, and the
        # complaint sent the day after the date agreed with the complainant.
        assert (counted.responded_in_time.met, counted.responded_in_time.of) == (2, 4)

    def test_median_working_days_to_respond_is_the_mean_of_the_middle_two(self, counted):
        # Enquiry 3, concerns 5 and 7, complaint 13 (Monday 11 to Friday 29 May, the bank holiday left out).
        assert counted.median_working_days_to_respond == 6.0

    def test_reopened_counts_the_cases_received_in_may_that_were_reopened(self, counted):
        assert counted.reopened == 1

    def test_outcomes_of_complaints_closed_in_may_count_the_withdrawn_one_apart(self, counted):
        assert [(share.key, share.count) for share in counted.outcomes] == [("upheld", 1), ("withdrawn", 1)]
        assert counted.well_founded == 1

    def test_compliments_are_set_against_complaints(self, counted):
        assert counted.complaints_received == 4
        assert counted.compliments_received == 1
        assert counted.compliments_per_complaint == 0.25


class TestFilters:
    def test_the_kind_filter_narrows_every_measure_but_not_the_count_of_each_kind(self, may):
        counted = measures(coordinator(), Scope(kind=Kind.PALS_CONCERN), MAY, today=TODAY)
        assert (counted.received, counted.closed, counted.open_at_end) == (2, 2, 0)
        assert (counted.responded_in_time.met, counted.responded_in_time.of) == (1, 2)
        assert counted.median_working_days_to_respond == 6.0  # 5 and 7
        assert counted.acknowledged_in_time.of == 0  # concerns have no acknowledgement clock
        assert counted.complaints_received == 4

    def test_the_division_and_site_filters(self, may, surgery, riverside):
        in_surgery = measures(coordinator(), Scope(division=surgery), MAY, today=TODAY)
        assert (in_surgery.received, in_surgery.closed) == (1, 1)
        at_riverside = measures(coordinator(), Scope(site=riverside), MAY, today=TODAY)
        assert at_riverside.received == 2
        assert (at_riverside.acknowledged_in_time.met, at_riverside.acknowledged_in_time.of) == (1, 2)

    def test_a_divisional_manager_counts_only_their_divisions_cases(self, may, surgery):
        counted = measures(divisional_manager(divisions=[surgery]), Scope(), MAY, today=TODAY)
        assert counted.received == 1
        assert counted.complaints_received == 1

    def test_the_officer_named_on_a_restricted_case_counts_it(self, may, worker):
        assert measures(worker, Scope(kind=Kind.COMPLAINT), MAY, today=TODAY).received == 5

    def test_april_is_counted_on_its_own(self, may):
        counted = measures(coordinator(), Scope(), APRIL, today=TODAY)
        assert counted.received == 1
        assert (counted.acknowledged_in_time.met, counted.acknowledged_in_time.of) == (1, 1)
        assert counted.responded_in_time.of == 0
        assert counted.median_working_days_to_respond is None


class TestThemes:
    def test_top_subjects_in_may_against_april_counting_each_aspect_as_ko41a_does(self, may):
        found = themes(coordinator(), Scope(), MAY, today=TODAY)
        assert found.previous == APRIL
        # Communications: the complaints of the 22nd and 20th (Medicine) and the 11th (Surgery, which raised
        # it in two issues, so two aspects). The restricted case's subject is not the co-ordinator's to see.
        assert [(t.code, t.this_period, t.previous_period, t.change) for t in found.subjects.themes] == [
            ("communications", 4, 1, 3),
            ("appointments", 1, 0, 1),
            ("clinical-treatment", 1, 0, 1),
            ("waiting-times", 0, 1, -1),
        ]
        assert found.divisions == ("Medicine", "Surgery")
        assert found.subjects.themes[0].by_division == (2, 2)

    def test_hcat_categories_carry_their_domain(self, may):
        found = themes(coordinator(), Scope(), MAY, today=TODAY)
        assert [(t.code, t.group, t.this_period, t.previous_period) for t in found.hcat_categories.themes] == [
            ("communication", "Relationships", 2, 1),
            ("safety", "Clinical", 1, 0),
            ("institutional-processes", "Management", 0, 1),
        ]

    def test_only_the_top_ones_are_shown_with_how_many_more_there_are(self, may):
        found = themes(coordinator(), Scope(), MAY, today=TODAY, limit=2)
        assert [t.code for t in found.subjects.themes] == ["communications", "appointments"]
        assert found.subjects.not_shown == 2

    def test_a_division_sees_its_own_themes(self, may, surgery):
        found = themes(coordinator(), Scope(division=surgery), MAY, today=TODAY)
        assert [(t.code, t.this_period, t.previous_period) for t in found.subjects.themes] == [
            ("communications", 2, 0),
            ("appointments", 1, 0),
        ]
