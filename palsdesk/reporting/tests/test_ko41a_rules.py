"""KO41a's rules as plain functions (reporting.returns.ko41a), and the SQL that counts by them agreeing with them."""

import datetime

import pytest
import time_machine

from palsdesk.accounts.tests.factories import coordinator
from palsdesk.cases.models import Case
from palsdesk.coding import ko41a as coding_ko41a
from palsdesk.people.services import add_person_to_case
from palsdesk.people.tests.factories import person_details
from palsdesk.reporting.returns import ko41a, selectors
from palsdesk.reporting.returns.ko41a import ORGANISATION
from palsdesk.reporting.tests.ko41a_factories import FOR_THEM, NOBODY, PATIENT, complaint

D = datetime.date
TODAY = D(2026, 6, 15)


# --- Periods -------------------------------------------------------------------------------------------------------


def test_a_financial_year_runs_from_1_april_to_31_march_in_four_quarters():
    year = ko41a.financial_year("2025-26")
    assert (year.starts_on, year.ends_on, year.key) == (D(2025, 4, 1), D(2026, 3, 31), "year")
    assert [(q.key, q.starts_on, q.ends_on) for q in ko41a.quarters_of("2025-26")] == [
        ("Q1", D(2025, 4, 1), D(2025, 6, 30)),
        ("Q2", D(2025, 7, 1), D(2025, 9, 30)),
        ("Q3", D(2025, 10, 1), D(2025, 12, 31)),
        ("Q4", D(2026, 1, 1), D(2026, 3, 31)),
    ]
    assert ko41a.period_of("2025-26", 4).label == "Q4 2025-26 (January to March 2026)"
    assert year.label == "2025-26 (1 April 2025 to 31 March 2026)"


@pytest.mark.parametrize(
    ("text", "year"), [("2025-26", "2025-26"), (" 2026-27 ", "2026-27"), ("1999-00", None), ("2000-01", "2000-01")]
)
def test_a_year_is_written_as_the_collection_writes_it(text, year):
    if year is None:
        with pytest.raises(ko41a.BadPeriod) as refused:
            ko41a.parse_year(text, today=TODAY)
        assert refused.value.message == "Choose 2000-01 or a later year."
    else:
        assert ko41a.parse_year(text, today=TODAY) == year


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the financial year, like 2026-27."),
        (
            "2025/26",
            "'2025/26' is not a financial year. Write its first year and the last two digits of the next, "
            "like 2026-27.",
        ),
        (
            "2025-2026",
            "'2025-2026' is not a financial year. Write its first year and the last two digits of the next, "
            "like 2026-27.",
        ),
        ("2027-28", "2027-28 has not started yet. Choose 2026-27 or an earlier year."),
    ],
)
def test_a_year_that_is_not_one_is_refused_saying_how_to_write_it(text, message):
    with pytest.raises(ko41a.BadPeriod) as refused:
        ko41a.parse_year(text, today=TODAY)
    assert (refused.value.field, refused.value.message) == ("year", message)


@pytest.mark.parametrize(("text", "quarter"), [("", None), (None, None), ("1", 1), ("Q2", 2), ("q4", 4), (3, 3)])
def test_a_quarter_is_1_to_4_or_none_for_the_year(text, quarter):
    assert ko41a.parse_quarter(text, year="2025-26", today=TODAY) == quarter


@pytest.mark.parametrize(
    ("text", "year", "message"),
    [
        ("5", "2025-26", "Choose a quarter from 1 to 4, or the whole year."),
        ("Q0", "2025-26", "Choose a quarter from 1 to 4, or the whole year."),
        ("2", "2026-27", "Q2 2026-27 has not started yet."),
    ],
)
def test_a_quarter_that_is_not_one_or_has_not_started_is_refused(text, year, message):
    with pytest.raises(ko41a.BadPeriod) as refused:
        ko41a.parse_quarter(text, year=year, today=TODAY)
    assert (refused.value.field, refused.value.message) == ("quarter", message)


@pytest.mark.parametrize(
    ("today", "year"), [(D(2026, 6, 15), "2025-26"), (D(2026, 4, 1), "2025-26"), (D(2026, 3, 31), "2024-25")]
)
def test_the_return_asked_for_by_default_is_the_last_year_to_have_ended(today, year):
    assert ko41a.last_ended_year(today) == year


def test_the_years_offered_run_from_the_first_complaint_to_this_year():
    assert ko41a.years_up_to(TODAY, earliest=D(2024, 2, 1)) == ["2026-27", "2025-26", "2024-25", "2023-24"]
    assert ko41a.years_up_to(TODAY, earliest=None) == ["2026-27"]


# --- What is counted -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "is_responded", "outcome", "left_out"),
    [
        ("complaint", "received", False, "", None),
        ("complaint", "under_investigation", False, "", None),
        ("complaint", "response_sent", True, "upheld", None),
        ("complaint", "closed", True, "not_upheld", None),
        # A response without an outcome yet is counted: the resolved check names it.
        ("complaint", "response_sent", True, "", None),
        ("complaint", "withdrawn", False, "", ko41a.WITHDRAWN),
        ("complaint", "closed", False, "", ko41a.DECLINED_OUT_OF_TIME),
        ("complaint", "closed", True, "not_investigated", ko41a.NOT_INVESTIGATED),
        # Open, with every issue marked not investigated so far: it may still be answered after investigation.
        ("complaint", "under_investigation", False, "not_investigated", None),
        ("pals_concern", "open", False, "", "not a complaint"),
        ("mp_letter", "response_sent", True, "upheld", "not a complaint"),
        ("compliment", "closed", False, "", "not a complaint"),
        ("enquiry", "resolved", False, "", "not a complaint"),
    ],
)
def test_only_complaints_needing_investigation_are_counted(kind, status, is_responded, outcome, left_out):
    assert ko41a.left_out_because(kind=kind, status=status, is_responded=is_responded, outcome=outcome) == left_out


Q2 = ko41a.period_of("2025-26", 2)


@pytest.mark.parametrize(
    ("made", "responded", "outcome", "boxes"),
    [
        (D(2025, 3, 1), None, "", {"brought_forward", "carried_forward"}),
        (D(2025, 6, 30), D(2025, 7, 1), "upheld", {"brought_forward", "resolved", "upheld"}),
        (D(2025, 7, 1), D(2025, 9, 30), "partially_upheld", {"new", "resolved", "partially_upheld"}),
        (D(2025, 9, 30), D(2025, 10, 1), "not_upheld", {"new", "carried_forward"}),
        (D(2025, 8, 1), D(2025, 9, 1), "", {"new", "resolved"}),
        (D(2025, 1, 1), D(2025, 6, 30), "upheld", set()),
        (D(2025, 10, 1), None, "", set()),
    ],
)
def test_each_complaint_is_in_the_summary_boxes_its_dates_put_it_in(made, responded, outcome, boxes):
    assert ko41a.summary_boxes_of(made=made, responded=responded, outcome=outcome, period=Q2) == boxes


def test_an_escalated_complaint_is_made_on_the_day_it_was_escalated():
    assert ko41a.made_on(D(2025, 9, 22), D(2025, 10, 6)) == D(2025, 10, 6)
    assert ko41a.made_on(D(2025, 9, 22), None) == D(2025, 9, 22)


@pytest.mark.parametrize(
    ("is_patient", "someone", "status"),
    [
        (True, True, "patient"),
        (True, False, "patient"),
        (False, True, "on-behalf-of-patient"),
        (False, False, "unknown"),
    ],
)
def test_the_complainants_status(is_patient, someone, status):
    assert ko41a.complainant_status(complainant_is_patient=is_patient, someone_complains=someone) == status


BANDS = (
    ko41a.AgeBand("age-0-17", 0, 17),
    ko41a.AgeBand("age-18-64", 18, 64),
    ko41a.AgeBand("age-65-74", 65, 74),
    ko41a.AgeBand("age-75-84", 75, 84),
    ko41a.AgeBand("age-85-and-over", 85, 150),
    ko41a.AgeBand("age-unknown", None, None),
)
AGES = [
    (None, D(2025, 5, 1), "age-unknown"),
    (D(2025, 5, 1), D(2025, 5, 1), "age-0-17"),
    (D(2007, 5, 2), D(2025, 5, 1), "age-0-17"),  # 17 until tomorrow
    (D(2007, 5, 1), D(2025, 5, 1), "age-18-64"),  # 18 today
    (D(1960, 5, 1), D(2025, 4, 30), "age-18-64"),
    (D(1960, 5, 1), D(2025, 5, 1), "age-65-74"),
    (D(2008, 2, 29), D(2026, 2, 28), "age-0-17"),  # a leap-day birthday comes on 1 March
    (D(2008, 2, 29), D(2026, 3, 1), "age-18-64"),
    (D(1940, 1, 15), D(2025, 5, 6), "age-85-and-over"),
    (D(1850, 1, 1), D(2025, 5, 1), None),  # 175: no band covers it
    (D(2025, 6, 1), D(2025, 5, 1), None),  # born after the complaint
]


@pytest.mark.parametrize(("born", "made", "band"), AGES)
def test_the_age_band_is_the_patients_age_on_the_day_the_complaint_was_made(born, made, band):
    assert ko41a.age_band(born, made, BANDS) == band


def test_without_an_unknown_band_a_missing_date_of_birth_cannot_be_placed():
    assert ko41a.age_band(None, D(2025, 5, 1), BANDS[:-1]) is None


def placed(case: Case, section: str) -> tuple[str, int, list[Case]]:
    """The box of `section` (or its check) that counts the case in its year's return, and that box's cases."""
    year = ko41a.financial_year(coding_ko41a.collection_year(case.received_on))
    the_return = selectors.ko41a_return(year=year.year)
    lists = selectors.year_lists(year)
    checks = {ko41a.AGE: ko41a.NO_AGE_BAND, ko41a.STATUS: ko41a.NO_STATUS}
    counting = [box.key for box in lists.section(section).boxes if the_return.value(box.key)] + [
        checks[section]
    ] * the_return.value(checks[section])
    assert len(counting) == 1, counting
    behind = selectors.cases_behind(Case.objects.all(), box=counting[0], period=year, column=ORGANISATION, lists=lists)
    return counting[0], the_return.value(counting[0]), list(behind)


@pytest.mark.django_db
@pytest.mark.parametrize(("born", "made", "band"), AGES)
def test_the_database_places_each_age_in_the_same_band(born, made, band):
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        case = complaint(received_on=made, actor=coordinator(), born_on=born)

        box, count, behind = placed(case, ko41a.AGE)

    assert box == (ko41a.box_key(ko41a.AGE, band) if band else ko41a.NO_AGE_BAND)
    assert (count, behind) == (1, [case])


@pytest.mark.django_db
def test_a_complaint_with_no_patient_recorded_is_of_unknown_age():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        case = complaint(received_on=D(2025, 5, 1), actor=coordinator(), born_on=D(1970, 1, 1))
        case.parties.filter(role="patient").delete()

        assert placed(case, ko41a.AGE) == ("age:age-unknown", 1, [case])


@pytest.mark.django_db
def test_a_complaint_with_two_patients_is_placed_by_the_first():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        actor = coordinator()
        case = complaint(received_on=D(2025, 5, 1), actor=actor, born_on=D(1970, 1, 1))
        add_person_to_case(case, details=person_details(date_of_birth=D(2015, 1, 1)), roles=["patient"], actor=actor)

        assert placed(case, ko41a.AGE) == ("age:age-18-64", 1, [case])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"), [(PATIENT, "patient"), (FOR_THEM, "on-behalf-of-patient"), (NOBODY, "unknown")]
)
def test_the_database_gives_each_complaint_the_status_the_rule_gives(who, status):
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        case = complaint(received_on=D(2025, 5, 1), actor=coordinator(), born_on=D(1970, 1, 1), who=who)

        assert placed(case, ko41a.STATUS) == (ko41a.box_key(ko41a.STATUS, status), 1, [case])


# --- The checks, on figures given by hand -----------------------------------------------------------------------------

SECTIONS = (
    ko41a.Section(ko41a.SPEC_OF["summary"], ko41a.SUMMARY_BOXES),
    ko41a.Section(ko41a.SPEC_OF["age"], (ko41a.Box("age", "young", "Young"), ko41a.Box("age", "old", "Old"))),
    ko41a.Section(ko41a.SPEC_OF["status"], (ko41a.Box("status", "patient", "Patient"),)),
    ko41a.Section(ko41a.SPEC_OF["subject"], (ko41a.Box("subject", "a", "A"), ko41a.Box("subject", "b", "B"))),
    ko41a.Section(ko41a.SPEC_OF["profession"], (ko41a.Box("profession", "p", "P"),)),
)


def figures(**values) -> dict[tuple[str, str], int]:
    """A return that passes every check, changed by values given as box="summary:new" → count."""
    base = {
        "summary:brought_forward": 2,
        "summary:new": 3,
        "summary:upheld": 1,
        "summary:partially_upheld": 1,
        "summary:not_upheld": 0,
        "summary:resolved": 2,
        "summary:carried_forward": 3,
        "age:young": 2,
        "age:old": 1,
        "status:patient": 3,
        "subject:a": 3,
        "subject:b": 1,
        "profession:p": 3,
    }
    base.update({key.replace("__", ":"): value for key, value in values.items()})
    return {(key, ORGANISATION): value for key, value in base.items()}


def rules_failed(values: dict) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in ko41a.check(SECTIONS, values, [ORGANISATION])]


def test_a_return_whose_figures_agree_passes_every_check():
    assert rules_failed(figures()) == []


@pytest.mark.parametrize(
    ("changed", "failed"),
    [
        (
            {"summary__carried_forward": 4},
            [("carried_forward", "Carried forward is 4, but brought forward 2 + new 3 − resolved 2 = 3.")],
        ),
        (
            {"summary__resolved": 6, "summary__not_upheld": 4, "summary__carried_forward": -1},
            [("not_negative", "Brought forward 2 + new 3 − resolved 6 = -1: more resolved than were open.")],
        ),
        (
            {"summary__upheld": 0},
            [("resolved_by_outcome", "Resolved is 2, but upheld 0 + partially upheld 1 + not upheld 0 = 1.")],
        ),
        ({"age__old": 2}, [("age", "The age of patient boxes add up to 4, but there are 3 new complaints.")]),
        ({"age__old": 0}, [("age", "The age of patient boxes add up to 2, but there are 3 new complaints.")]),
        (
            {"status__patient": 2},
            [("status", "The status of complainant boxes add up to 2, but there are 3 new complaints.")],
        ),
        (
            {"subject__a": 1},
            [("subject", "The subject area boxes add up to 2, fewer than the 3 new complaints.")],
        ),
        (
            {"profession__p": 2},
            [("profession", "The profession boxes add up to 2, fewer than the 3 new complaints.")],
        ),
        (
            {"check__no_site": 2},
            [("every_box", "2 complaints counted in this period have no site, so no site's return holds them.")],
        ),
    ],
)
def test_each_check_fails_on_figures_that_break_it_and_says_how(changed, failed):
    assert rules_failed(figures(**changed)) == failed


def test_subjects_and_professions_may_be_more_than_the_new_complaints():
    assert rules_failed(figures(subject__a=9, profession__p=5)) == []


def test_a_section_without_boxes_has_no_values():
    sections = (*SECTIONS[:1], ko41a.Section(ko41a.SPEC_OF["age"], ()), *SECTIONS[2:])

    failures = ko41a.check(sections, figures(), [ORGANISATION])

    assert [(f.rule, f.cases_box) for f in failures] == [("every_box", "summary:new")]
    assert failures[0].message.startswith("Section 3 (Age of patient) has no boxes")


def test_each_site_is_checked_as_well_as_the_organisation():
    values = figures() | {(key, "RIV01"): count for (key, _), count in figures(summary__carried_forward=9).items()}

    failures = ko41a.check(SECTIONS, values, [ORGANISATION, "RIV01"])

    assert [(f.rule, f.column) for f in failures] == [("carried_forward", "RIV01")]


@pytest.mark.parametrize(
    ("years_apart", "before_birthday", "age"), [(None, False, None), (45, False, 45), (45, True, 44), (0, True, -1)]
)
def test_age_is_the_years_apart_less_one_before_the_birthday(years_apart, before_birthday, age):
    assert ko41a.age_from_years_apart(years_apart, before_birthday=before_birthday) == age


@pytest.mark.parametrize(
    ("age", "band"), [(None, "age-unknown"), (-1, None), (0, "age-0-17"), (64, "age-18-64"), (150, "age-85-and-over")]
)
def test_the_band_of_an_age(age, band):
    assert ko41a.band_of_age(age, BANDS) == band


@pytest.mark.parametrize(
    ("bucket", "day"),
    [
        (None, None),
        (ko41a.BEFORE_YEAR, D(2025, 3, 31)),
        (1, D(2025, 4, 1)),
        (3, D(2025, 10, 1)),
        (4, D(2026, 1, 1)),
        (ko41a.AFTER_YEAR, D(2026, 4, 1)),
    ],
)
def test_each_bucket_of_days_has_a_day_standing_for_it(bucket, day):
    assert ko41a.day_of_bucket("2025-26", bucket) == day


@pytest.mark.parametrize(
    ("made", "responded", "upsets"),
    [
        (D(2025, 8, 1), D(2025, 6, 1), True),  # made in Q2, answered in Q1
        (D(2025, 8, 10), D(2025, 8, 1), False),  # both in Q2: the quarter adds up
        (D(2025, 8, 1), D(2025, 9, 1), False),
        (D(2025, 8, 1), None, False),
    ],
)
def test_a_complaint_answered_before_it_was_made_upsets_a_period_holding_one_of_the_days(made, responded, upsets):
    assert ko41a.answered_before_made_upsets(made=made, responded=responded, period=Q2) == upsets
