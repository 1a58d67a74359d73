"""The collection's checks, each failed by complaints recorded to break it, naming the cases behind the failure."""

import datetime

import pytest
import time_machine

from palsdesk.accounts.tests.factories import coordinator
from palsdesk.cases import services
from palsdesk.cases.models import Case, Kind
from palsdesk.coding.models import CaseIssue, Code, TaxonomyKind
from palsdesk.coding.tests.factories import code
from palsdesk.organisation.tests.factories import SiteFactory
from palsdesk.reporting.returns import ko41a, selectors
from palsdesk.reporting.returns.ko41a import ORGANISATION
from palsdesk.reporting.tests.ko41a_factories import NOBODY, complaint, investigate, issue, respond

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = "2025-26"


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def actor():
    return coordinator()


@pytest.fixture
def site():
    return SiteFactory(code="RIV01", name="Riverside Hospital")


@pytest.fixture
def a_good_complaint(actor, site):
    """Made in Q1, coded, upheld in Q2: on its own it passes every check."""
    case = complaint(received_on=D(2025, 4, 14), actor=actor, site=site, born_on=D(1980, 5, 1))
    issue(case, actor, "communications", "acute-inpatient", ("medical",), outcome="upheld")
    return respond(investigate(case, actor, on=D(2025, 4, 16)), actor, on=D(2025, 7, 10))


def failures_of(the_return, column: str = ORGANISATION) -> dict[str, selectors.FailedCheck]:
    found = {check.failure.rule: check for check in the_return.failures if check.failure.column == column}
    assert len(found) == len([c for c in the_return.failures if c.failure.column == column]), "one failure a rule"
    return found


def test_a_return_of_good_complaints_fails_no_check(a_good_complaint):
    assert selectors.ko41a_return(year=YEAR).failures == []


def back_dated_escalation(actor, site) -> Case:
    """A PALS concern of 20 March 2025 escalated on 10 April, whose response was dated 28 March: before it was made."""
    concern = complaint(received_on=D(2025, 3, 20), actor=actor, site=site, kind=Kind.PALS_CONCERN)
    case = services.escalate_to_complaint(concern, reason="Wants a formal response", actor=actor, on=D(2025, 4, 10))
    issue(case, actor, "communications", "acute-inpatient", ("medical",), outcome="not_upheld")
    return respond(investigate(case, actor, on=D(2025, 3, 25)), actor, on=D(2025, 3, 28))


def test_carried_forward_that_does_not_add_up_names_the_complaint_answered_before_it_was_made(
    actor, site, a_good_complaint
):
    culprit = back_dated_escalation(actor, site)

    the_return = selectors.ko41a_return(year=YEAR)

    # New 2 (both made in 2025-26), resolved 1 (the culprit's response falls in 2024-25), carried forward 0.
    assert the_return.value("summary:carried_forward") == 0
    failed = failures_of(the_return)
    assert set(failed) == {ko41a.CARRIED_FORWARD_RULE}
    check = failed[ko41a.CARRIED_FORWARD_RULE]
    assert check.failure.message == "Carried forward is 0, but brought forward 0 + new 2 − resolved 1 = 1."
    assert check.references == [culprit.reference]
    assert check.failure.cases_box == ko41a.RESPONDED_BEFORE_MADE
    assert check.failure.cases_count == 1
    assert set(failures_of(the_return, "RIV01")) == {ko41a.CARRIED_FORWARD_RULE}


def test_a_negative_carried_forward_names_the_complaint_resolved_before_it_was_made(actor, site):
    culprit = back_dated_escalation(actor, site)

    the_return = selectors.ko41a_return(year="2024-25")

    # Resolved in 2024-25, made in 2025-26: 0 + 0 − 1.
    failed = failures_of(the_return)
    assert set(failed) == {ko41a.CARRIED_FORWARD_RULE, ko41a.NOT_NEGATIVE_RULE}
    assert failed[ko41a.NOT_NEGATIVE_RULE].failure.message == (
        "Brought forward 0 + new 0 − resolved 1 = -1: more resolved than were open."
    )
    assert failed[ko41a.NOT_NEGATIVE_RULE].references == [culprit.reference]


def test_a_resolved_complaint_without_an_outcome_breaks_resolved_equals_the_outcomes(actor, site, a_good_complaint):
    culprit = complaint(received_on=D(2025, 5, 1), actor=actor, site=site, born_on=D(1970, 1, 1))
    issue(culprit, actor, "waiting-times", "acute-outpatient", ("medical",))
    respond(investigate(culprit, actor, on=D(2025, 5, 2)), actor, on=D(2025, 8, 1), close=False)

    failed = failures_of(selectors.ko41a_return(year=YEAR))

    assert set(failed) == {ko41a.RESOLVED_RULE}
    assert failed[ko41a.RESOLVED_RULE].failure.message == (
        "Resolved is 2, but upheld 1 + partially upheld 0 + not upheld 0 = 1."
    )
    assert failed[ko41a.RESOLVED_RULE].references == [culprit.reference]


def test_a_patient_born_after_the_complaint_has_no_age_band_and_breaks_the_age_check(actor, site, a_good_complaint):
    culprit = complaint(received_on=D(2025, 5, 1), actor=actor, site=site, born_on=D(2025, 6, 1))
    issue(culprit, actor, "communications", "maternity", ("nursing-midwifery-health-visiting",))

    the_return = selectors.ko41a_return(year=YEAR)

    failed = failures_of(the_return)
    assert set(failed) == {ko41a.AGE_RULE}
    assert (
        failed[ko41a.AGE_RULE].failure.message
        == "The age of patient boxes add up to 1, but there are 2 new complaints."
    )
    assert failed[ko41a.AGE_RULE].references == [culprit.reference]


def test_a_status_the_years_list_does_not_have_breaks_the_status_check(actor, site, a_good_complaint):
    culprit = complaint(received_on=D(2025, 5, 1), actor=actor, site=site, born_on=D(1970, 1, 1), who=NOBODY)
    issue(culprit, actor, "communications", "acute-inpatient", ("medical",))
    # An administrator retired "Unknown" from the 2025-26 status list before the year began.
    Code.objects.filter(taxonomy__kind=TaxonomyKind.COMPLAINANT_STATUS, code="unknown").update(
        disabled_on=D(2025, 1, 1)
    )

    the_return = selectors.ko41a_return(year=YEAR)

    failed = failures_of(the_return)
    assert set(failed) == {ko41a.STATUS_RULE}
    assert failed[ko41a.STATUS_RULE].failure.message == (
        "The status of complainant boxes add up to 1, but there are 2 new complaints."
    )
    assert failed[ko41a.STATUS_RULE].references == [culprit.reference]
    assert [box.code for box in next(s for s in the_return.sections if s.key == "status").boxes] == [
        "patient",
        "on-behalf-of-patient",
    ]


def test_new_complaints_not_yet_coded_leave_the_subjects_and_professions_short(actor, site, a_good_complaint):
    first = complaint(received_on=D(2025, 5, 1), actor=actor, site=site, born_on=D(1970, 1, 1))
    second = complaint(received_on=D(2025, 5, 2), actor=actor, site=site, born_on=D(1971, 1, 1))

    failed = failures_of(selectors.ko41a_return(year=YEAR))

    assert set(failed) == {ko41a.SUBJECT_RULE, ko41a.PROFESSION_RULE}
    assert failed[ko41a.SUBJECT_RULE].failure.message == (
        "The subject area boxes add up to 1, fewer than the 3 new complaints."
    )
    assert failed[ko41a.SUBJECT_RULE].references == [first.reference, second.reference]
    assert failed[ko41a.PROFESSION_RULE].references == [first.reference, second.reference]


def test_a_complaint_escalated_with_its_concerns_coding_but_no_profession_breaks_the_profession_check(
    actor, site, a_good_complaint
):
    concern = complaint(received_on=D(2025, 5, 1), actor=actor, site=site, kind=Kind.PALS_CONCERN)
    issue(concern, actor, "communications", "acute-outpatient", ())
    culprit = services.escalate_to_complaint(concern, reason="Not resolved", actor=actor, on=D(2025, 5, 9))

    the_return = selectors.ko41a_return(year=YEAR)

    failed = failures_of(the_return)
    assert set(failed) == {ko41a.PROFESSION_RULE}
    assert failed[ko41a.PROFESSION_RULE].failure.message == (
        "The profession boxes add up to 1, fewer than the 2 new complaints."
    )
    assert failed[ko41a.PROFESSION_RULE].references == [culprit.reference]
    assert the_return.value("subject:communications") == 2


def test_subjects_count_at_least_the_new_complaints_so_one_complaint_with_two_covers_one_without(
    actor, site, a_good_complaint
):
    issue(a_good_complaint, actor, "waiting-times", "acute-inpatient", ("medical",), outcome="upheld")
    uncoded = complaint(received_on=D(2025, 5, 1), actor=actor, site=site, born_on=D(1970, 1, 1))

    the_return = selectors.ko41a_return(year=YEAR)

    # Two subjects for two new complaints: the collection's check passes, though one has none.
    assert set(failures_of(the_return)) == {ko41a.PROFESSION_RULE}
    lists = selectors.year_lists(the_return.year)
    behind = selectors.cases_behind(
        Case.objects.all(), box=ko41a.NO_SUBJECT, period=the_return.year, column=ORGANISATION, lists=lists
    )
    assert list(behind) == [uncoded]


def test_a_complaint_with_no_site_leaves_a_box_without_a_value(actor, a_good_complaint):
    culprit = complaint(received_on=D(2025, 6, 1), actor=actor, site=None, born_on=D(1970, 1, 1))
    issue(culprit, actor, "communications", "acute-inpatient", ("medical",))

    the_return = selectors.ko41a_return(year=YEAR)

    failed = failures_of(the_return)
    assert set(failed) == {ko41a.EVERY_BOX_RULE}
    assert failed[ko41a.EVERY_BOX_RULE].failure.message == (
        "1 complaint counted in this period has no site, so no site's return holds it."
    )
    assert failed[ko41a.EVERY_BOX_RULE].references == [culprit.reference]
    assert [site.key for site in the_return.sites] == ["RIV01", ko41a.NO_SITE_COLUMN]
    assert the_return.value("summary:new", ko41a.NO_SITE_COLUMN) == 1


def test_a_section_whose_list_is_retired_has_no_boxes_to_give_a_value(actor, site, a_good_complaint):
    Code.objects.filter(taxonomy__kind=TaxonomyKind.AGE_BAND).update(disabled_on=D(2025, 1, 1))

    the_return = selectors.ko41a_return(year=YEAR)

    failed = failures_of(the_return)
    assert set(failed) == {ko41a.EVERY_BOX_RULE}
    assert failed[ko41a.EVERY_BOX_RULE].failure.message == (
        "Section 3 (Age of patient) has no boxes: no age of patient list is loaded for this year or an earlier one "
        "(manage.py load_taxonomies)."
    )
    assert failed[ko41a.EVERY_BOX_RULE].references == [a_good_complaint.reference]


def test_each_failure_names_at_most_ten_cases_and_counts_them_all(actor, site, a_good_complaint):
    uncoded = [
        complaint(received_on=D(2025, 5, day), actor=actor, site=site, born_on=D(1970, 1, 1)) for day in range(1, 13)
    ]

    check = failures_of(selectors.ko41a_return(year=YEAR))[ko41a.SUBJECT_RULE]

    assert check.failure.cases_count == 12
    assert check.references == [case.reference for case in uncoded[:10]]
    assert check.more == 2


def test_a_failure_names_only_the_cases_the_viewer_may_see(actor, site, a_good_complaint):
    hidden = complaint(received_on=D(2025, 5, 1), actor=actor, site=site, born_on=D(1970, 1, 1))
    shown = complaint(received_on=D(2025, 5, 2), actor=actor, site=site, born_on=D(1970, 1, 1))
    services.restrict_case(hidden, named_users=[actor], actor=actor)
    someone_else = coordinator()

    check = failures_of(selectors.ko41a_return(year=YEAR, viewer=someone_else))[ko41a.SUBJECT_RULE]

    assert check.failure.cases_count == 2
    assert check.references == [shown.reference]


def test_gaps_that_pass_the_checks_are_still_listed(actor, site, a_good_complaint):
    culprit = complaint(received_on=D(2025, 5, 1), actor=actor, site=site, born_on=D(1970, 1, 1))
    CaseIssue.objects.create(
        case=culprit, order=1, subject=code(TaxonomyKind.SUBJECT, "clinical-treatment"), service_area=None
    ).professions.set([code(TaxonomyKind.PROFESSION, "medical")])

    the_return = selectors.ko41a_return(year=YEAR)

    assert the_return.failures == []
    assert the_return.gaps == [
        (ko41a.NO_SERVICE_AREA, ko41a.CHECK_TITLES[ko41a.NO_SERVICE_AREA], 1),
        (ko41a.CLINICAL_WITHOUT_SUBCATEGORY, ko41a.CHECK_TITLES[ko41a.CLINICAL_WITHOUT_SUBCATEGORY], 1),
    ]
