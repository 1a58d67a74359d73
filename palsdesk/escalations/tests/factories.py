"""Complaints that have had their local response, and PHSO cases on them, made through the services."""

import datetime

from palsdesk.cases import services as case_services
from palsdesk.cases import workflow
from palsdesk.cases.models import Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.escalations import services

RECEIVED = datetime.date(2026, 6, 1)
RESPONDED = datetime.date(2026, 7, 31)


def responded_complaint(*, division, actor, received_on=RECEIVED, responded_on=RESPONDED, **values):
    """A complaint taken through its local pathway to the response sent, as the PHSO expects before it looks."""
    complaint = make_case(
        kind=Kind.COMPLAINT, division=division, actor=actor, received_on=received_on, case_officer=actor, **values
    )
    for status in (Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.RESPONSE_IN_REVIEW):
        complaint = case_services.move_case(complaint, to=status, on=responded_on, actor=actor)
    send = workflow.transition_named(complaint.kind, complaint.status, "send_response")
    if send.guard == "response_signed_off":
        # Regulation 14(2): the response is signed off before it is sent (the responses app keeps it).
        from palsdesk.responses.tests.factories import sign_off_response

        sign_off_response(complaint)
    return case_services.move_case(complaint, to=Status.RESPONSE_SENT, on=responded_on, actor=actor)


def open_phso(complaint, *, actor, **values):
    values.setdefault("phso_reference", "C-2026-104233")
    values.setdefault("caseworker_name", "Priya Natarajan")
    values.setdefault("received_on", datetime.date(2026, 10, 5))
    return services.open_ombudsman_case(complaint, actor=actor, **values)
