"""Writes for coding: a case's issues (aspects), each coded for KO41a and optionally HCAT, and each issue's outcome.

Every change locks the case, bumps its version, stores the case's outcome derived again from its issues
(coding.outcomes), and writes a timeline entry and an audit event, in one transaction. A closed complaint's
coding may be corrected, but a change that leaves it with a new gap is refused (it was complete to close).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, require
from palsdesk.audit import services as audit
from palsdesk.cases import timeline, workflow
from palsdesk.cases.concurrency import lock_for_change
from palsdesk.cases.models import Case, Kind, Outcome, Status, TimelineEntry
from palsdesk.coding import completeness, ko41a, outcomes
from palsdesk.coding.models import (
    KO41A_ISSUE_KINDS,
    CaseIssue,
    Code,
    HcatHarm,
    HcatSeverity,
    LocalSubject,
    TaxonomyKind,
)
from palsdesk.coding.selectors import closing_gap_keys, closing_gaps, coding_year_for
from palsdesk.core.errors import RuleBroken

TEXT_MAX_CHARACTERS = 2_000
# What change_issue may change, and what the audit trail records for an issue.
ISSUE_FIELDS = [
    "description",
    "subject",
    "local_subject",
    "clinical_subcategory",
    "service_area",
    "professions",
    "hcat_category",
    "hcat_severity",
    "hcat_harm",
    "outcome",
    "not_investigated_reason",
]
_SINGLE_CODES = {
    "subject": TaxonomyKind.SUBJECT,
    "clinical_subcategory": TaxonomyKind.CLINICAL_SUBCATEGORY,
    "service_area": TaxonomyKind.SERVICE_AREA,
    "hcat_category": TaxonomyKind.HCAT_CATEGORY,
}
_CODE_LABELS = {
    "subject": "subject",
    "clinical_subcategory": "clinical treatment sub-category",
    "service_area": "service area",
    "professions": "profession",
    "hcat_category": "HCAT category",
}


def _is_closed_complaint(case: Case) -> bool:
    # Closed after its response; a complaint closed as made too late was never investigated or coded.
    return case.kind == Kind.COMPLAINT and case.status == Status.CLOSED and case.responded_on is not None


def _snapshot(issue: CaseIssue, professions: list[Code]) -> dict:
    values = audit.snapshot(issue, [name for name in ISSUE_FIELDS if name != "professions"])
    values["professions"] = sorted(code.label for code in professions)
    return values


def _code_problems(problems: dict, values: dict, before: dict, *, case: Case, existing_year: str | None) -> None:
    """Each code is from its list, still in use if newly chosen, and all of an issue's KO41a codes from one year."""
    today = timezone.localdate()
    chosen = [(name, values[name]) for name in _SINGLE_CODES if values[name] is not None]
    chosen += [("professions", code) for code in values["professions"]]
    fetched = Code.objects.select_related("taxonomy").in_bulk([code.pk for _, code in chosen])
    years = set()
    for name, given in chosen:
        code = fetched.get(given.pk)
        kind = _SINGLE_CODES.get(name, TaxonomyKind.PROFESSION)
        label = _CODE_LABELS[name]
        if code is None or code.taxonomy.kind != kind:
            problems.setdefault(name, []).append(f"Choose a {label} from the {TaxonomyKind(kind).label} list.")
            continue
        is_new_choice = code.pk not in before.get(name, set())
        if is_new_choice and code.disabled_on is not None and code.disabled_on <= today:
            problems.setdefault(name, []).append(f"'{code.label}' is no longer in use. Choose another {label}.")
        if kind in KO41A_ISSUE_KINDS:
            years.add(code.taxonomy.collection_year)
    if len(years) > 1:
        problems.setdefault("subject", []).append(
            f"An issue's KO41a codes must all come from one year's lists, not from {' and '.join(sorted(years))}."
        )
    elif years:
        (year,) = years
        offered = coding_year_for(case)
        if year not in (offered, existing_year):
            problems.setdefault("subject", []).append(
                f"This case is coded with the {offered} lists; these codes are from {year}."
            )


def _resolve_local_subject(problems: dict, values: dict, *, changed: bool, case: Case) -> None:
    """A local subject records its national subject: found by code in the year the case is coded with."""
    local = values["local_subject"]
    if local is None:
        return
    if changed and not local.is_active:
        problems.setdefault("local_subject", []).append(f"'{local}' is no longer in use. Choose another.")
        return
    national_code = local.national_subject.code
    subject = values["subject"]
    if subject is None:
        year = coding_year_for(case)
        subject = Code.objects.filter(
            taxonomy__kind=TaxonomyKind.SUBJECT, taxonomy__collection_year=year, code=national_code
        ).first()
        if subject is None:
            problems.setdefault("local_subject", []).append(
                f"'{local}' maps to the national subject '{local.national_subject}', which the {year} list does "
                "not have. Choose the national subject, and ask an administrator to map the local subject again."
            )
            return
        values["subject"] = subject
    elif subject.code != national_code:
        problems.setdefault("local_subject", []).append(
            f"'{local}' comes under '{local.national_subject}', not '{subject}'. Choose one or the other to match."
        )


def _check_issue(case: Case, values: dict, *, existing: CaseIssue | None, before_codes: dict) -> None:
    """Every rule about one issue's coding; raises ValidationError naming each field at fault."""
    problems: dict[str, list[str]] = {}
    for name in ("description", "not_investigated_reason"):
        if len(values[name]) > TEXT_MAX_CHARACTERS:
            problems.setdefault(name, []).append(f"This must be {TEXT_MAX_CHARACTERS:,} characters or fewer.")
    _resolve_local_subject(
        problems,
        values,
        changed=existing is None or values["local_subject"] != existing.local_subject,
        case=case,
    )
    subject = values["subject"]
    if subject is None and "local_subject" not in problems:
        problems.setdefault("subject", []).append("Choose the subject.")
    existing_year = existing.subject.taxonomy.collection_year if existing is not None else None
    _code_problems(problems, values, before_codes, case=case, existing_year=existing_year)

    # KO41a section 6 breaks down clinical treatment only.
    if subject is not None and "subject" not in problems:
        if subject.code == ko41a.CLINICAL_TREATMENT and values["clinical_subcategory"] is None:
            problems.setdefault("clinical_subcategory", []).append("Choose the clinical treatment sub-category.")
        elif subject.code != ko41a.CLINICAL_TREATMENT and values["clinical_subcategory"] is not None:
            problems.setdefault("clinical_subcategory", []).append(
                "Only clinical treatment has a sub-category: remove it, or make the subject clinical treatment."
            )
    if values["service_area"] is None:
        problems.setdefault("service_area", []).append("Choose the service area.")
    if case.kind in completeness.KINDS_NEEDING_PROFESSIONS and not values["professions"]:
        problems.setdefault("professions", []).append("Choose at least one profession.")
    _check_hcat(problems, values)
    _check_outcome(problems, values, kind=case.kind)
    if problems:
        raise ValidationError(problems)


def _check_hcat(problems: dict, values: dict) -> None:
    category, severity, harm = values["hcat_category"], values["hcat_severity"], values["hcat_harm"]
    if category is None:
        if severity is not None:
            problems.setdefault("hcat_severity", []).append("Choose the HCAT category this severity is for.")
        if harm is not None:
            problems.setdefault("hcat_harm", []).append("Choose the HCAT category before the harm.")
        return
    if severity is None:
        problems.setdefault("hcat_severity", []).append("Give the HCAT severity, from 1 (low) to 3 (high).")
    elif severity == HcatSeverity.NOT_PRESENT:
        problems.setdefault("hcat_severity", []).append(
            "A severity of 0 means the problem is not present: remove the HCAT category instead."
        )
    elif severity not in HcatSeverity.values:
        problems.setdefault("hcat_severity", []).append("The HCAT severity runs from 1 (low) to 3 (high).")
    if harm is not None and harm not in HcatHarm.values:
        problems.setdefault("hcat_harm", []).append("HCAT harm runs from 0 (no harm reported) to 5 (catastrophic).")


def _check_outcome(problems: dict, values: dict, *, kind: str) -> None:
    outcome, reason = values["outcome"], values["not_investigated_reason"]
    if outcome and kind not in completeness.KINDS_WITH_OUTCOMES:
        problems.setdefault("outcome", []).append(
            f"{workflow.with_article(kind, capital=True)} has no outcome: outcomes are for complaints and MP letters."
        )
    elif outcome and outcome not in Outcome.values:
        problems.setdefault("outcome", []).append("Choose upheld, partially upheld, not upheld or not investigated.")
    elif outcome == Outcome.NOT_INVESTIGATED and not reason:
        problems.setdefault("not_investigated_reason", []).append("Say why this issue was not investigated.")
    elif reason and outcome != Outcome.NOT_INVESTIGATED:
        problems.setdefault("not_investigated_reason", []).append(
            "Only an issue that was not investigated has a reason for it."
        )


def _clean(values: dict) -> dict:
    for name in ("description", "outcome", "not_investigated_reason"):
        values[name] = (values[name] or "").strip()
    unique = {}
    for code in values["professions"] or []:
        unique.setdefault(code.pk, code)
    values["professions"] = list(unique.values())
    return values


def _refresh_outcome(case: Case) -> str:
    """Store the case's outcome derived from its issues (KO41a); return the one it had."""
    before = case.outcome
    case.outcome = outcomes.case_outcome(CaseIssue.objects.filter(case=case).values_list("outcome", flat=True))
    return before


def _refuse_new_gaps_on_a_closed_complaint(case: Case, before: set) -> None:
    if closing_gap_keys(case) - before:
        raise RuleBroken(
            f"{case.reference} is closed, so its coding can be corrected but not left incomplete. "
            + " ".join(closing_gaps(case))
        )


def _outcome_sentence(case: Case, previous: str) -> str:
    if case.outcome == previous:
        return ""
    if not case.outcome:
        return " The case has no outcome until each issue has one."
    label = Outcome(case.outcome).label.lower()
    return f" The case is now {label}." if previous else f" The case is {label}."


def _describe_codes(issue: CaseIssue, professions: list[Code]) -> str:
    parts = [issue.subject.label]
    if issue.local_subject_id:
        parts[0] += f" ({issue.local_subject})"
    if issue.clinical_subcategory_id:
        parts.append(f"sub-category {issue.clinical_subcategory.label}")
    if issue.service_area_id:
        parts.append(f"service area {issue.service_area.label}")
    if professions:
        parts.append(
            f"{'professions' if len(professions) > 1 else 'profession'} {', '.join(p.label for p in professions)}"
        )
    if issue.hcat_category_id:
        parts.append(f"HCAT {issue.hcat_category.label}, severity {issue.hcat_severity}")
    return "; ".join(parts)


def _describe_outcome(issue: CaseIssue) -> str:
    if not issue.outcome:
        return ""
    text = f" Outcome: {Outcome(issue.outcome).label.lower()}."
    if issue.not_investigated_reason:
        text += f" Not investigated because: {issue.not_investigated_reason}"
    return text


def _finish(case: Case, *, actor, previous_outcome: str, gaps_before: set | None, body: str) -> str:
    """The case-row side of every coding change: its outcome, the closed-complaint rule, version and timeline."""
    if gaps_before is not None:
        _refuse_new_gaps_on_a_closed_complaint(case, gaps_before)
    body += _outcome_sentence(case, previous_outcome)
    case.version += 1
    case.modified_by = actor
    case.save()
    timeline.add_entry(case, kind=TimelineEntry.EntryKind.CODING, body=body, actor=actor)
    return body


@transaction.atomic
def add_issue(
    case: Case,
    *,
    actor,
    subject: Code | None = None,
    local_subject: LocalSubject | None = None,
    service_area: Code | None = None,
    professions: list[Code] | tuple = (),
    clinical_subcategory: Code | None = None,
    description: str = "",
    hcat_category: Code | None = None,
    hcat_severity: int | None = None,
    hcat_harm: int | None = None,
    outcome: str = "",
    not_investigated_reason: str = "",
    expected_version: int | None = None,
) -> CaseIssue:
    """Add an issue (an aspect of the case) with its codes; a local subject brings its national subject."""
    case = lock_for_change(case, expected_version)
    require(actor, Permission.CODE_CASES, "code cases")
    if outcome:
        require(actor, Permission.RECORD_OUTCOMES, "record outcomes")
    values = _clean(
        {
            "description": description,
            "subject": subject,
            "local_subject": local_subject,
            "clinical_subcategory": clinical_subcategory,
            "service_area": service_area,
            "professions": list(professions or []),
            "hcat_category": hcat_category,
            "hcat_severity": hcat_severity,
            "hcat_harm": hcat_harm,
            "outcome": outcome,
            "not_investigated_reason": not_investigated_reason,
        }
    )
    _check_issue(case, values, existing=None, before_codes={})
    gaps_before = closing_gap_keys(case) if _is_closed_complaint(case) else None
    number = (CaseIssue.objects.filter(case=case).order_by("-order").values_list("order", flat=True).first() or 0) + 1
    professions = values.pop("professions")
    issue = CaseIssue.objects.create(case=case, order=number, created_by=actor, modified_by=actor, **values)
    issue.professions.set(professions)
    previous_outcome = _refresh_outcome(case)
    body = f"Issue {number} added: {_describe_codes(issue, professions)}.{_describe_outcome(issue)}"
    _finish(case, actor=actor, previous_outcome=previous_outcome, gaps_before=gaps_before, body=body)
    audit.record(
        actor=actor,
        action="case.issue_added",
        target=issue,
        case=case,
        changes={
            **{
                name: [None, value]
                for name, value in _snapshot(issue, professions).items()
                if value not in (None, "", [])
            },
            **_case_outcome_change(case, previous_outcome),
        },
    )
    return issue


def _case_outcome_change(case: Case, previous: str) -> dict:
    return {"case_outcome": [previous, case.outcome]} if case.outcome != previous else {}


def _locked_issue(issue: CaseIssue, expected_version: int | None) -> tuple[Case, CaseIssue]:
    case = lock_for_change(issue.case, expected_version)
    issue = (
        CaseIssue.objects.select_related(
            "subject__taxonomy",
            "local_subject__national_subject",
            "clinical_subcategory",
            "service_area",
            "hcat_category",
        )
        .prefetch_related("professions")
        .get(pk=issue.pk, case=case)
    )
    return case, issue


@transaction.atomic
def change_issue(issue: CaseIssue, *, actor, expected_version: int | None = None, **changes) -> CaseIssue:
    """Change an issue's description, codes or outcome (ISSUE_FIELDS). Fields left out keep their values."""
    case, issue = _locked_issue(issue, expected_version)
    require(actor, Permission.CODE_CASES, "code cases")
    unknown = set(changes) - set(ISSUE_FIELDS)
    if unknown:
        raise ValidationError({name: ["This cannot be changed here."] for name in sorted(unknown)})
    if "outcome" in changes or "not_investigated_reason" in changes:
        require(actor, Permission.RECORD_OUTCOMES, "record outcomes")
    old_professions = list(issue.professions.all())
    values = {name: getattr(issue, name) for name in ISSUE_FIELDS if name != "professions"}
    values["professions"] = old_professions
    # A new outcome other than "not investigated" drops the old reason, unless a reason is given with it.
    if changes.get("outcome", Outcome.NOT_INVESTIGATED) != Outcome.NOT_INVESTIGATED:
        changes.setdefault("not_investigated_reason", "")
    # A new national subject without a local one drops a local subject it no longer matches.
    new_subject = changes.get("subject")
    if (
        "subject" in changes
        and "local_subject" not in changes
        and issue.local_subject_id
        and (new_subject is None or new_subject.code != issue.local_subject.national_subject.code)
    ):
        changes["local_subject"] = None
    values.update(changes)
    values = _clean(values)
    before_codes = {name: {getattr(issue, f"{name}_id")} for name in _SINGLE_CODES}
    before_codes["professions"] = {code.pk for code in old_professions}
    _check_issue(case, values, existing=issue, before_codes=before_codes)
    before = _snapshot(issue, old_professions)
    gaps_before = closing_gap_keys(case) if _is_closed_complaint(case) else None

    professions = values.pop("professions")
    for name, value in values.items():
        setattr(issue, name, value)
    issue.modified_by = actor
    issue.save()
    if {code.pk for code in professions} != before_codes["professions"]:
        issue.professions.set(professions)
    after = _snapshot(issue, professions)
    diff = audit.changes_between(before, after)
    if not diff:
        return issue
    previous_outcome = _refresh_outcome(case)
    labels = [_CODE_LABELS.get(name, name.replace("_", " ")) for name in diff]
    body = f"Issue {issue.order} ({issue.subject.label}) changed: {', '.join(labels)}."
    if "outcome" in diff or "not_investigated_reason" in diff:
        body += _describe_outcome(issue) or " Outcome cleared."
    _finish(case, actor=actor, previous_outcome=previous_outcome, gaps_before=gaps_before, body=body)
    audit.record(
        actor=actor,
        action="case.issue_changed",
        target=issue,
        case=case,
        changes={**diff, **_case_outcome_change(case, previous_outcome)},
    )
    return issue


@transaction.atomic
def record_issue_outcome(
    issue: CaseIssue,
    *,
    outcome: str,
    actor,
    not_investigated_reason: str = "",
    expected_version: int | None = None,
) -> CaseIssue:
    """Record what the investigation found on one issue; the case's outcome follows from all of them."""
    case, issue = _locked_issue(issue, expected_version)
    require(actor, Permission.RECORD_OUTCOMES, "record outcomes")
    values = {"outcome": (outcome or "").strip(), "not_investigated_reason": (not_investigated_reason or "").strip()}
    problems: dict[str, list[str]] = {}
    if not values["outcome"]:
        problems["outcome"] = ["Choose upheld, partially upheld, not upheld or not investigated."]
    else:
        _check_outcome(problems, values, kind=case.kind)
    if len(values["not_investigated_reason"]) > TEXT_MAX_CHARACTERS:
        problems.setdefault("not_investigated_reason", []).append(
            f"This must be {TEXT_MAX_CHARACTERS:,} characters or fewer."
        )
    if problems:
        raise ValidationError(problems)
    before = {"outcome": issue.outcome, "not_investigated_reason": issue.not_investigated_reason}
    if before == values:
        return issue
    issue.outcome = values["outcome"]
    issue.not_investigated_reason = values["not_investigated_reason"]
    issue.modified_by = actor
    issue.save(update_fields=["outcome", "not_investigated_reason", "modified_by", "modified_at"])
    previous_outcome = _refresh_outcome(case)
    body = f"Issue {issue.order} ({issue.subject.label}):{_describe_outcome(issue).removeprefix(' Outcome:')}"
    _finish(case, actor=actor, previous_outcome=previous_outcome, gaps_before=None, body=body)
    audit.record(
        actor=actor,
        action="case.issue_outcome_recorded",
        target=issue,
        case=case,
        changes={**audit.changes_between(before, values), **_case_outcome_change(case, previous_outcome)},
    )
    return issue


@transaction.atomic
def remove_issue(issue: CaseIssue, *, actor, expected_version: int | None = None) -> Case:
    """Remove an issue recorded in error; the later issues are numbered down to close the gap."""
    case, issue = _locked_issue(issue, expected_version)
    require(actor, Permission.CODE_CASES, "code cases")
    gaps_before = closing_gap_keys(case) if _is_closed_complaint(case) else None
    before = _snapshot(issue, list(issue.professions.all()))
    number, subject = issue.order, issue.subject.label
    target_label, target_pk = str(issue), issue.pk
    issue.delete()
    CaseIssue.objects.filter(case=case, order__gt=number).update(order=F("order") - 1)
    previous_outcome = _refresh_outcome(case)
    body = f"Issue {number} removed: {subject}."
    _finish(case, actor=actor, previous_outcome=previous_outcome, gaps_before=gaps_before, body=body)
    issue.pk = target_pk
    audit.record(
        actor=actor,
        action="case.issue_removed",
        target=issue,
        case=case,
        changes={
            **{name: [value, None] for name, value in before.items() if value not in (None, "", [])},
            **_case_outcome_change(case, previous_outcome),
        },
        context={"issue": target_label},
    )
    return case
