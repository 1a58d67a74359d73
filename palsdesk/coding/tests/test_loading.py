"""The national code lists load from the data files: idempotently, audited, and without ever changing an old case."""

import datetime
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding import loading, selectors
from palsdesk.coding.ko41a import CLINICAL_TREATMENT
from palsdesk.coding.models import CaseIssue, Code, Confidence, Taxonomy, TaxonomyKind
from palsdesk.coding.tests.factories import YEAR, add_coded_issue, code, codes_of, write_year

pytestmark = pytest.mark.django_db

D = datetime.date
SHIPPED_LISTS = 8  # six KO41a lists for 2025-26, and HCAT's domains and categories


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 11, 0, tzinfo=datetime.UTC), tick=False)


def counts() -> tuple[int, int]:
    return Taxonomy.objects.count(), Code.objects.count()


def test_the_shipped_files_load_into_an_empty_database_and_again_without_change():
    Code.objects.filter(parent__isnull=False).delete()
    Code.objects.all().delete()
    Taxonomy.objects.all().delete()
    assert counts() == (0, 0)

    first = loading.load_files()
    loaded = counts()
    second = loading.load_files()

    assert loaded == (SHIPPED_LISTS, 3 + 7 + 22 + 11 + 12 + 7 + 3 + 6)
    assert counts() == loaded
    assert all(result.added for result in first)
    assert not any(r.added or r.relabelled or r.disabled or r.enabled for r in second)
    assert Code.objects.filter(disabled_on__isnull=False).count() == 0
    assert AuditEvent.objects.filter(action="taxonomy.loaded").count() == 2 * SHIPPED_LISTS
    categories = Code.objects.filter(taxonomy__kind=TaxonomyKind.HCAT_CATEGORY).select_related("parent")
    assert {c.code: c.parent.code for c in categories}["respect-and-patient-rights"] == "relationships"


def test_the_data_migration_loaded_the_shipped_files():
    assert counts()[0] == SHIPPED_LISTS
    assert code(TaxonomyKind.SUBJECT, CLINICAL_TREATMENT).label == "Clinical treatment"


@pytest.mark.parametrize("path", loading.shipped_files(), ids=lambda path: path.name)
def test_every_shipped_list_says_where_it_comes_from_how_sure_we_are_and_has_an_other_or_unknown_code(path):
    document = loading.read_file(path)
    for entry in document["lists"]:
        assert entry["source"].strip()
        assert entry["confidence"] in Confidence.values
        if entry["kind"] not in (TaxonomyKind.HCAT_DOMAIN, TaxonomyKind.HCAT_CATEGORY):
            assert {"other", "unknown", "age-unknown"} & {item["code"] for item in entry["codes"]}, entry["kind"]


def test_a_new_years_list_never_changes_how_an_old_case_is_coded(tmp_path):
    with at(D(2025, 11, 20)):
        old_case = make_case(kind=Kind.COMPLAINT, received_on=D(2025, 6, 2))
        old_issue = add_coded_issue(old_case, subject="communications", professions=("medical",))
        restrained = add_coded_issue(old_case, subject="restraint")

    def rename_and_retire(document):
        subjects = codes_of(document, "subject")
        next(s for s in subjects if s["code"] == "communications")["label"] = "Communication and information"
        subjects[:] = [s for s in subjects if s["code"] != "restraint"]
        subjects.append({"code": "digital-access", "label": "Digital access", "confidence": "C"})

    with at(D(2027, 6, 14)):
        loading.load_files([write_year(tmp_path, "2027-28", change=rename_and_retire)])
        new_case = make_case(kind=Kind.COMPLAINT, received_on=D(2027, 6, 7))
        new_subjects = selectors.coding_choices(new_case).subjects
        old_subjects = selectors.coding_choices(old_case).subjects

    old_issue = CaseIssue.objects.select_related("subject__taxonomy").get(pk=old_issue.pk)
    assert (old_issue.subject.label, old_issue.subject.taxonomy.collection_year) == ("Communications", YEAR)
    assert CaseIssue.objects.get(pk=restrained.pk).subject.code == "restraint"
    assert code(TaxonomyKind.SUBJECT, "restraint").disabled_on is None
    assert set(old_subjects.values_list("label", flat=True)) >= {"Communications", "Restraint"}
    new_labels = set(new_subjects.values_list("label", flat=True))
    assert {"Communication and information", "Digital access"} <= new_labels
    assert "Restraint" not in new_labels
    assert selectors.coding_year_for(new_case) == "2027-28"
    assert selectors.coding_year_for(old_case) == YEAR


def test_a_code_left_out_of_a_newer_load_of_the_same_year_is_disabled_and_kept(tmp_path):
    case = make_case(kind=Kind.COMPLAINT, received_on=D(2025, 6, 2))
    issue = add_coded_issue(case, subject="restraint")

    def correct(document):
        subjects = codes_of(document, "subject")
        next(s for s in subjects if s["code"] == "staff-numbers")["label"] = "Staff numbers (staffing levels)"
        subjects[:] = [s for s in subjects if s["code"] != "restraint"]

    with at(D(2026, 11, 20)):
        results = loading.load_files([write_year(tmp_path, YEAR, change=correct)])

    subjects = next(r for r in results if r.taxonomy.kind == TaxonomyKind.SUBJECT)
    assert (subjects.disabled, subjects.relabelled) == (
        ["restraint"],
        {"staff-numbers": ["Staff numbers", "Staff numbers (staffing levels)"]},
    )
    assert code(TaxonomyKind.SUBJECT, "restraint").disabled_on == D(2026, 11, 20)
    assert CaseIssue.objects.get(pk=issue.pk).subject.code == "restraint"
    event = AuditEvent.objects.filter(action="taxonomy.loaded", target_id=str(subjects.taxonomy.pk)).first()
    assert event.changes["disabled"] == ["restraint"]
    assert event.context["file"] == f"ko41a-{YEAR}.json"

    with at(D(2026, 11, 23)):
        again = loading.load_files([loading.DATA_DIR / f"ko41a-{YEAR}.json"])
    assert next(r for r in again if r.taxonomy.kind == TaxonomyKind.SUBJECT).enabled == ["restraint"]
    assert code(TaxonomyKind.SUBJECT, "restraint").disabled_on is None


def _broken(change) -> dict:
    document = json.loads((loading.DATA_DIR / f"ko41a-{YEAR}.json").read_text())
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(collection_year="2025/26"), "'collection_year' must be a financial year like 2025-26"),
        (lambda d: d.update(collection="KO41b"), "'collection' must be one of HCAT, KO41a"),
        (lambda d: d["lists"][0].update(kind="ward"), "'kind' must be one of"),
        (lambda d: d["lists"][0].update(source=" "), "say where the list comes from in 'source'"),
        (lambda d: d["lists"][0].update(confidence="X"), "'confidence' must be C, P or U"),
        (lambda d: d["lists"][0]["codes"].append({"code": "other", "label": "Other"}), "'other' appears twice"),
        (lambda d: d["lists"][0]["codes"].append({"code": "Not A Slug", "label": "x"}), "is not a code"),
        (lambda d: d["lists"][0]["codes"].append({"code": "nameless"}), "'nameless' needs a label"),
        (
            lambda d: d["lists"][0]["codes"].pop(3),  # clinical treatment
            "the clinical treatment subject must have the code 'clinical-treatment'",
        ),
        (lambda d: d["lists"].append(dict(d["lists"][0])), "List 'subject' appears twice"),
        (lambda d: d["lists"].append({**d["lists"][1], "kind": "hcat_domain"}), "does not belong in a KO41a file"),
    ],
)
def test_a_file_with_a_mistake_is_refused_saying_what_is_wrong(tmp_path, change, message):
    path = tmp_path / "ko41a-broken.json"
    path.write_text(json.dumps(_broken(change)))
    with pytest.raises(loading.TaxonomyFileError, match=r"ko41a-broken\.json: ") as refusal:
        loading.read_file(path)
    assert message in str(refusal.value)


def test_one_bad_file_loads_nothing(tmp_path):
    good = write_year(tmp_path, "2026-27")
    bad = tmp_path / "ko41a-2027-28.json"
    bad.write_text("{not json")
    before = counts()
    with pytest.raises(loading.TaxonomyFileError, match="not valid JSON"):
        loading.load_files([good, bad])
    assert counts() == before


def test_the_command_loads_the_shipped_files_by_default_and_refuses_a_bad_one(tmp_path):
    out = StringIO()
    call_command("load_taxonomies", stdout=out)
    assert "ko41a-2025-26.json: KO41a subject area 2025-26: 22 codes (no change)" in out.getvalue()
    assert f"Loaded {SHIPPED_LISTS} lists." in out.getvalue()

    call_command("load_taxonomies", str(write_year(tmp_path, "2026-27")), stdout=(out := StringIO()))
    assert "KO41a profession 2026-27: 7 codes (7 added)" in out.getvalue()

    with pytest.raises(CommandError, match=r"missing\.json: no such file"):
        call_command("load_taxonomies", str(tmp_path / "missing.json"), stdout=StringIO())
