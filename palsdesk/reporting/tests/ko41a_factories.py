"""Complaints for the KO41a tests, made and moved through the services with the dates a year of work would have."""

import datetime

from palsdesk.cases import services
from palsdesk.cases.models import Case, Channel, Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding.services import record_issue_outcome
from palsdesk.coding.tests.factories import add_coded_issue
from palsdesk.deadlines.services import record_time_limit_decision
from palsdesk.people.models import Relationship
from palsdesk.people.tests.factories import person_details
from palsdesk.responses.tests.factories import sign_off_response

# The people a complaint names: the patient complaining, someone for them, or only the patient (no complainant).
PATIENT = "patient"
FOR_THEM = "for_them"
NOBODY = "nobody"

D = datetime.date


def complaint(
    *,
    received_on: datetime.date,
    actor,
    site=None,
    division=None,
    born_on: datetime.date | None = None,
    who: str = PATIENT,
    kind: str = Kind.COMPLAINT,
    channel: str = Channel.LETTER,
    **values,
) -> Case:
    """A case logged as received on the day, naming the patient (born on `born_on`) and who complained."""
    if who == PATIENT:
        people = {"complainant": person_details(date_of_birth=born_on), "complainant_is_patient": True}
    elif who == FOR_THEM:
        people = {
            "complainant": person_details(first_name="Grace", last_name="Hopper"),
            "relationship_to_patient": Relationship.CHILD,
            "patient": person_details(date_of_birth=born_on),
        }
    else:
        people = {"patient": person_details(date_of_birth=born_on)}
    return make_case(
        kind=kind,
        received_on=received_on,
        actor=actor,
        site=site,
        division=division,
        channel=channel,
        with_people=False,
        **people,
        **values,
    )


def issue(case: Case, actor, subject: str, service_area: str, professions: tuple[str, ...], **values):
    return add_coded_issue(
        case, actor=actor, subject=subject, service_area=service_area, professions=professions, **values
    )


def investigate(case: Case, actor, *, on: datetime.date) -> Case:
    """Acknowledged and under investigation, both on the day."""
    case = services.move_case(case, to=Status.ACKNOWLEDGED, actor=actor, on=on)
    return services.move_case(case, to=Status.UNDER_INVESTIGATION, actor=actor, on=on)


def respond(case: Case, actor, *, on: datetime.date, close: bool = True) -> Case:
    """From under investigation to the response sent on the day (and closed the same day, if asked)."""
    case = services.move_case(case, to=Status.RESPONSE_IN_REVIEW, actor=actor, on=on)
    if case.kind == Kind.COMPLAINT:
        # Regulation 14(2): signed off before it is sent (cases.guards, "response_signed_off").
        sign_off_response(case, reviewer=actor)
    case = services.move_case(case, to=Status.RESPONSE_SENT, actor=actor, on=on)
    if close:
        case = services.move_case(case, to=Status.CLOSED, actor=actor, on=on)
    return case


def reopen(case: Case, actor, *, on: datetime.date) -> Case:
    return services.move_case(
        case, to=Status.UNDER_INVESTIGATION, actor=actor, on=on, reason="The complainant wrote back"
    )


def a_year_of_complaints(actor, *, riverside, northgate, division=None) -> dict[str, Case]:
    """The cases of 2025-26 whose return test_ko41a_return works out by hand, named by what each shows.

    Riverside: brought_forward_resolved, four_issues, no_complainant, reopened, answered_next_year, withdrawn,
    pals_concern, declined_late. Northgate: brought_forward_open, oral_for_them, escalated, open_at_year_end,
    not_investigated, mp_letter. Travel to a day after 15 April 2026 first: moves cannot be dated in the future.
    """
    made: dict[str, Case] = {}

    def log(name: str, **values) -> Case:
        made[name] = complaint(actor=actor, division=division, **values)
        return made[name]

    # Received in 2024-25 and answered then: in no box of 2025-26.
    old = log("answered_last_year", received_on=D(2024, 11, 4), site=riverside, born_on=D(1960, 1, 1))
    issue(old, actor, "communications", "acute-outpatient", ("medical",), outcome="upheld")
    old = investigate(old, actor, on=D(2024, 11, 6))
    made["answered_last_year"] = respond(old, actor, on=D(2025, 1, 10))

    # Brought forward from 2024-25, resolved not upheld in Q1.
    case = log("brought_forward_resolved", received_on=D(2025, 2, 10), site=riverside, born_on=D(1950, 6, 1))
    issue(case, actor, "communications", "acute-outpatient", ("medical",), outcome="not_upheld")
    case = investigate(case, actor, on=D(2025, 2, 12))
    made["brought_forward_resolved"] = respond(case, actor, on=D(2025, 5, 20))

    # Brought forward, still under investigation: carried forward at every quarter's end.
    case = log("brought_forward_open", received_on=D(2025, 3, 3), site=northgate, born_on=D(1970, 1, 1))
    issue(case, actor, "waiting-times", "acute-outpatient", ("medical",))
    made["brought_forward_open"] = investigate(case, actor, on=D(2025, 3, 5))

    # Q1, Riverside: four issues (two about Communications), two professions; upheld in Q2. Aged 44.
    case = log("four_issues", received_on=D(2025, 4, 14), site=riverside, born_on=D(1980, 5, 1))
    issue(case, actor, "communications", "acute-inpatient", ("medical", "nursing-midwifery-health-visiting"))
    issue(
        case,
        actor,
        "clinical-treatment",
        "acute-inpatient",
        ("medical",),
        clinical_subcategory="surgical-group",
    )
    issue(case, actor, "values-and-behaviours", "acute-inpatient", ("nursing-midwifery-health-visiting",))
    issue(case, actor, "communications", "acute-outpatient", ("medical",))
    for each in case.issues.all():
        record_issue_outcome(each, outcome="upheld", actor=actor)
    case = investigate(case, actor, on=D(2025, 4, 16))
    made["four_issues"] = respond(case, actor, on=D(2025, 7, 10))

    # Q1, Northgate: made by phone (an oral complaint, recorded here in writing) by the patient's son;
    # the patient is 85. One issue, partially upheld; answered in Q2.
    case = log(
        "oral_for_them",
        received_on=D(2025, 5, 6),
        site=northgate,
        born_on=D(1940, 1, 15),
        who=FOR_THEM,
        channel=Channel.PHONE,
    )
    issue(
        case,
        actor,
        "patient-care",
        "older-people",
        ("nursing-midwifery-health-visiting", "support-staff"),
        outcome="partially_upheld",
    )
    case = investigate(case, actor, on=D(2025, 5, 8))
    made["oral_for_them"] = respond(case, actor, on=D(2025, 8, 20))

    # Q1, Riverside: withdrawn before the response. Left out.
    case = log("withdrawn", received_on=D(2025, 6, 2), site=riverside, born_on=D(1985, 1, 1))
    case = services.move_case(case, to=Status.ACKNOWLEDGED, actor=actor, on=D(2025, 6, 3))
    made["withdrawn"] = services.move_case(
        case, to=Status.WITHDRAWN, actor=actor, on=D(2025, 6, 20), reason="Resolved with the ward directly"
    )

    # Q1, Riverside: a PALS concern, never a KO41a complaint.
    concern = log("pals_concern", received_on=D(2025, 5, 1), site=riverside, kind=Kind.PALS_CONCERN)
    made["pals_concern"] = services.move_case(concern, to=Status.RESOLVED, actor=actor, on=D(2025, 5, 2))

    # Q2, Riverside: only the patient is named, aged 15; one issue upheld, one not: partially upheld in Q2.
    case = log("no_complainant", received_on=D(2025, 7, 1), site=riverside, born_on=D(2010, 3, 1), who=NOBODY)
    issue(case, actor, "waiting-times", "acute-outpatient", ("administrative-staff",), outcome="upheld")
    issue(case, actor, "appointments", "acute-outpatient", ("administrative-staff",), outcome="not_upheld")
    case = investigate(case, actor, on=D(2025, 7, 3))
    made["no_complainant"] = respond(case, actor, on=D(2025, 9, 30))

    # Q2, Northgate: an MP's letter, not a complaint for KO41a.
    made["mp_letter"] = log("mp_letter", received_on=D(2025, 8, 1), site=northgate, kind=Kind.MP_LETTER)

    # A PALS concern received in Q2 and escalated in Q3: a new complaint of Q3; no date of birth known.
    concern = log("escalated_concern", received_on=D(2025, 9, 22), site=northgate, kind=Kind.PALS_CONCERN)
    case = services.escalate_to_complaint(concern, reason="Wants a formal response", actor=actor, on=D(2025, 10, 6))
    made["escalated"] = case
    issue(
        case,
        actor,
        "clinical-treatment",
        "accident-and-emergency",
        ("medical",),
        clinical_subcategory="accident-and-emergency",
        outcome="not_upheld",
    )
    case = investigate(case, actor, on=D(2025, 10, 8))
    made["escalated"] = respond(case, actor, on=D(2026, 1, 15))

    # Q3, Riverside: made by the patient's son; the patient is 66 (67 on 30 November); answered in Q3,
    # reopened in Q3 and answered again (upheld) in Q4.
    case = log("reopened", received_on=D(2025, 10, 20), site=riverside, born_on=D(1958, 11, 30), who=FOR_THEM)
    issue(case, actor, "communications", "community-health-services", ("scientific-therapeutic-technical",))
    record_issue_outcome(case.issues.get(), outcome="upheld", actor=actor)
    case = investigate(case, actor, on=D(2025, 10, 22))
    case = respond(case, actor, on=D(2025, 11, 25))
    case = reopen(case, actor, on=D(2025, 12, 10))
    made["reopened"] = respond(case, actor, on=D(2026, 2, 20))

    # Q3, Riverside: made more than 12 months after the event, and not taken on (regulation 12(4)). Left out.
    case = log(
        "declined_late", received_on=D(2025, 11, 3), site=riverside, born_on=D(1990, 1, 1), event_on=D(2024, 6, 1)
    )
    record_time_limit_decision(
        case,
        has_good_reasons=False,
        can_investigate_fairly=False,
        rationale="No reason given for the delay; the staff involved have left.",
        decided_on=D(2025, 11, 10),
        actor=actor,
    )
    made["declined_late"] = services.move_case(
        case, to=Status.CLOSED, actor=actor, on=D(2025, 11, 12), reason="Made after the time limit"
    )

    # Q3, Northgate: answered in Q4 without investigating its one issue. Left out.
    case = log("not_investigated", received_on=D(2025, 12, 1), site=northgate, born_on=D(1999, 9, 9))
    issue(
        case,
        actor,
        "facilities-services",
        "acute-inpatient",
        ("support-staff",),
        outcome="not_investigated",
        not_investigated_reason="A request for parking refunds, handled by the car park office.",
    )
    case = investigate(case, actor, on=D(2025, 12, 3))
    made["not_investigated"] = respond(case, actor, on=D(2026, 1, 20))

    # Q4, Riverside: aged 50; answered in 2026-27, so carried forward.
    case = log("answered_next_year", received_on=D(2026, 1, 5), site=riverside, born_on=D(1975, 7, 7))
    issue(case, actor, "consent", "maternity", ("nursing-midwifery-health-visiting",), outcome="not_upheld")
    case = investigate(case, actor, on=D(2026, 1, 7))
    made["answered_next_year"] = respond(case, actor, on=D(2026, 4, 10))

    # Q4, Northgate: made on the patient's 36th birthday; still under investigation at the year's end.
    case = log("open_at_year_end", received_on=D(2026, 3, 2), site=northgate, born_on=D(1990, 3, 2))
    issue(case, actor, "trust-administration", "other", ("other",))
    made["open_at_year_end"] = investigate(case, actor, on=D(2026, 3, 4))
    return made
