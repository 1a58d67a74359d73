"""Who sees which cases, what My work shows, and how search finds a case."""

import datetime

import pytest
import time_machine

from palsdesk.accounts.tests.factories import (
    UserFactory,
    administrator,
    approver,
    auditor,
    coordinator,
    divisional_manager,
    officer,
    volunteer,
)
from palsdesk.cases import selectors, services
from palsdesk.cases.models import Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.tests.factories import person_details

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def medicine():
    return DivisionFactory(code="MED", name="Medicine")


@pytest.fixture
def surgery():
    return DivisionFactory(code="SURG", name="Surgery")


def visible(user):
    return set(selectors.cases_visible_to(user))


class TestWhoSeesWhat:
    def test_trust_wide_roles_see_every_unrestricted_case(self, medicine, surgery):
        cases = {make_case(division=medicine), make_case(division=surgery)}
        for user in (officer(), coordinator(), approver(), auditor(), administrator()):
            assert visible(user) == cases

    def test_a_divisional_manager_sees_only_their_divisions_and_their_own_assignments(self, medicine, surgery):
        manager = divisional_manager(divisions=[medicine])
        ours = make_case(division=medicine)
        theirs = make_case(division=surgery)
        assert visible(manager) == {ours}
        services.assign_case(theirs, investigating_manager=manager, actor=theirs.created_by)
        assert visible(manager) == {ours, theirs}

    def test_a_volunteer_sees_only_what_they_logged(self, medicine):
        helper = volunteer()
        logged = make_case(division=medicine, actor=helper)
        make_case(division=medicine)
        assert visible(helper) == {logged}

    def test_a_restricted_case_is_seen_only_by_the_users_named_on_it(self, medicine):
        logger = officer()
        restricted = make_case(division=medicine, actor=logger, is_staff_complainant=True)
        assert restricted in visible(logger)
        for user in (officer(), coordinator(), auditor(), divisional_manager(divisions=[medicine])):
            assert restricted not in visible(user)
        assert restricted not in visible(UserFactory(is_superuser=True))

    def test_an_inactive_or_anonymous_user_sees_nothing(self, medicine):
        make_case(division=medicine)
        assert visible(officer(is_active=False)) == set()
        from django.contrib.auth.models import AnonymousUser

        assert visible(AnonymousUser()) == set()


class TestMyWork:
    def test_my_open_cases_come_soonest_deadline_first_so_overdue_ones_lead(self, medicine):
        me = officer(divisions=[medicine])
        with time_machine.travel(datetime.datetime(2026, 11, 2, 12, tzinfo=datetime.UTC), tick=False):
            overdue = make_case(division=medicine, case_officer=me, received_on=D(2026, 10, 20))
            later = make_case(division=medicine, case_officer=me, received_on=D(2026, 11, 2))
            finished = make_case(division=medicine, case_officer=me, received_on=D(2026, 10, 1))
            services.move_case(finished, to=Status.RESOLVED, actor=me)
            unassigned = make_case(division=medicine)
            someone_elses = make_case(division=medicine, case_officer=officer())
        work = selectors.my_work(me, today=D(2026, 11, 20))
        assert list(work.my_cases) == [overdue, later]
        assert (work.open_count, work.overdue_count) == (2, 2)
        assert list(work.unassigned) == [unassigned]
        assert work.unassigned_count == 1
        assert someone_elses not in work.my_cases

    def test_counts_due_today(self, medicine):
        me = officer(divisions=[medicine])
        with time_machine.travel(datetime.datetime(2026, 11, 13, 12, tzinfo=datetime.UTC), tick=False):
            make_case(division=medicine, case_officer=me, received_on=D(2026, 11, 13))  # 5 working days: 20 Nov
        assert selectors.my_work(me, today=D(2026, 11, 20)).due_today_count == 1

    def test_an_investigator_sees_cases_without_an_investigating_manager_in_their_division(self, medicine, surgery):
        manager = divisional_manager(divisions=[medicine])
        waiting = make_case(kind=Kind.COMPLAINT, division=medicine)
        make_case(kind=Kind.COMPLAINT, division=surgery)
        make_case(kind=Kind.PALS_CONCERN, division=medicine)  # never investigated, so never waiting for one
        assert list(selectors.my_work(manager, today=D(2026, 11, 20)).unassigned) == [waiting]


class TestSearch:
    @pytest.fixture
    def okafor_case(self, medicine):
        return make_case(
            division=medicine,
            summary="Cancelled hip operation twice",
            complainant=person_details(first_name="Grace", last_name="Okafor", nhs_number="943 476 5919"),
            complainant_is_patient=True,
        )

    @pytest.mark.parametrize(
        "query",
        ["PAL-2026", "pal-2026-00001", "943 476 5919", "9434765919", "Okafor", "okaf", "Grace Okafor", "hip operation"],
    )
    def test_a_case_is_found_by_reference_nhs_number_name_or_summary_words(self, okafor_case, query):
        found = selectors.search_cases(selectors.cases_visible_to(okafor_case.created_by), query)
        assert list(found) == [okafor_case]

    @pytest.mark.parametrize("query", ["COM-2026", "9434765918", "Smith", "knee operation"])
    def test_other_words_do_not_find_it(self, okafor_case, query):
        assert not selectors.search_cases(selectors.cases_visible_to(okafor_case.created_by), query).exists()

    def test_search_never_finds_a_case_the_user_may_not_see(self, okafor_case, surgery):
        manager = divisional_manager(divisions=[surgery])
        assert not selectors.case_list(manager, selectors.CaseFilters(query="Okafor")).exists()
