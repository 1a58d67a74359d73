"""The generated trust: valid rows, clocks as the rules make them, unique references, and the same data from a seed."""

import datetime
import re
from collections import Counter

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from palsdesk.cases.models import FINISHED_STATUSES, REFERENCE_PREFIX, Case, CaseLink, Kind, ResponseDueBasis, Status
from palsdesk.cases.models import TimelineEntry as Entry
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding.models import CaseIssue
from palsdesk.coding.selectors import closing_gaps
from palsdesk.deadlines import services as deadline_services
from palsdesk.deadlines.models import ClockHold, ResponseDateChange, ResponseTarget
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.demo import generate
from palsdesk.grading.models import CaseGrading
from palsdesk.people.models import CaseParty, Consent, Person

pytestmark = pytest.mark.django_db

UNTIL = datetime.date(2026, 11, 20)
SIZE = 200


def _generate(seed: int = 8, cases: int = SIZE) -> generate.Generated:
    return generate.generate_cases(cases=cases, seed=seed, until=UNTIL)


def snapshot() -> dict:
    """Every generated row, ids included; only the search documents' refresh times and the audit time left out."""
    tables = {}
    for model in (Case, Entry, Person, CaseParty, Consent, CaseIssue, CaseGrading, ResponseDateChange, ClockHold):
        fields = [f.attname for f in model._meta.concrete_fields]
        tables[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    tables["professions"] = list(CaseIssue.professions.through.objects.order_by("pk").values_list())
    tables["links"] = list(CaseLink.objects.order_by("pk").values_list("from_case_id", "to_case_id", "reason"))
    return tables


class _Undo(Exception):
    pass


def undo_generation(seed: int) -> dict:
    """Generate, take the snapshot, and roll it all back, as if into a database of its own.

    PostgreSQL's sequences do not roll back (nor after earlier tests), so they are set to follow the
    tables' rows before and after, as a new database's would; each generation then gets the same ids.
    """
    restart_sequences()
    with pytest.raises(_Undo), transaction.atomic():
        _generate(seed=seed)
        first = snapshot()
        raise _Undo
    restart_sequences()
    return first


def restart_sequences() -> None:
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)


@pytest.fixture
def generated():
    return _generate()


class TestReproducible:
    def test_the_same_seed_gives_the_same_data(self):
        first = undo_generation(21)
        assert not Case.objects.exists()

        _generate(seed=21)

        assert snapshot() == first
        assert len(first["cases.Case"]) == SIZE

    def test_another_seed_gives_other_data(self):
        first = undo_generation(21)
        _generate(seed=22)
        second = snapshot()
        assert second["cases.Case"] != first["cases.Case"]
        assert second["people.Person"] != first["people.Person"]


class TestValidData:
    def test_every_generated_row_passes_the_models_validation(self, generated):
        checked = Counter()
        for model in (Case, Entry, Person, CaseParty, Consent, CaseIssue, CaseGrading, ResponseDateChange, ClockHold):
            for row in model.objects.order_by("pk")[:400]:  # every case; the first 400 of the rest, for speed
                row.full_clean()
                checked[model.__name__] += 1
        assert checked["Case"] == SIZE
        assert checked["Person"] > SIZE  # patients, relatives and MPs

    def test_the_clocks_are_the_ones_the_rules_give(self, generated):
        targets = dict(ResponseTarget.objects.values_list("kind", "working_days"))
        held = Counter()
        for hold in ClockHold.objects.filter(ended_on__isnull=False):
            held[hold.case_id] += hold.working_days_held
        calendar = working_day_calendar()
        for case in Case.objects.select_related("grade"):
            stored = {name: getattr(case, name) for name in deadline_services.CLOCK_FIELDS}
            deadline_services.work_out_clocks(case)
            worked_out = {name: getattr(case, name) for name in deadline_services.CLOCK_FIELDS}
            assert worked_out == stored, case.reference
            if case.response_due_basis == ResponseDueBasis.TARGET and not case.reopened_count:
                expected = case.grade.response_working_days if case.grade_id else targets[case.kind]
                assert case.response_target_working_days == expected, case.reference
                assert case.held_working_days == held[case.pk], case.reference
            if case.acknowledged_on:
                assert calendar.is_working_day(case.acknowledged_on) or case.acknowledged_on >= case.received_on

    def test_finished_cases_have_their_dates_and_open_ones_their_next_deadline(self, generated):
        for case in Case.objects.all():
            if case.status in FINISHED_STATUSES:
                assert case.closed_on is not None and case.next_due_on is None, case.reference
            else:
                assert case.closed_on is None, case.reference
                assert case.next_due_on is not None or case.on_hold_since is not None, case.reference
            if case.status == Status.RESPONSE_SENT:
                assert case.responded_on is not None

    def test_a_closed_complaint_is_fully_coded_with_its_outcome(self, generated):
        closed = Case.objects.filter(kind=Kind.COMPLAINT, status=Status.CLOSED).exclude(escalated_from__isnull=False)
        assert closed.exists()
        for case in closed:
            assert closing_gaps(case) == [], case.reference
            assert case.outcome, case.reference

    def test_old_cases_are_finished_and_recent_ones_are_at_every_stage(self, generated):
        year_ago = UNTIL - datetime.timedelta(days=365)
        assert not Case.objects.filter(received_on__lt=year_ago).exclude(status__in=FINISHED_STATUSES).exists()
        recent = Case.objects.filter(received_on__gte=UNTIL - datetime.timedelta(days=60))
        assert recent.exclude(status__in=FINISHED_STATUSES).exists()
        assert recent.filter(status__in=FINISHED_STATUSES).exists()

    def test_complaints_have_about_ten_timeline_entries_and_pals_concerns_fewer(self):
        _generate(cases=600)
        per_kind = {}
        for kind in (Kind.COMPLAINT, Kind.PALS_CONCERN):
            finished = Case.objects.filter(kind=kind, status__in=FINISHED_STATUSES)
            entries = Entry.objects.filter(case__in=finished).count()
            per_kind[kind] = entries / finished.count()
        assert 8 <= per_kind[Kind.COMPLAINT] <= 20
        assert 3 <= per_kind[Kind.PALS_CONCERN] < per_kind[Kind.COMPLAINT]


class TestReferences:
    def test_references_are_unique_numbered_per_kind_and_year_of_receipt(self, generated):
        numbers = {}
        for reference, kind, received_on in Case.objects.values_list("reference", "kind", "received_on"):
            prefix, year, number = re.fullmatch(r"([A-Z]{3})-(\d{4})-(\d{5})", reference).groups()
            assert prefix == REFERENCE_PREFIX[Kind(kind)]
            assert int(year) == received_on.year
            numbers.setdefault((kind, year), []).append(int(number))
        for found in numbers.values():
            assert sorted(found) == list(range(1, len(found) + 1))

    def test_the_next_case_logged_carries_on_from_the_generated_numbers(self, generated):
        last = (
            Case.objects.filter(kind=Kind.PALS_CONCERN, received_on__year=2026).order_by("-reference").first().reference
        )
        with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC), tick=False):
            logged = make_case(kind=Kind.PALS_CONCERN, received_on=datetime.date(2026, 11, 20))
        assert int(logged.reference.rsplit("-", 1)[1]) == int(last.rsplit("-", 1)[1]) + 1


class TestTheMix:
    def test_every_kind_is_generated(self, generated):
        kinds = Counter(Case.objects.values_list("kind", flat=True))
        assert set(kinds) == set(Kind)
        assert kinds[Kind.PALS_CONCERN] > kinds[Kind.COMPLAINT] > kinds[Kind.MP_LETTER]

    def test_the_cases_follow_the_seasons_the_week_and_the_years(self):
        days = generate.cases_by_day(100_000, until=UNTIL, calendar=working_day_calendar())
        assert sum(count for _, count in days) == 100_000
        by = Counter()
        for day, count in days:
            by[f"month {day.month}"] += count
            by[f"weekday {day.weekday()}"] += count
            by[f"year {day.year}"] += count
        assert by["month 1"] > by["month 8"] * 1.2
        assert by["weekday 0"] > by["weekday 6"] * 5
        assert by["year 2025"] > by["year 2018"]

    def test_staff_grow_with_the_work(self):
        small, large = generate.staff_numbers(10_000), generate.staff_numbers(1_000_000)
        assert large["officers"] > small["officers"] * 10


class TestRefusals:
    def test_it_refuses_a_database_that_already_has_cases(self):
        make_case()
        with pytest.raises(generate.GeneratorCannotRun):
            _generate()

    def test_the_command_refuses_with_debug_off_unless_forced(self, settings):
        settings.DEBUG = False
        with pytest.raises(CommandError, match="--force"):
            call_command("generate_cases", "--cases", "10")
        call_command("generate_cases", "--cases", "10", "--until", UNTIL.isoformat(), "--force")
        assert Case.objects.count() == 10
