"""Codes from the shipped lists (loaded by a data migration), issues coded through the services, other years' files."""

import json
from pathlib import Path

from palsdesk.cases.models import Outcome
from palsdesk.coding import loading, services
from palsdesk.coding.models import CaseIssue, Code, LocalSubject, TaxonomyKind

YEAR = "2025-26"


def code(kind: str, value: str, *, year: str = YEAR) -> Code:
    """A code by its list, its slug and its year: code("subject", "communications")."""
    edition = "2016" if kind in (TaxonomyKind.HCAT_DOMAIN, TaxonomyKind.HCAT_CATEGORY) else year
    return Code.objects.select_related("taxonomy").get(
        taxonomy__kind=kind, taxonomy__collection_year=edition, code=value
    )


def add_coded_issue(
    case,
    *,
    actor=None,
    subject: str = "communications",
    clinical_subcategory: str | None = None,
    service_area: str = "acute-outpatient",
    professions: tuple[str, ...] = ("medical",),
    outcome: str = "",
    not_investigated_reason: str = "",
    year: str = YEAR,
    **values,
) -> CaseIssue:
    """An issue with complete KO41a coding from the year's lists, added through coding.services.add_issue."""
    return services.add_issue(
        case,
        actor=actor or case.created_by,
        subject=code(TaxonomyKind.SUBJECT, subject, year=year),
        clinical_subcategory=(
            code(TaxonomyKind.CLINICAL_SUBCATEGORY, clinical_subcategory, year=year) if clinical_subcategory else None
        ),
        service_area=code(TaxonomyKind.SERVICE_AREA, service_area, year=year),
        professions=[code(TaxonomyKind.PROFESSION, value, year=year) for value in professions],
        outcome=outcome,
        not_investigated_reason=not_investigated_reason,
        **values,
    )


def code_for_closing(case, *, actor=None, outcome: str = Outcome.UPHELD) -> CaseIssue:
    """Give a complaint what closing needs: one issue, fully coded, with an outcome."""
    return add_coded_issue(case, actor=actor, outcome=outcome)


def local_subject(name: str = "Discharge letters", *, national: str = "communications", year: str = YEAR):
    return LocalSubject.objects.create(name=name, national_subject=code(TaxonomyKind.SUBJECT, national, year=year))


def write_year(folder: Path, year: str, *, change=None) -> Path:
    """A copy of the shipped KO41a file for another collection year, changed by change(document) if given."""
    document = json.loads((loading.DATA_DIR / f"ko41a-{YEAR}.json").read_text())
    document["collection_year"] = year
    if change is not None:
        change(document)
    path = Path(folder) / f"ko41a-{year}.json"
    path.write_text(json.dumps(document))
    return path


def codes_of(document: dict, kind: str) -> list[dict]:
    return next(entry for entry in document["lists"] if entry["kind"] == kind)["codes"]
