"""Loading the national code lists from the data files in palsdesk/coding/data/ (one per KO41a year, one for HCAT).

A load is idempotent: it adds new codes, updates labels and order, and never deletes. A code that a
newer version of the same year's file leaves out is disabled from the day of the load, so the cases
that use it keep it. A new collection year is a new file: its codes are new rows, so loading it never
changes how an earlier year's cases are coded.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from palsdesk.audit import services as audit
from palsdesk.coding.ko41a import CLINICAL_TREATMENT, is_collection_year
from palsdesk.coding.models import HCAT_KINDS, Code, Confidence, Taxonomy, TaxonomyKind

DATA_DIR = Path(__file__).resolve().parent / "data"
COLLECTIONS = {"KO41a", "HCAT"}
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_EDITION = re.compile(r"^\d{4}$")


class TaxonomyFileError(Exception):
    """A data file that cannot be loaded; the message names the file and what is wrong with it."""


@dataclass
class ListLoaded:
    """What loading one list did."""

    taxonomy: Any
    file_name: str
    is_new: bool
    codes: int
    added: list[str] = field(default_factory=list)
    relabelled: dict[str, list[str]] = field(default_factory=dict)
    disabled: list[str] = field(default_factory=list)
    enabled: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """'KO41a subject area 2025-26: 22 codes (22 added)' for the command's output."""
        counts = [
            f"{len(values)} {name}"
            for name, values in (
                ("added", self.added),
                ("relabelled", self.relabelled),
                ("disabled", self.disabled),
                ("enabled again", self.enabled),
            )
            if values
        ]
        label = TaxonomyKind(self.taxonomy.kind).label
        return f"{label} {self.taxonomy.collection_year}: {self.codes} codes ({', '.join(counts) or 'no change'})"


def shipped_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.json"))


def read_file(path: Path) -> dict:
    """The file's document, checked; TaxonomyFileError says what is wrong."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyFileError(f"{path}: no such file.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise TaxonomyFileError(f"{path.name}: not valid JSON ({error}).") from None
    problems = _problems(document)
    if problems:
        raise TaxonomyFileError(f"{path.name}: " + " ".join(problems))
    return document


def _problems(document: Any) -> list[str]:
    if not isinstance(document, dict):
        return ["The file must hold one JSON object."]
    problems = []
    collection, year = document.get("collection"), document.get("collection_year")
    if collection not in COLLECTIONS:
        problems.append(f"'collection' must be one of {', '.join(sorted(COLLECTIONS))}.")
    elif collection == "KO41a" and not is_collection_year(str(year)):
        problems.append(f"'collection_year' must be a financial year like 2025-26, not {year!r}.")
    elif collection == "HCAT" and not _EDITION.match(str(year)):
        problems.append(f"'collection_year' of HCAT is its edition's year, like 2016, not {year!r}.")
    lists = document.get("lists")
    if not isinstance(lists, list) or not lists:
        return [*problems, "'lists' must be a non-empty list."]
    seen_kinds: dict[str, set[str]] = {}
    for number, entry in enumerate(lists, start=1):
        where = f"List {number}"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be an object.")
            continue
        kind = entry.get("kind")
        if kind not in TaxonomyKind.values:
            problems.append(f"{where}: 'kind' must be one of {', '.join(TaxonomyKind.values)}.")
            continue
        where = f"List '{kind}'"
        if (kind in HCAT_KINDS) != (collection == "HCAT"):
            problems.append(f"{where} does not belong in a {collection} file.")
        if kind in seen_kinds:
            problems.append(f"{where} appears twice.")
        if entry.get("confidence") not in Confidence.values:
            problems.append(f"{where}: 'confidence' must be C, P or U.")
        if not str(entry.get("source") or "").strip():
            problems.append(f"{where}: say where the list comes from in 'source'.")
        parent_kind = entry.get("parent_kind")
        if parent_kind is not None and parent_kind not in seen_kinds:
            problems.append(f"{where}: its parent list '{parent_kind}' must come before it in the file.")
        codes = entry.get("codes")
        if not isinstance(codes, list) or not codes:
            problems.append(f"{where}: 'codes' must be a non-empty list.")
            continue
        seen_codes: set[str] = set()
        for item in codes:
            problems.extend(_code_problems(where, item, seen_codes, parent_codes=seen_kinds.get(parent_kind)))
        if kind == TaxonomyKind.SUBJECT and CLINICAL_TREATMENT not in seen_codes:
            problems.append(f"{where}: the clinical treatment subject must have the code '{CLINICAL_TREATMENT}'.")
        seen_kinds[kind] = seen_codes
    return problems


def _code_problems(where: str, item: Any, seen: set[str], *, parent_codes: set[str] | None) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where}: each code must be an object."]
    code, label = item.get("code"), item.get("label")
    problems = []
    if not isinstance(code, str) or not _SLUG.match(code) or len(code) > 60:
        problems.append(f"{where}: {code!r} is not a code (lower-case letters, digits and hyphens, up to 60).")
    elif code in seen:
        problems.append(f"{where}: the code '{code}' appears twice.")
    else:
        seen.add(code)
    if not isinstance(label, str) or not label.strip() or len(label) > 200:
        problems.append(f"{where}: '{code}' needs a label of up to 200 characters.")
    if item.get("confidence", "") not in ("", *Confidence.values):
        problems.append(f"{where}: '{code}' has a confidence other than C, P or U.")
    parent = item.get("parent")
    if parent is not None and (parent_codes is None or parent not in parent_codes):
        problems.append(f"{where}: '{code}' has the parent '{parent}', which its parent list does not hold.")
    for name in ("age_from_years", "age_to_years"):
        value = item.get(name)
        if value is not None and (not isinstance(value, int) or not 0 <= value <= 150):
            problems.append(f"{where}: '{code}' has {name} {value!r}; use a whole number from 0 to 150.")
    return problems


def apply_document(
    document: dict,
    *,
    file_name: str,
    now: datetime.datetime,
    taxonomy_model=Taxonomy,
    code_model=Code,
) -> list[ListLoaded]:
    """Bring the database in line with a checked document. No transaction and no audit: load_files adds both.

    The models are parameters so that the data migration can pass its historical ones.
    """
    year = document["collection_year"]
    today = timezone.localdate(now)
    loaded: list[ListLoaded] = []
    codes_of_kind: dict[str, dict[str, Any]] = {}
    for entry in document["lists"]:
        taxonomy, is_new = taxonomy_model.objects.get_or_create(
            kind=entry["kind"],
            collection_year=year,
            defaults={"source": entry["source"], "confidence": entry["confidence"], "loaded_at": now},
        )
        taxonomy.source = entry["source"].strip()
        taxonomy.confidence = entry["confidence"]
        taxonomy.note = (entry.get("note") or "").strip()
        taxonomy.loaded_from = file_name
        taxonomy.loaded_at = now
        taxonomy.save()
        result = ListLoaded(taxonomy=taxonomy, file_name=file_name, is_new=is_new, codes=len(entry["codes"]))
        existing = {code.code: code for code in code_model.objects.filter(taxonomy=taxonomy)}
        parents = codes_of_kind.get(entry.get("parent_kind"), {})
        to_create, to_update = [], []
        for order, item in enumerate(entry["codes"], start=1):
            values = {
                "label": item["label"].strip(),
                "order": order,
                "confidence": item.get("confidence", ""),
                "parent_id": parents[item["parent"]].pk if item.get("parent") else None,
                "age_from_years": item.get("age_from_years"),
                "age_to_years": item.get("age_to_years"),
            }
            code = existing.pop(item["code"], None)
            if code is None:
                to_create.append(code_model(taxonomy=taxonomy, code=item["code"], **values))
                result.added.append(item["code"])
                continue
            if code.label != values["label"]:
                result.relabelled[code.code] = [code.label, values["label"]]
            changed = [name for name, value in values.items() if getattr(code, name) != value]
            if code.disabled_on is not None:
                code.disabled_on = None
                changed.append("disabled_on")
                result.enabled.append(code.code)
            for name in changed:
                if name != "disabled_on":
                    setattr(code, name, values[name])
            if changed:
                to_update.append(code)
        for code in existing.values():
            if code.disabled_on is None or code.disabled_on > today:
                code.disabled_on = today
                to_update.append(code)
                result.disabled.append(code.code)
        code_model.objects.bulk_create(to_create)
        if to_update:
            code_model.objects.bulk_update(
                to_update,
                ["label", "order", "confidence", "parent_id", "age_from_years", "age_to_years", "disabled_on"],
            )
        codes_of_kind[entry["kind"]] = {code.code: code for code in code_model.objects.filter(taxonomy=taxonomy)}
        loaded.append(result)
    return loaded


@transaction.atomic
def load_files(paths: list[Path] | None = None, *, actor=None) -> list[ListLoaded]:
    """Load the files (every shipped one by default) in one transaction, one audit event per list loaded."""
    paths = [Path(p) for p in paths] if paths else shipped_files()
    documents = [(path.name, read_file(path)) for path in paths]  # every file checked before anything is written
    now = timezone.now()
    results = []
    for file_name, document in documents:
        for result in apply_document(document, file_name=file_name, now=now):
            changes = {
                name: value
                for name, value in (
                    ("added", result.added),
                    ("relabelled", result.relabelled),
                    ("disabled", result.disabled),
                    ("enabled", result.enabled),
                )
                if value
            }
            audit.record(
                actor=actor,
                action="taxonomy.loaded",
                target=result.taxonomy,
                changes=changes,
                context={"file": file_name, "codes": result.codes, "source": result.taxonomy.source},
            )
            results.append(result)
    return results
