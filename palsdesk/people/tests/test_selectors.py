"""People on a case are shown once each, with every role they hold."""

import pytest

from palsdesk.cases.tests.factories import make_case
from palsdesk.people.selectors import has_representative, people_on_case
from palsdesk.people.tests.factories import person_details

pytestmark = pytest.mark.django_db


def test_a_patient_who_complains_is_one_person_with_two_roles():
    case = make_case(complainant=person_details(), complainant_is_patient=True)
    [someone] = people_on_case(list(case.parties.all()))
    assert someone.roles_label == "patient and complainant"
    assert someone.is_main_contact
    assert not has_representative(list(case.parties.all()))


def test_a_representative_and_the_patient_are_two_people_in_the_order_added():
    case = make_case(
        complainant=person_details(last_name="Okafor"),
        complainant_is_patient=False,
        relationship_to_patient="spouse",
        patient=person_details(last_name="Okafor", first_name="Grace"),
    )
    representative, patient = people_on_case(list(case.parties.all()))
    assert representative.roles_label == "representative (husband, wife or partner)"
    assert patient.roles_label == "patient"
    assert not patient.is_main_contact
    assert has_representative(list(case.parties.all()))
