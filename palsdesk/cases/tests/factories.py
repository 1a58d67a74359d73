"""Cases are made through cases.services.open_case, so tests get the references, clocks and audit of real ones."""

import datetime

from django.utils import timezone

from palsdesk.accounts.tests.factories import officer
from palsdesk.cases import services
from palsdesk.cases.models import Case, Channel, Kind
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.tests.factories import person_details


def make_case(
    *,
    kind: str = Kind.PALS_CONCERN,
    division=None,
    actor=None,
    received_on: datetime.date | None = None,
    summary: str = "Waited four hours for pain relief on the ward",
    with_people: bool = True,
    **values,
) -> Case:
    actor = actor or officer()
    values.setdefault("channel", Channel.PHONE)
    if with_people and "complainant" not in values:
        values["complainant"] = person_details()
        values.setdefault("complainant_is_patient", True)
    return services.open_case(
        actor=actor,
        kind=kind,
        division=division or DivisionFactory(),
        received_on=received_on or timezone.localdate(),
        summary=summary,
        **values,
    )
