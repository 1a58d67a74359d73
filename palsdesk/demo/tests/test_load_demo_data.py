"""`manage.py load_demo_data`: a believable trust, staff in every role and eighteen months of real-looking cases."""

import datetime
import io
from collections import Counter

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Min, Q
from django.test import override_settings
from django.utils import timezone

from palsdesk.accounts.models import User
from palsdesk.accounts.permissions import Role
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import selectors, workflow
from palsdesk.cases.models import (
    FINISHED_STATUSES,
    AcknowledgementMethod,
    Case,
    CaseLink,
    Kind,
    Outcome,
    Status,
    TimelineEntry,
)
from palsdesk.coding.models import CaseIssue
from palsdesk.coding.outcomes import case_outcome
from palsdesk.coding.selectors import closing_gaps, coding_gaps
from palsdesk.deadlines import clocks
from palsdesk.deadlines.models import ClockHold, ResponseDateChange, TimeLimitDecision
from palsdesk.deadlines.selectors import clocks_of, working_day_calendar
from palsdesk.demo import content
from palsdesk.demo.plans import (
    CASEWORKERS,
    SEEDED_RESPONSE_TARGETS,
    Escalate,
    Link,
    months_before,
    plan_cases,
    planned_response,
    showcase_case_count,
)
from palsdesk.grading.models import CaseGrading
from palsdesk.organisation.models import Division, Service, Site, Trust
from palsdesk.people.models import CaseParty, CommunicationNeed, Consent, PartyRole, Person
from palsdesk.people.nhs_number import normalise
from palsdesk.reporting.selectors import daily_report

pytestmark = pytest.mark.django_db

# A Friday afternoon: the demo's dates are worked out from today, so the tests fix today.
NOW = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 20)
DEADLINE = TimelineEntry.EntryKind.DEADLINE


def _deadline_entry_days(case: Case, starting: str) -> set[datetime.date]:
    """The days of the case's clock entries on its timeline whose words start so."""
    entries = TimelineEntry.objects.filter(case=case, kind=DEADLINE, body__startswith=starting)
    return {timezone.localdate(entry.occurred_at) for entry in entries}


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
        # Agreed dates, holds, decisions and delay letters are dated when they happened, not when loaded.
        clock_entries = entries.filter(kind=DEADLINE)
        assert clock_entries.count() >= 50
        assert clock_entries.filter(occurred_at__lt=timezone.now() - datetime.timedelta(days=90)).exists()

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

    def test_every_acknowledgement_records_its_method(self):
        acknowledged = Case.objects.filter(kind__in=workflow.ACKNOWLEDGED_KINDS, acknowledged_on__isnull=False)
        methods = Counter(acknowledged.values_list("acknowledgement_method", flat=True))
        assert "" not in methods
        assert set(methods) == set(AcknowledgementMethod.values)
        in_writing = methods[AcknowledgementMethod.LETTER] + methods[AcknowledgementMethod.EMAIL]
        assert in_writing >= 0.8 * acknowledged.count()
        assert acknowledged.filter(kind=Kind.MP_LETTER).count() >= 5
        assert not Case.objects.filter(acknowledged_on__isnull=True).exclude(acknowledgement_method="").exists()

    def test_some_complaints_have_agreed_dates_and_extensions_including_one_agreed_late(self):
        changes = ResponseDateChange.objects.select_related("case")
        agreed = [change for change in changes if change.kind == ResponseDateChange.Kind.AGREED]
        extensions = [change for change in changes if change.kind == ResponseDateChange.Kind.EXTENSION]
        assert len(agreed) >= 10
        assert len(extensions) >= 4
        calendar = working_day_calendar()
        for change in changes:
            case = change.case
            assert case.kind == Kind.COMPLAINT, case.reference
            assert case.received_on <= change.agreed_on <= TODAY, case.reference
            assert change.new_due_on >= change.agreed_on and change.agreed_with, case.reference
            assert change.is_late == (change.agreed_on > change.previous_due_on), case.reference
            assert timezone.localdate(change.recorded_at) == change.agreed_on, case.reference
        for change in agreed:
            # At the offer to discuss, a few working days after receipt (later when consent was awaited first).
            assert calendar.working_days_between(change.case.received_on, change.agreed_on) <= 20
            assert change.agreed_on in _deadline_entry_days(change.case, "Response date agreed")
        for change in extensions:
            assert change.new_due_on > change.previous_due_on and change.reason
            assert change.agreed_on in _deadline_entry_days(change.case, "Response date extended")
        reasons = " ".join(change.reason for change in extensions)
        assert "statement" in reasons and "independent clinical review" in reasons
        assert len({change.reason for change in extensions}) >= 3
        late = [change for change in changes if change.is_late]
        assert len(late) == 1
        assert late[0].kind == ResponseDateChange.Kind.EXTENSION and late[0].late_reason
        # The agreed date, not the trust's target, is what the case is now due by.
        assert Case.objects.open().filter(response_due_basis="extended").exists()
        assert Case.objects.open().filter(response_due_basis="agreed").exists()

    def test_some_cases_are_on_hold_today(self):
        held = Case.objects.filter(on_hold_since__isnull=False)
        assert 2 <= held.count() <= 3
        assert all(case.is_open and case.responded_on is None for case in held)
        open_holds = ClockHold.objects.filter(ended_on__isnull=True).select_related("reason", "case")
        assert {hold.case_id for hold in open_holds} == {case.pk for case in held}
        assert {"awaiting-consent", "awaiting-complainant"} <= {hold.reason.code for hold in open_holds}
        for case in held:
            response = next(clock for clock in clocks_of(case, today=TODAY) if clock.key == "response")
            assert response.state == clocks.State.ON_HOLD, case.reference
            assert TODAY - datetime.timedelta(days=30) < case.on_hold_since or case.long_stop_on < TODAY
        coordinator = User.objects.get(username="coordinator")
        on_hold = next(section for section in daily_report(coordinator, on=TODAY).sections if section.key == "on_hold")
        assert {row.case.pk for case_list in on_hold.lists for row in case_list.rows} == {case.pk for case in held}
        assert all(row.note for case_list in on_hold.lists for row in case_list.rows)

    def test_some_cases_were_on_hold_and_released(self):
        released = ClockHold.objects.filter(ended_on__isnull=False).select_related("case", "reason")
        assert {"awaiting-consent", "awaiting-complainant"} <= {hold.reason.code for hold in released}
        assert len(released) >= 5
        calendar = working_day_calendar()
        for hold in released:
            assert hold.case.received_on <= hold.started_on <= hold.ended_on <= TODAY, hold.case.reference
            assert hold.working_days_held == calendar.working_days_between(hold.started_on, hold.ended_on)
            assert hold.started_on in _deadline_entry_days(hold.case, "Response clock on hold")
        assert Case.objects.filter(held_working_days__gt=0, responded_on__isnull=False).exists()

    def test_a_late_complaint_was_taken_on_and_another_declined(self):
        decisions = list(TimeLimitDecision.objects.select_related("case", "decided_by"))
        assert len(decisions) == 2
        for decision in decisions:
            case = decision.case
            assert case.is_out_of_time and decision.decided_by.role == Role.COORDINATOR
            assert case.received_on <= decision.decided_on <= TODAY
            assert timezone.localdate(decision.recorded_at) == decision.decided_on
            assert decision.decided_on in _deadline_entry_days(case, f"Decided on {decision.decided_on.day} ")
        taken_on = next(decision for decision in decisions if decision.is_accepted)
        assert taken_on.case.status in (Status.RESPONSE_IN_REVIEW, Status.RESPONSE_SENT, Status.CLOSED)
        assert AuditEvent.objects.filter(case=taken_on.case, action="case.start_investigation").exists()
        declined = next(decision for decision in decisions if not decision.is_accepted)
        assert not declined.has_good_reasons and not declined.can_investigate_fairly
        assert declined.case.status == Status.CLOSED and declined.case.closed_on >= declined.decided_on
        assert AuditEvent.objects.filter(case=declined.case, action="case.decline_out_of_time").exists()
        late = [case for case in Case.objects.filter(kind=Kind.COMPLAINT) if case.is_out_of_time]
        assert sorted(case.pk for case in late) == sorted(decision.case_id for decision in decisions)

    def test_a_delay_letter_was_sent_and_another_is_owed(self):
        sent = Case.objects.get(delay_letter_sent_on__isnull=False)
        assert sent.is_open and sent.responded_on is None
        assert months_before(TODAY, 8) < sent.received_on < months_before(TODAY, 7)
        assert sent.long_stop_on < sent.delay_letter_sent_on <= TODAY
        assert sent.delay_letter_sent_on in _deadline_entry_days(sent, "Delay letter sent")
        long_stop = next(clock for clock in clocks_of(sent, today=TODAY) if clock.key == "long_stop")
        assert "Delay letter sent" in long_stop.explanation
        owed = [case for case in Case.objects.open() if clocks.delay_letter_owed(case, today=TODAY)]
        assert len(owed) == 1
        long_stop = next(clock for clock in clocks_of(owed[0], today=TODAY) if clock.key == "long_stop")
        assert long_stop.state == clocks.State.OVERDUE
        assert "A delay letter is owed" in long_stop.explanation

    def test_each_caseworker_has_work_in_every_state(self):
        calendar = working_day_calendar()
        wanted = {clocks.State.OVERDUE, clocks.State.DUE_TODAY, clocks.State.DUE_SOON, clocks.State.ON_TRACK}
        for username in CASEWORKERS:
            work = selectors.my_work(User.objects.get(username=username), today=TODAY)
            states = Counter(
                clocks.state_of(due_on=case.next_due_on, met_on=None, today=TODAY, calendar=calendar)
                for case in work.my_cases
                if case.next_due_on
            )
            assert wanted <= set(states), f"{username}: {dict(states)}"
            # Realistic, not alarming: most of anyone's work is not late.
            assert states[clocks.State.OVERDUE] < work.open_count / 2, username

    def test_the_plans_foresee_the_response_dates_the_services_work_out(self):
        # The planner agrees extensions before dates pass by working the dates out itself; it must agree.
        needs = {need.code: need for need in CommunicationNeed.objects.active()}
        plans = plan_cases(
            seed=2026, case_count=300, now=timezone.now(), calendar=working_day_calendar(), communication_needs=needs
        )
        cases = iter(Case.objects.order_by("pk"))
        calendar = working_day_calendar()
        compared = 0
        for plan in plans:
            case = next(cases)
            assert (case.kind, case.received_on, case.summary) == (plan.kind, plan.received_on, plan.summary)
            if any(isinstance(step, Escalate) for step in plan.steps):
                next(cases)  # the complaint the escalation opened
            if case.kind in workflow.ACKNOWLEDGED_KINDS:
                target = SEEDED_RESPONSE_TARGETS[case.kind]
                planned = planned_response(plan, calendar=calendar, target_working_days=target)
                assert planned.due_on == case.response_due_on, case.reference
                compared += 1
        assert compared >= 50

    def test_complaints_are_graded_on_the_matrix_and_a_few_regraded(self):
        gradings = CaseGrading.objects.select_related("grade", "case")
        graded = Case.objects.filter(grade__isnull=False)
        assert graded.filter(kind=Kind.COMPLAINT).count() >= 30
        assert set(graded.values_list("kind", flat=True)) <= {Kind.COMPLAINT, Kind.MP_LETTER}
        for grading in gradings:
            assert grading.score == grading.consequence * grading.likelihood
            assert grading.grade.min_score <= grading.score <= grading.grade.max_score, grading.case.reference
            assert grading.rationale
        assert len(set(gradings.values_list("grade__code", flat=True))) >= 3
        regraded = CaseGrading.objects.values("case").annotate(n=Count("pk")).filter(n__gt=1)
        assert regraded.exists()

    def test_cases_are_coded_issue_by_issue_with_hcat_on_some(self):
        issues = CaseIssue.objects.all()
        assert {Kind.COMPLAINT, Kind.PALS_CONCERN, Kind.COMPLIMENT} <= set(issues.values_list("case__kind", flat=True))
        several = Case.objects.annotate(n=Count("issues")).filter(kind=Kind.COMPLAINT, n__gt=1)
        assert several.count() >= 10
        assert issues.filter(hcat_category__isnull=False).count() >= 20
        assert issues.filter(local_subject__isnull=False).exists()
        assert issues.filter(subject__code="clinical-treatment", clinical_subcategory__isnull=False).exists()
        assert not issues.filter(case__kind=Kind.COMPLIMENT).exclude(outcome="").exists()

    def test_every_closed_complaint_taken_on_has_full_coding_and_its_derived_outcome(self):
        # A complaint made too late and not taken on closes with the decision, uncoded (regulation 12(4)).
        declined = Q(time_limit_decision__has_good_reasons=False) | Q(time_limit_decision__can_investigate_fairly=False)
        closed = Case.objects.filter(kind=Kind.COMPLAINT, status=Status.CLOSED).exclude(declined)
        assert closed.count() >= 20
        for complaint in closed.prefetch_related("issues"):
            assert closing_gaps(complaint) == [], complaint.reference
            outcomes = [issue.outcome for issue in complaint.issues.all()]
            assert complaint.outcome == case_outcome(outcomes), complaint.reference
        assert {Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD} <= set(
            closed.values_list("outcome", flat=True)
        )
        assert CaseIssue.objects.filter(outcome=Outcome.NOT_INVESTIGATED).exclude(not_investigated_reason="")

    def test_the_data_quality_page_has_a_few_gaps_of_several_kinds_to_show(self):
        gaps = coding_gaps(Case.objects.all())
        assert 3 <= len(gaps) <= 20
        kinds = {gap.kind for case in gaps for gap in case.gaps}
        assert len(kinds) >= 3, kinds
        assert len({case.case.division_id for case in gaps}) >= 2

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


def test_even_the_smallest_load_reaches_every_status_and_shows_every_clock(settings):
    settings.DEBUG = True
    _load("--cases", str(showcase_case_count()), "--seed", "7")
    reached = set(Case.objects.values_list("kind", "status"))
    assert reached == {(kind.value, status.value) for kind in Kind for status in workflow.statuses_of(kind)}
    assert ResponseDateChange.objects.filter(kind=ResponseDateChange.Kind.EXTENSION, is_late=False).exists()
    assert ResponseDateChange.objects.filter(is_late=True).count() == 1
    assert ClockHold.objects.filter(ended_on__isnull=True).count() == 3
    assert ClockHold.objects.filter(ended_on__isnull=False).count() >= 2
    assert sorted(d.is_accepted for d in TimeLimitDecision.objects.all()) == [False, True]
    assert Case.objects.filter(delay_letter_sent_on__isnull=False).count() == 1
    assert sum(clocks.delay_letter_owed(case, today=TODAY) for case in Case.objects.open()) == 1


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
