"""The KO41a return for 2025-26 of a known year of complaints: every box, worked out by hand, and the cases behind each.

The cases (ko41a_factories.a_year_of_complaints): name, site, day made a complaint, patient's age then, who
complained; issues as subject / service area / professions; what happened.

- brought_forward_resolved: Riverside, 10 Feb 2025, 74, patient; communications. Not upheld 20 May 2025.
- brought_forward_open: Northgate, 3 Mar 2025, 55, patient; waiting times. Still open.
- four_issues: Riverside, 14 Apr 2025, 44, patient; communications (inpatient; medical, nursing), clinical
  treatment: surgical (inpatient; medical), values (inpatient; nursing), communications (outpatient; medical).
  Upheld 10 Jul 2025.
- oral_for_them: Northgate, by phone, 6 May 2025, 85, her son; patient care (older people; nursing, support
  staff). Partially upheld 20 Aug 2025.
- withdrawn: Riverside, 2 Jun 2025; withdrawn 20 Jun 2025.
- no_complainant: Riverside, 1 Jul 2025, 15, only the patient named; waiting times, appointments (outpatient;
  administrative staff). Partially upheld 30 Sep 2025.
- escalated: Northgate, a PALS concern of 22 Sep 2025 escalated 6 Oct 2025, age unknown, patient; clinical
  treatment: A&E (A&E; medical). Not upheld 15 Jan 2026.
- reopened: Riverside, 20 Oct 2025, 66 (67 on 30 November), his son; communications (community; scientific,
  therapeutic and technical). Answered 25 Nov 2025, reopened 10 Dec 2025, upheld 20 Feb 2026.
- declined_late: Riverside, 3 Nov 2025, more than 12 months after the event; closed 12 Nov 2025 (reg. 12(4)).
- not_investigated: Northgate, 1 Dec 2025; facilities, answered 20 Jan 2026 without investigation.
- answered_next_year: Riverside, 5 Jan 2026, 50, patient; consent (maternity; nursing). Not upheld 10 Apr 2026.
- open_at_year_end: Northgate, 2 Mar 2026, 36 that day, patient; trust administration (other; other). Open.

and a complaint answered in 2024-25, a PALS concern and an MP letter, which no box of 2025-26 holds.
"""

import datetime
import json

import pytest
import time_machine

from palsdesk.accounts.tests.factories import coordinator
from palsdesk.cases.models import Case
from palsdesk.coding import loading
from palsdesk.organisation.tests.factories import SiteFactory, TrustFactory
from palsdesk.reporting.returns import ko41a, selectors
from palsdesk.reporting.returns.ko41a import ORGANISATION
from palsdesk.reporting.tests.ko41a_factories import a_year_of_complaints

pytestmark = pytest.mark.django_db

YEAR = "2025-26"
RIVERSIDE, NORTHGATE = "RIV01", "NGT01"


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def cases():
    TrustFactory(ods_code="RZZ", name="Test Hospitals NHS Foundation Trust")
    riverside = SiteFactory(code=RIVERSIDE, name="Riverside Hospital")
    northgate = SiteFactory(code=NORTHGATE, name="Northgate General")
    return a_year_of_complaints(coordinator(), riverside=riverside, northgate=northgate)


@pytest.fixture
def the_return(cases):
    return selectors.ko41a_return(year=YEAR)


def cells(the_return, column: str, period_key: str) -> dict[str, int]:
    """Every box of sections 2 to 8 in one column of one period, zeros included."""
    period = next(p for p in (*the_return.quarters, the_return.year) if p.key == period_key)
    return {
        box.key: the_return.value(box.key, column, period) for section in the_return.sections for box in section.boxes
    }


def boxes_of_the_year() -> dict[str, int]:
    """Every box of the return, at 0: the summary's, and one per code of each 2025-26 list in the data file."""
    document = json.loads((loading.DATA_DIR / f"ko41a-{YEAR}.json").read_text())
    codes = {entry["kind"]: [code["code"] for code in entry["codes"]] for entry in document["lists"]}
    boxes = {box.key: 0 for box in ko41a.SUMMARY_BOXES}
    for spec in ko41a.SECTION_SPECS[1:]:
        boxes.update({ko41a.box_key(spec.key, code): 0 for code in codes[spec.list_kind]})
    return boxes


def expected(**non_zero: dict[str, int]) -> dict[str, int]:
    """Every box of 2025-26 at 0 but for those given, section by section: expected(subject={"consent": 1})."""
    boxes = boxes_of_the_year()
    for section, counts in non_zero.items():
        for code, count in counts.items():
            key = ko41a.box_key(section, code)
            assert key in boxes, key
            boxes[key] = count
    return boxes


def summary(bf, new, upheld, partially, not_upheld, resolved, cf) -> dict[str, int]:
    return {
        "brought_forward": bf,
        "new": new,
        "upheld": upheld,
        "partially_upheld": partially,
        "not_upheld": not_upheld,
        "resolved": resolved,
        "carried_forward": cf,
    }


# The whole trust, 2025-26. Brought forward: the two open on 1 April 2025. New: the seven made in the year
# (escalated counts in Q3, when it became a complaint; withdrawn, declined_late and not_investigated are left
# out). Resolved: brought_forward_resolved, four_issues, oral_for_them, no_complainant, escalated, reopened.
# Carried forward: brought_forward_open, answered_next_year, open_at_year_end. 2 + 7 − 6 = 3.
TRUST_YEAR = expected(
    summary=summary(bf=2, new=7, upheld=2, partially=2, not_upheld=2, resolved=6, cf=3),
    age={"age-0-17": 1, "age-18-64": 3, "age-65-74": 1, "age-85-and-over": 1, "age-unknown": 1},
    status={"patient": 4, "on-behalf-of-patient": 2, "unknown": 1},
    # four_issues has two service areas; its two Communications issues are one entry below.
    service={
        "acute-inpatient": 1,
        "acute-outpatient": 2,
        "older-people": 1,
        "accident-and-emergency": 1,
        "community-health-services": 1,
        "maternity": 1,
        "other": 1,
    },
    clinical={"surgical-group": 1, "accident-and-emergency": 1},
    subject={
        "communications": 2,
        "clinical-treatment": 2,
        "values-and-behaviours": 1,
        "patient-care": 1,
        "waiting-times": 1,
        "appointments": 1,
        "consent": 1,
        "trust-administration": 1,
    },
    profession={
        "medical": 2,
        "nursing-midwifery-health-visiting": 3,
        "support-staff": 1,
        "administrative-staff": 1,
        "scientific-therapeutic-technical": 1,
        "other": 1,
    },
)

# Riverside: brought forward 1 (brought_forward_resolved); new 4 (four_issues, no_complainant, reopened,
# answered_next_year); resolved 4; carried forward 1 (answered_next_year). 1 + 4 − 4 = 1.
RIVERSIDE_YEAR = expected(
    summary=summary(bf=1, new=4, upheld=2, partially=1, not_upheld=1, resolved=4, cf=1),
    age={"age-0-17": 1, "age-18-64": 2, "age-65-74": 1},
    status={"patient": 2, "on-behalf-of-patient": 1, "unknown": 1},
    service={"acute-inpatient": 1, "acute-outpatient": 2, "community-health-services": 1, "maternity": 1},
    clinical={"surgical-group": 1},
    subject={
        "communications": 2,
        "clinical-treatment": 1,
        "values-and-behaviours": 1,
        "waiting-times": 1,
        "appointments": 1,
        "consent": 1,
    },
    profession={
        "medical": 1,
        "nursing-midwifery-health-visiting": 2,
        "administrative-staff": 1,
        "scientific-therapeutic-technical": 1,
    },
)

# Northgate: brought forward 1 (brought_forward_open); new 3 (oral_for_them, escalated, open_at_year_end);
# resolved 2; carried forward 2. 1 + 3 − 2 = 2.
NORTHGATE_YEAR = expected(
    summary=summary(bf=1, new=3, upheld=0, partially=1, not_upheld=1, resolved=2, cf=2),
    age={"age-18-64": 1, "age-85-and-over": 1, "age-unknown": 1},
    status={"patient": 2, "on-behalf-of-patient": 1},
    service={"older-people": 1, "accident-and-emergency": 1, "other": 1},
    clinical={"accident-and-emergency": 1},
    subject={"patient-care": 1, "clinical-treatment": 1, "trust-administration": 1},
    profession={"medical": 1, "nursing-midwifery-health-visiting": 1, "support-staff": 1, "other": 1},
)

TRUST_QUARTERS = {
    # Open on 1 April: the two brought forward. four_issues and oral_for_them are new and still open at 30 June.
    "Q1": expected(
        summary=summary(bf=2, new=2, upheld=0, partially=0, not_upheld=1, resolved=1, cf=3),
        age={"age-18-64": 1, "age-85-and-over": 1},
        status={"patient": 1, "on-behalf-of-patient": 1},
        service={"acute-inpatient": 1, "acute-outpatient": 1, "older-people": 1},
        clinical={"surgical-group": 1},
        subject={"communications": 1, "clinical-treatment": 1, "values-and-behaviours": 1, "patient-care": 1},
        profession={"medical": 1, "nursing-midwifery-health-visiting": 2, "support-staff": 1},
    ),
    "Q2": expected(
        summary=summary(bf=3, new=1, upheld=1, partially=2, not_upheld=0, resolved=3, cf=1),
        age={"age-0-17": 1},
        status={"unknown": 1},
        service={"acute-outpatient": 1},
        subject={"waiting-times": 1, "appointments": 1},
        profession={"administrative-staff": 1},
    ),
    # reopened was answered on 25 November but reopened, so its resolution is its response of 20 February.
    "Q3": expected(
        summary=summary(bf=1, new=2, upheld=0, partially=0, not_upheld=0, resolved=0, cf=3),
        age={"age-65-74": 1, "age-unknown": 1},
        status={"patient": 1, "on-behalf-of-patient": 1},
        service={"accident-and-emergency": 1, "community-health-services": 1},
        clinical={"accident-and-emergency": 1},
        subject={"clinical-treatment": 1, "communications": 1},
        profession={"medical": 1, "scientific-therapeutic-technical": 1},
    ),
    "Q4": expected(
        summary=summary(bf=3, new=2, upheld=1, partially=0, not_upheld=1, resolved=2, cf=3),
        age={"age-18-64": 2},
        status={"patient": 2},
        service={"maternity": 1, "other": 1},
        subject={"consent": 1, "trust-administration": 1},
        profession={"nursing-midwifery-health-visiting": 1, "other": 1},
    ),
}


def test_every_box_of_the_year_for_the_whole_trust(the_return):
    assert cells(the_return, ORGANISATION, "year") == TRUST_YEAR


@pytest.mark.parametrize(("site", "boxes"), [(RIVERSIDE, RIVERSIDE_YEAR), (NORTHGATE, NORTHGATE_YEAR)])
def test_every_box_of_the_year_for_each_site(the_return, site, boxes):
    assert cells(the_return, site, "year") == boxes


@pytest.mark.parametrize("quarter", ["Q1", "Q2", "Q3", "Q4"])
def test_every_box_of_each_quarter_for_the_whole_trust(the_return, quarter):
    assert cells(the_return, ORGANISATION, quarter) == TRUST_QUARTERS[quarter]


def test_the_sites_add_up_to_the_trust_and_no_complaint_is_counted_at_two_sites(the_return):
    for key, count in TRUST_YEAR.items():
        assert RIVERSIDE_YEAR[key] + NORTHGATE_YEAR[key] == count, key
    assert [site.code for site in the_return.sites] == [NORTHGATE, RIVERSIDE]


def test_a_quarter_asked_for_is_the_same_as_that_quarter_of_the_year(cases):
    second = selectors.ko41a_return(year=YEAR, quarter=2)

    assert second.period.key == "Q2"
    assert cells(second, ORGANISATION, "Q2") == TRUST_QUARTERS["Q2"]
    assert second.value("summary:new") == 1
    assert [p.key for p in second.periods_shown] == ["Q2"]


def test_the_return_passes_every_check_of_the_collection(the_return):
    assert the_return.failures == []
    assert the_return.is_ready
    assert the_return.gaps == []


def test_the_complaints_left_out_are_counted_with_why(the_return):
    assert the_return.left_out() == [
        (ko41a.WITHDRAWN, ko41a.LEFT_OUT_TITLES[ko41a.WITHDRAWN], 1),
        (ko41a.DECLINED_OUT_OF_TIME, ko41a.LEFT_OUT_TITLES[ko41a.DECLINED_OUT_OF_TIME], 1),
        (ko41a.NOT_INVESTIGATED, ko41a.LEFT_OUT_TITLES[ko41a.NOT_INVESTIGATED], 1),
    ]
    assert the_return.reopened() == 1


def test_the_organisation_and_its_sites_are_named(the_return):
    assert the_return.organisation_code == "RZZ"
    assert [(site.code, site.name) for site in the_return.sites] == [
        (NORTHGATE, "Northgate General"),
        (RIVERSIDE, "Riverside Hospital"),
    ]


# The cases behind each figure of the year for the whole trust, by name.
BEHIND = {
    "summary:brought_forward": {"brought_forward_resolved", "brought_forward_open"},
    "summary:new": {
        "four_issues",
        "oral_for_them",
        "no_complainant",
        "escalated",
        "reopened",
        "answered_next_year",
        "open_at_year_end",
    },
    "summary:upheld": {"four_issues", "reopened"},
    "summary:partially_upheld": {"oral_for_them", "no_complainant"},
    "summary:not_upheld": {"brought_forward_resolved", "escalated"},
    "summary:resolved": {
        "brought_forward_resolved",
        "four_issues",
        "oral_for_them",
        "no_complainant",
        "escalated",
        "reopened",
    },
    "summary:carried_forward": {"brought_forward_open", "answered_next_year", "open_at_year_end"},
    "age:age-0-17": {"no_complainant"},
    "age:age-18-64": {"four_issues", "answered_next_year", "open_at_year_end"},
    "age:age-65-74": {"reopened"},
    "age:age-85-and-over": {"oral_for_them"},
    "age:age-unknown": {"escalated"},
    "status:patient": {"four_issues", "escalated", "answered_next_year", "open_at_year_end"},
    "status:on-behalf-of-patient": {"oral_for_them", "reopened"},
    "status:unknown": {"no_complainant"},
    "service:acute-inpatient": {"four_issues"},
    "service:acute-outpatient": {"four_issues", "no_complainant"},
    "service:older-people": {"oral_for_them"},
    "service:accident-and-emergency": {"escalated"},
    "service:community-health-services": {"reopened"},
    "service:maternity": {"answered_next_year"},
    "service:other": {"open_at_year_end"},
    "clinical:surgical-group": {"four_issues"},
    "clinical:accident-and-emergency": {"escalated"},
    "subject:communications": {"four_issues", "reopened"},
    "subject:clinical-treatment": {"four_issues", "escalated"},
    "subject:values-and-behaviours": {"four_issues"},
    "subject:patient-care": {"oral_for_them"},
    "subject:waiting-times": {"no_complainant"},
    "subject:appointments": {"no_complainant"},
    "subject:consent": {"answered_next_year"},
    "subject:trust-administration": {"open_at_year_end"},
    "profession:medical": {"four_issues", "escalated"},
    "profession:nursing-midwifery-health-visiting": {"four_issues", "oral_for_them", "answered_next_year"},
    "profession:support-staff": {"oral_for_them"},
    "profession:administrative-staff": {"no_complainant"},
    "profession:scientific-therapeutic-technical": {"reopened"},
    "profession:other": {"open_at_year_end"},
    ko41a.WITHDRAWN: {"withdrawn"},
    ko41a.DECLINED_OUT_OF_TIME: {"declined_late"},
    ko41a.NOT_INVESTIGATED: {"not_investigated"},
    ko41a.REOPENED: {"reopened"},
}


def test_each_figure_lists_exactly_the_cases_it_counts(cases, the_return):
    lists = selectors.year_lists(the_return.year)
    name_of = {case.pk: name for name, case in cases.items()}
    for box in [b.key for section in the_return.sections for b in section.boxes] + list(BEHIND):
        behind = selectors.cases_behind(
            Case.objects.all(), box=box, period=the_return.year, column=ORGANISATION, lists=lists
        )
        names = {name_of[pk] for pk in behind.values_list("pk", flat=True)}
        assert names == BEHIND.get(box, set()), box
        assert len(names) == the_return.value(box), box


def test_a_sites_figure_lists_only_that_sites_cases(cases, the_return):
    lists = selectors.year_lists(the_return.year)
    behind = selectors.cases_behind(
        Case.objects.all(), box="summary:new", period=the_return.year, column=NORTHGATE, lists=lists
    )

    assert set(behind) == {cases["oral_for_them"], cases["escalated"], cases["open_at_year_end"]}


def test_the_year_before_ends_with_what_2025_26_brings_forward(cases):
    before = selectors.ko41a_return(year="2024-25")

    # answered_last_year (received and answered in 2024-25); brought_forward_resolved and _open, made in Q4.
    assert before.value("summary:new") == 3
    assert before.value("summary:resolved") == 1
    assert before.value("summary:carried_forward") == 2
    assert before.failures == []
