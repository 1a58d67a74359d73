"""The data quality list: every kind of coding gap is found, by division, in a fixed number of queries."""

import datetime
import itertools

import pytest
import time_machine

from palsdesk.accounts.tests.factories import coordinator
from palsdesk.cases import services
from palsdesk.cases.models import Case, Kind, Outcome, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding import outcomes
from palsdesk.coding.models import CaseIssue, TaxonomyKind
from palsdesk.coding.selectors import GapKind, coding_gap_counts_by_division, coding_gaps, derived_outcome, gaps_of
from palsdesk.coding.tests.factories import add_coded_issue, code
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.tests.factories import person_details
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

D = datetime.date
RECEIVED_ON = D(2026, 11, 2)
TO_RESPONSE = (Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.RESPONSE_IN_REVIEW, Status.RESPONSE_SENT)


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def actor():
    return coordinator()


def case(kind, actor, *, division, to=(), born=True, **values) -> Case:
    """A case moved through `to`, its patient born in 1950 unless born=False."""
    details = person_details(date_of_birth=D(1950, 5, 1) if born else None)
    made = make_case(
        kind=kind,
        division=division,
        received_on=RECEIVED_ON,
        actor=actor,
        complainant=details,
        complainant_is_patient=True,
        **values,
    )
    for status in to:
        if status == Status.RESPONSE_SENT and kind == Kind.COMPLAINT:
            sign_off_response(made)
        made = services.move_case(made, to=status, actor=actor, reason="For the test")
    return made


def raw_issue(case, **values) -> CaseIssue:
    """An issue as an import or an older version could have left it, past the services' checks."""
    values = {
        "subject": code(TaxonomyKind.SUBJECT, "communications"),
        "service_area": code(TaxonomyKind.SERVICE_AREA, "acute-inpatient"),
    } | values
    return CaseIssue.objects.create(case=case, order=case.issues.count() + 1, **values)


@pytest.fixture
def medicine():
    return DivisionFactory(name="Medicine")


@pytest.fixture
def surgery():
    return DivisionFactory(name="Surgery")


@pytest.fixture
def seeded(actor, medicine, surgery) -> dict[str, set[GapKind]]:
    """One case for each kind of gap, and cases with none: reference -> the gaps it should be listed with."""
    expected = {}

    closed = case(Kind.COMPLAINT, actor, division=medicine, to=TO_RESPONSE)
    add_coded_issue(closed, actor=actor, outcome=Outcome.UPHELD)
    closed = services.move_case(closed, to=Status.CLOSED, actor=actor)
    CaseIssue.objects.filter(case=closed).update(outcome="")
    Case.objects.filter(pk=closed.pk).update(outcome="")
    expected[closed.reference] = {GapKind.CLOSED_WITHOUT_OUTCOME}

    no_issues = case(Kind.COMPLAINT, actor, division=medicine, to=TO_RESPONSE[:1])
    expected[no_issues.reference] = {GapKind.NO_ISSUES}

    no_service_area = case(Kind.PALS_CONCERN, actor, division=surgery)
    raw_issue(no_service_area, service_area=None)
    expected[no_service_area.reference] = {GapKind.NO_SERVICE_AREA}

    no_profession = case(Kind.COMPLAINT, actor, division=surgery, to=TO_RESPONSE[:2])
    raw_issue(no_profession)
    expected[no_profession.reference] = {GapKind.NO_PROFESSION}

    no_subcategory = case(Kind.MP_LETTER, actor, division=surgery)
    raw_issue(no_subcategory, subject=code(TaxonomyKind.SUBJECT, "clinical-treatment"))
    expected[no_subcategory.reference] = {GapKind.NO_CLINICAL_SUBCATEGORY}

    no_reason = case(Kind.MP_LETTER, actor, division=medicine)
    raw_issue(no_reason, outcome=Outcome.NOT_INVESTIGATED)
    Case.objects.filter(pk=no_reason.pk).update(outcome=Outcome.NOT_INVESTIGATED)
    expected[no_reason.reference] = {GapKind.NO_REASON}

    inconsistent = case(Kind.COMPLAINT, actor, division=medicine, to=TO_RESPONSE[:2])
    add_coded_issue(inconsistent, actor=actor, outcome=Outcome.UPHELD)
    add_coded_issue(inconsistent, actor=actor, subject="waiting-times", outcome=Outcome.NOT_UPHELD)
    Case.objects.filter(pk=inconsistent.pk).update(outcome=Outcome.UPHELD)
    expected[inconsistent.reference] = {GapKind.OUTCOME_INCONSISTENT}

    no_age = case(Kind.COMPLAINT, actor, division=surgery, to=TO_RESPONSE[:1], born=False)
    add_coded_issue(no_age, actor=actor)
    expected[no_age.reference] = {GapKind.PATIENT_AGE_UNKNOWN}

    resolved_concern = case(Kind.PALS_CONCERN, actor, division=surgery)
    resolved_concern = services.move_case(resolved_concern, to=Status.RESOLVED, actor=actor)
    expected[resolved_concern.reference] = {GapKind.NO_SUBJECT}

    compliment = case(Kind.COMPLIMENT, actor, division=medicine)
    compliment = services.move_case(compliment, to=Status.CLOSED, actor=actor)
    expected[compliment.reference] = {GapKind.NO_SUBJECT}

    # And cases with nothing wrong, or too early (or never) to ask for coding.
    complete = case(Kind.COMPLAINT, actor, division=medicine, to=TO_RESPONSE)
    add_coded_issue(
        complete,
        actor=actor,
        subject="clinical-treatment",
        clinical_subcategory="radiology-group",
        outcome=Outcome.UPHELD,
    )
    add_coded_issue(complete, actor=actor, outcome=Outcome.NOT_INVESTIGATED, not_investigated_reason="Legal claim")
    services.move_case(complete, to=Status.CLOSED, actor=actor)
    case(Kind.COMPLAINT, actor, division=medicine, born=False)  # just received: 3 working days to acknowledge
    case(Kind.COMPLAINT, actor, division=medicine, to=[Status.WITHDRAWN], born=False)
    case(Kind.PALS_CONCERN, actor, division=surgery)  # still open
    case(Kind.MP_LETTER, actor, division=surgery, to=[*TO_RESPONSE, Status.CLOSED])
    coded_concern = case(Kind.PALS_CONCERN, actor, division=surgery)
    add_coded_issue(coded_concern, actor=actor, professions=())
    services.move_case(coded_concern, to=Status.RESOLVED, actor=actor)
    return expected


def test_each_kind_of_gap_is_found_on_its_case_and_no_other(seeded):
    found = {listed.case.reference: {gap.kind for gap in listed.gaps} for listed in coding_gaps(Case.objects.all())}
    assert found == seeded
    assert {kind for kinds in found.values() for kind in kinds} == set(GapKind)


def test_each_gap_is_said_in_words_for_the_team(seeded):
    messages = {gap.message for listed in coding_gaps(Case.objects.all()) for gap in listed.gaps}
    assert messages == {
        "Closed without an outcome.",
        "No issues coded: each aspect of the complaint needs one.",
        "Issue 1 (Communications): no service area.",
        "Issue 1 (Communications): no profession.",
        "Issue 1 (Clinical treatment): no clinical sub-category.",
        "Issue 1 (Communications): not investigated, with no reason.",
        "The outcome is recorded as upheld, but its issues make it partially upheld.",
        "The patient's date of birth is missing: their age band is unknown.",
        "No subject or service coded.",
    }


def test_the_list_runs_by_division_and_counts_each_divisions_cases(seeded, medicine, surgery):
    listed = coding_gaps(Case.objects.all())
    divisions = [entry.case.division.name for entry in listed]
    assert divisions == sorted(divisions)
    counts = {row["division__name"]: row["cases"] for row in coding_gap_counts_by_division(Case.objects.all())}
    assert counts == {"Medicine": 5, "Surgery": 5}


def test_it_lists_only_the_cases_it_is_given(seeded, surgery):
    listed = coding_gaps(Case.objects.filter(division=surgery))
    assert {entry.case.division for entry in listed} == {surgery}


@pytest.mark.parametrize("extra", [0, 8])
def test_the_list_takes_three_queries_however_many_cases(actor, medicine, extra, django_assert_num_queries):
    for number in range(2 + extra):
        broken = case(Kind.COMPLAINT, actor, division=medicine, to=TO_RESPONSE[:1], born=number % 2 == 0)
        raw_issue(broken)
        add_coded_issue(broken, actor=actor, subject="clinical-treatment", clinical_subcategory="anaesthetics")
    with django_assert_num_queries(3):  # the cases with their flags, their issues with codes, the professions
        listed = coding_gaps(Case.objects.all())
        assert all(gaps_of(entry.case) for entry in listed)
    assert len(listed) == 2 + extra


PENDING = ""
COMBINATIONS = [c for count in (1, 2, 3) for c in itertools.product((*outcomes.OUTCOMES, PENDING), repeat=count)]


def test_the_databases_derived_outcome_agrees_with_the_rule_for_every_combination(actor, medicine):
    complaint = case(Kind.COMPLAINT, actor, division=medicine)
    subject = code(TaxonomyKind.SUBJECT, "communications")
    disagreements = []
    for combination in COMBINATIONS:
        CaseIssue.objects.filter(case=complaint).delete()
        CaseIssue.objects.bulk_create(
            CaseIssue(case=complaint, order=number, subject=subject, outcome=outcome, not_investigated_reason="x")
            for number, outcome in enumerate(combination, start=1)
        )
        derived = Case.objects.filter(pk=complaint.pk).annotate(derived=derived_outcome()).get().derived
        if derived != outcomes.case_outcome(combination):
            disagreements.append((combination, derived))
    CaseIssue.objects.filter(case=complaint).delete()
    assert Case.objects.annotate(derived=derived_outcome()).get(pk=complaint.pk).derived == ""
    assert disagreements == []
