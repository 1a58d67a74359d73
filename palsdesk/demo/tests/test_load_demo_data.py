"""`manage.py load_demo_data`: a believable trust, staff in every role and eighteen months of real-looking cases."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Min
from django.test import override_settings
from django.utils import timezone

from palsdesk.accounts.models import User
from palsdesk.accounts.permissions import Role
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import selectors, workflow
from palsdesk.cases.models import FINISHED_STATUSES, Case, CaseLink, Kind, Status, TimelineEntry
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.demo import content
from palsdesk.demo.plans import Link, months_before, plan_cases, showcase_case_count
from palsdesk.organisation.models import Division, Service, Site, Trust
from palsdesk.people.models import CaseParty, Consent, PartyRole, Person
from palsdesk.people.nhs_number import normalise

pytestmark = pytest.mark.django_db

# A Friday afternoon: the demo's dates are worked out from today, so the tests fix today.
NOW = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture(scope="module", autouse=True)
def _a_friday_afternoon():
    with time_machine.travel(NOW, tick=False):
        yield


def _load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The full demo, loaded once for the class and rolled back after it (loading takes a few seconds)."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(DEBUG=True):
        output = _load()
        yield output
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
class TestTheLoadedDemo:
    def test_it_prints_a_summary_and_every_login_with_the_shared_password(self, demo):
        assert "Loaded 300 cases" in demo
        assert content.DEMO_PASSWORD in demo
        for demo_user in content.USERS:
            assert f"  {demo_user.username} " in demo

    def test_it_creates_a_trust_with_four_divisions_six_sites_and_about_thirty_services(self):
        trust = Trust.objects.get(ods_code=content.TRUST_ODS_CODE)
        assert trust.name == "Northgate and Riverside Hospitals NHS Foundation Trust"
        assert set(Division.objects.filter(trust=trust).values_list("code", flat=True)) == {"MED", "SURG", "WAC", "CSS"}
        assert Site.objects.filter(trust=trust).count() == 6
        assert 28 <= Service.objects.filter(division__trust=trust).count() <= 35
        assert all(Division.objects.annotate(n=Count("services")).values_list("n", flat=True))

    def test_it_creates_every_role(self):
        roles = set(User.objects.values_list("role", flat=True))
        assert roles == {role for role, _ in Role.CHOICES}
        assert User.objects.filter(role=Role.PALS_OFFICER).count() >= 2
        assert 10 <= User.objects.count() <= 14

    def test_each_divisional_manager_belongs_to_their_own_division_only(self):
        managers = User.objects.filter(role=Role.DIVISIONAL_MANAGER).prefetch_related("divisions")
        assert sorted(d.code for m in managers for d in m.divisions.all()) == ["CSS", "MED", "SURG", "WAC"]
        assert all(m.divisions.count() == 1 for m in managers)

    def test_pals_officers_and_the_coordinator_belong_to_divisions(self):
        caseworkers = User.objects.filter(role__in=[Role.PALS_OFFICER, Role.COORDINATOR])
        assert all(user.divisions.exists() for user in caseworkers)

    def test_the_administrator_manages_reference_data_by_their_role_alone(self):
        admin = User.objects.get(role=Role.ADMINISTRATOR)
        assert admin.has_module_perms("organisation")
        assert admin.has_perm("organisation.change_service")
        assert not admin.has_perm("organisation.delete_service")
        assert not User.objects.filter(is_superuser=True).exists()
        assert not User.objects.filter(is_staff=True).exists()

    def test_every_account_signs_in_with_the_shared_password(self):
        for user in User.objects.all():
            validate_password(content.DEMO_PASSWORD, user)  # the project's validators accept it
            assert authenticate(username=user.username, password=content.DEMO_PASSWORD) == user

    def test_it_loads_three_hundred_cases_with_pals_concerns_the_most_common(self):
        by_kind = dict(Case.objects.values_list("kind").annotate(n=Count("pk")))
        assert sum(by_kind.values()) == 300
        assert set(by_kind) == set(Kind.values)
        assert by_kind[Kind.PALS_CONCERN] == max(by_kind.values())
        assert by_kind[Kind.MP_LETTER] == min(by_kind.values())
        assert by_kind[Kind.COMPLAINT] >= 40

    def test_every_kind_reaches_each_of_its_statuses(self):
        reached = set(Case.objects.values_list("kind", "status"))
        for kind in Kind:
            for status in workflow.statuses_of(kind):
                assert (kind.value, status.value) in reached, f"no {kind.label} is {status.label}"

    def test_cases_span_eighteen_months(self):
        first, last = Case.objects.aggregate(Min("received_on"))["received_on__min"], TODAY
        assert months_before(TODAY, 18) < first < months_before(TODAY, 17)
        assert Case.objects.filter(received_on__gte=last - datetime.timedelta(days=7)).exists()
        assert not Case.objects.filter(received_on__gt=TODAY).exists()
        months = {(d.year, d.month) for d in Case.objects.values_list("received_on", flat=True)}
        assert len(months) >= 18

    def test_recent_cases_are_more_often_open_than_old_ones(self):
        def open_share(cases):
            return cases.open().count() / cases.count()

        recent = Case.objects.filter(received_on__gte=TODAY - datetime.timedelta(days=30))
        old = Case.objects.filter(received_on__lt=TODAY - datetime.timedelta(days=180))
        assert open_share(recent) > 0.3
        assert open_share(old) < 0.05

    def test_the_clocks_follow_the_pathway(self):
        for case in Case.objects.all():
            dates = [case.received_on, case.acknowledged_on, case.responded_on, case.closed_on]
            assert all(d is None or case.received_on <= d <= TODAY for d in dates), case.reference
            assert (case.closed_on is not None) == (case.status in FINISHED_STATUSES), case.reference
            if case.responded_on and case.acknowledged_on:
                assert case.acknowledged_on <= case.responded_on, case.reference
            if case.status in (Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.RESPONSE_SENT):
                assert case.acknowledged_on is not None, case.reference

    def test_the_timeline_reads_as_it_happened(self):
        entries = TimelineEntry.objects.select_related("case")
        assert all(timezone.localdate(e.occurred_at) >= e.case.received_on for e in entries)
        assert not entries.filter(occurred_at__gt=timezone.now()).exists()
        logged = entries.filter(kind=TimelineEntry.EntryKind.CREATED, case__escalated_from__isnull=True)
        calendar = working_day_calendar()
        for entry in logged:
            # Logged the day it arrived, or the next working day if it came in out of hours.
            logged_on = timezone.localdate(entry.occurred_at)
            assert entry.case.received_on <= logged_on <= calendar.add_working_days(entry.case.received_on, 1)
            assert calendar.is_working_day(logged_on) or logged_on == TODAY
            assert entry.case.created_at == entry.occurred_at
        year_ago = timezone.now() - datetime.timedelta(days=365)
        assert entries.filter(occurred_at__lt=year_ago, kind=TimelineEntry.EntryKind.STATUS_CHANGE).exists()
        for kind in (TimelineEntry.EntryKind.NOTE, TimelineEntry.EntryKind.CALL, TimelineEntry.EntryKind.ASSIGNMENT):
            assert entries.filter(kind=kind).count() >= 50

    def test_every_case_was_logged_through_the_services(self):
        opened = AuditEvent.objects.filter(action="case.opened").values_list("case_id", flat=True)
        assert sorted(opened) == sorted(Case.objects.values_list("pk", flat=True))
        assert AuditEvent.objects.filter(action="demo_data.loaded").count() == 1
        assert Case.objects.filter(reference__startswith="COM-2025-").exists()
        assert Case.objects.filter(reference="PAL-2026-00001").exists()

    def test_people_have_valid_nhs_numbers_in_the_range_kept_for_testing(self):
        numbers = [n for n in Person.objects.values_list("nhs_number", flat=True) if n]
        assert len(numbers) > 200
        assert all(normalise(n) == n and n.startswith("999") for n in numbers)

    def test_representatives_have_a_relationship_and_consent_is_recorded(self):
        representatives = CaseParty.objects.filter(role=PartyRole.REPRESENTATIVE)
        assert representatives.count() > 50
        assert not representatives.filter(relationship_to_patient="").exists()
        statuses = set(Consent.objects.values_list("status", flat=True))
        assert {Consent.Status.RECEIVED, Consent.Status.NOT_POSSIBLE, Consent.Status.REFUSED} <= statuses
        assert Consent.objects.filter(acting_reason=Consent.ActingReason.DECEASED).exists()

    def test_some_people_have_communication_needs(self):
        assert Person.objects.filter(communication_needs__isnull=False).distinct().count() >= 10
        assert Person.objects.exclude(interpreter_language="").exists()

    def test_it_flags_safeguarding_vulnerable_people_and_mp_and_media_interest(self):
        assert Case.objects.filter(is_safeguarding=True).count() >= 2
        assert Case.objects.filter(is_vulnerable_person=True).count() >= 10
        assert Case.objects.filter(has_mp_interest=True).exclude(kind=Kind.MP_LETTER).exists()
        assert Case.objects.filter(has_media_interest=True).exists()

    def test_staff_complainant_cases_are_restricted_to_the_people_named_on_them(self):
        restricted = Case.objects.filter(is_restricted=True)
        assert restricted.count() >= 2
        assert all(case.is_staff_complainant and case.named_users.exists() for case in restricted)
        auditor = User.objects.get(role=Role.AUDITOR)
        assert not selectors.cases_visible_to(auditor).filter(is_restricted=True).exists()

    def test_it_includes_escalated_concerns_reopened_and_withdrawn_cases_and_links(self):
        escalated = Case.objects.filter(kind=Kind.PALS_CONCERN, status=Status.ESCALATED)
        assert escalated.count() >= 3
        assert Case.objects.filter(escalated_from__in=escalated, kind=Kind.COMPLAINT).count() == escalated.count()
        assert Case.objects.filter(kind=Kind.COMPLAINT, reopened_count__gt=0).exists()
        assert Case.objects.filter(kind=Kind.COMPLAINT, status=Status.WITHDRAWN).count() >= 2
        assert CaseLink.objects.exclude(reason="Escalated to a formal complaint").count() >= 3

    def test_staff_have_work_waiting_for_them(self):
        for username in ("pals.officer", "pals.officer2"):
            work = selectors.my_work(User.objects.get(username=username), today=TODAY)
            assert work.unassigned_count > 0, username
        coordinator = selectors.my_work(User.objects.get(username="coordinator"), today=TODAY)
        assert coordinator.open_count > 0
        assert Case.objects.open().exclude(investigating_manager=None).exists()

    def test_it_is_skipped_when_already_loaded(self, settings):
        settings.DEBUG = True
        before = (Case.objects.count(), User.objects.count(), AuditEvent.objects.count())
        output = _load()
        assert "already loaded" in output
        assert "coordinator" in output and content.DEMO_PASSWORD in output
        assert (Case.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before


def test_it_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="published"):
        _load()
    assert not Trust.objects.exists() and not User.objects.exists()
    output = _load("--force", "--cases", str(showcase_case_count()))
    assert f"Loaded {showcase_case_count()} cases" in output


def test_even_the_smallest_load_reaches_every_status_of_every_kind(settings):
    settings.DEBUG = True
    _load("--cases", str(showcase_case_count()), "--seed", "7")
    reached = set(Case.objects.values_list("kind", "status"))
    assert reached == {(kind.value, status.value) for kind in Kind for status in workflow.statuses_of(kind)}


def test_it_needs_enough_cases_for_its_own_stories(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="at least"):
        _load("--cases", "5")


def test_a_failure_part_way_leaves_nothing_loaded(settings, monkeypatch):
    settings.DEBUG = True

    def broken_link(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("palsdesk.cases.services.link_cases", broken_link)
    with pytest.raises(RuntimeError):
        _load("--cases", str(showcase_case_count()))
    assert not Trust.objects.exists()
    assert not User.objects.exists()
    assert not Case.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_refuses_to_load_over_accounts_that_already_exist(settings):
    settings.DEBUG = True
    User.objects.create(username="coordinator", role=Role.COORDINATOR)
    with pytest.raises(CommandError, match="usernames coordinator"):
        _load("--cases", str(showcase_case_count()))
    assert not Trust.objects.exists()


def test_the_same_seed_plans_the_same_cases():
    def plan(seed):
        plans = plan_cases(
            seed=seed, case_count=80, now=timezone.now(), calendar=working_day_calendar(), communication_needs={}
        )
        return [(p.kind, p.received_at, p.summary, p.complainant.last_name, len(p.steps)) for p in plans]

    assert plan(1) == plan(1)
    assert plan(1) != plan(2)


def test_links_only_point_back_to_cases_received_earlier():
    plans = plan_cases(
        seed=3, case_count=300, now=timezone.now(), calendar=working_day_calendar(), communication_needs={}
    )
    position = {id(p): i for i, p in enumerate(plans)}
    links = [(i, step) for i, p in enumerate(plans) for step in p.steps if isinstance(step, Link)]
    assert links
    assert all(position[id(step.other)] < i for i, step in links)
