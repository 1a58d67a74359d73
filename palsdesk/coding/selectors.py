"""Reads for coding: the codes offered for a case, its issues, what closing still needs, and the data quality list."""

import enum
from dataclasses import dataclass, field

from django.db.models import Case as CaseWhen
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from palsdesk.cases.models import Case, Kind, Outcome, Status
from palsdesk.coding import completeness, ko41a, outcomes
from palsdesk.coding.models import CaseIssue, Code, LocalSubject, Taxonomy, TaxonomyKind
from palsdesk.people.models import CaseParty, PartyRole

# --- The codes offered ----------------------------------------------------------------------------


def coding_year_for(case: Case) -> str | None:
    """The KO41a year whose lists code the case's issues: its received date's, or the nearest loaded one."""
    loaded = Taxonomy.objects.filter(kind=TaxonomyKind.SUBJECT).values_list("collection_year", flat=True)
    return ko41a.coding_year(ko41a.collection_year(case.received_on), loaded)


@dataclass
class CodingChoices:
    """The codes a form offers for an issue on one case (each a queryset of active codes, in the list's order)."""

    collection_year: str | None
    subjects: QuerySet[Code]
    clinical_subcategories: QuerySet[Code]
    service_areas: QuerySet[Code]
    professions: QuerySet[Code]
    local_subjects: QuerySet[LocalSubject]
    hcat_categories: QuerySet[Code]


def _active_codes(kind: str, year: str | None) -> QuerySet[Code]:
    codes = Code.objects.active().filter(taxonomy__kind=kind).select_related("taxonomy").order_by("order", "label")
    return codes.filter(taxonomy__collection_year=year) if year else codes.none()


def latest_hcat_edition() -> str | None:
    return (
        Taxonomy.objects.filter(kind=TaxonomyKind.HCAT_CATEGORY)
        .order_by("-collection_year")
        .values_list("collection_year", flat=True)
        .first()
    )


def coding_choices(case: Case) -> CodingChoices:
    """What an issue on this case may be coded with: its collection year's KO41a lists and the latest HCAT."""
    year = coding_year_for(case)
    subject_codes = _active_codes(TaxonomyKind.SUBJECT, year).values("code")
    return CodingChoices(
        collection_year=year,
        subjects=_active_codes(TaxonomyKind.SUBJECT, year),
        clinical_subcategories=_active_codes(TaxonomyKind.CLINICAL_SUBCATEGORY, year),
        service_areas=_active_codes(TaxonomyKind.SERVICE_AREA, year),
        professions=_active_codes(TaxonomyKind.PROFESSION, year),
        # A local subject maps by its national subject's code, so it is offered while that year's list has the code.
        local_subjects=LocalSubject.objects.active()
        .filter(national_subject__code__in=subject_codes)
        .select_related("national_subject"),
        hcat_categories=_active_codes(TaxonomyKind.HCAT_CATEGORY, latest_hcat_edition()).select_related("parent"),
    )


# --- A case's issues ------------------------------------------------------------------------------

_ISSUE_RELATED = (
    "subject__taxonomy",
    "clinical_subcategory",
    "local_subject",
    "service_area",
    "hcat_category__parent",
)


def issues_queryset() -> QuerySet[CaseIssue]:
    return CaseIssue.objects.select_related(*_ISSUE_RELATED).prefetch_related("professions").order_by("order", "id")


def issues_prefetch() -> Prefetch:
    """For a case page: prefetch_related(issues_prefetch()) fetches the issues and their codes in two queries."""
    return Prefetch("issues", queryset=issues_queryset())


def issues_of(case: Case) -> list[CaseIssue]:
    """The case's issues in order, with every code, from the prefetch if there is one."""
    prefetched = getattr(case, "_prefetched_objects_cache", {}).get("issues")
    if prefetched is not None:
        return list(prefetched)
    return list(issues_queryset().filter(case=case))


def issue_facts(issue: CaseIssue) -> completeness.IssueFacts:
    """The issue as the completeness rules see it. Uses the prefetched professions, or a profession_count annotation."""
    count = getattr(issue, "profession_count", None)
    return completeness.IssueFacts(
        key=issue.pk,
        number=issue.order,
        subject=issue.subject.label,
        is_clinical_treatment=issue.subject.code == ko41a.CLINICAL_TREATMENT,
        has_clinical_subcategory=issue.clinical_subcategory_id is not None,
        has_service_area=issue.service_area_id is not None,
        profession_count=count if count is not None else len(issue.professions.all()),
        outcome=issue.outcome,
        not_investigated_reason=issue.not_investigated_reason,
    )


def _facts_for_closing(case: Case) -> list[completeness.IssueFacts]:
    prefetched = getattr(case, "_prefetched_objects_cache", {}).get("issues")
    if prefetched is not None:
        return [issue_facts(issue) for issue in prefetched]
    issues = (
        CaseIssue.objects.filter(case=case)
        .select_related("subject")
        .annotate(profession_count=Count("professions"))
        .order_by("order", "id")
    )
    return [issue_facts(issue) for issue in issues]


def closing_gaps(case: Case) -> list[str]:
    """What a complaint still needs before it can be closed, one line each ("Issue 2 (Communications): no outcome.").

    Empty when it can be closed. One query, or none when the issues are prefetched (issues_prefetch()).
    """
    return completeness.closing_gaps(case.kind, _facts_for_closing(case))


def closing_refusal(case: Case) -> str | None:
    """The closing guard's message (cases.guards, "coding_complete"): every gap in one message, or None."""
    return completeness.closing_refusal(case.kind, _facts_for_closing(case))


def closing_gap_keys(case: Case) -> set[tuple[int, str]]:
    return completeness.closing_gap_keys(case.kind, _facts_for_closing(case))


# --- The data quality list ------------------------------------------------------------------------


class GapKind(enum.StrEnum):
    CLOSED_WITHOUT_OUTCOME = "closed_without_outcome"
    NO_ISSUES = "no_issues"
    NO_SERVICE_AREA = "no_service_area"
    NO_PROFESSION = "no_profession"
    NO_CLINICAL_SUBCATEGORY = "no_clinical_subcategory"
    NO_REASON = "not_investigated_without_reason"
    OUTCOME_INCONSISTENT = "outcome_inconsistent"
    PATIENT_AGE_UNKNOWN = "patient_age_unknown"
    NO_SUBJECT = "no_subject"


_ISSUE_GAP_KINDS = {
    completeness.NO_SERVICE_AREA: GapKind.NO_SERVICE_AREA,
    completeness.NO_PROFESSION: GapKind.NO_PROFESSION,
    completeness.NO_SUBCATEGORY: GapKind.NO_CLINICAL_SUBCATEGORY,
    completeness.NO_REASON: GapKind.NO_REASON,
}


@dataclass(frozen=True)
class CodingGap:
    kind: GapKind
    message: str


@dataclass
class CaseCodingGaps:
    case: Case
    gaps: list[CodingGap] = field(default_factory=list)


# A complaint on its way through the pathway, or closed after its response, is counted by KO41a and must be
# coded. One just received (3 working days to acknowledge), withdrawn, or closed as made too late is not asked for.
_COMPLAINT_TO_CODE = (
    Q(kind=Kind.COMPLAINT)
    & ~Q(status__in=[Status.RECEIVED, Status.WITHDRAWN])
    & ~Q(status=Status.CLOSED, responded_on__isnull=True)
)
_CLOSED_AFTER_RESPONSE = Q(kind=Kind.COMPLAINT, status=Status.CLOSED, responded_on__isnull=False)
FINISHED_PALS_STATUSES = (Status.RESOLVED, Status.CLOSED)
_PALS_FINISHED = Q(kind__in=[Kind.PALS_CONCERN, Kind.COMPLIMENT], status__in=FINISHED_PALS_STATUSES)


def derived_outcome() -> Coalesce:
    """coding.outcomes.case_outcome, in SQL: one correlated subquery per case."""
    per_case = (
        CaseIssue.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(
            pending=Count("pk", filter=~Q(outcome__in=outcomes.OUTCOMES)),
            investigated=Count("pk", filter=Q(outcome__in=outcomes.INVESTIGATED)),
            upheld=Count("pk", filter=Q(outcome=Outcome.UPHELD)),
            not_upheld=Count("pk", filter=Q(outcome=Outcome.NOT_UPHELD)),
        )
        .annotate(
            derived=CaseWhen(
                When(pending__gt=0, then=Value("")),
                When(investigated=0, then=Value(Outcome.NOT_INVESTIGATED.value)),
                When(upheld=F("investigated"), then=Value(Outcome.UPHELD.value)),
                When(not_upheld=F("investigated"), then=Value(Outcome.NOT_UPHELD.value)),
                default=Value(Outcome.PARTIALLY_UPHELD.value),
                output_field=CharField(),
            )
        )
        .values("derived")
    )
    return Coalesce(Subquery(per_case), Value(""), output_field=CharField())


def _with_gap_flags(cases: QuerySet[Case]) -> QuerySet[Case]:
    issues = CaseIssue.objects.filter(case=OuterRef("pk"))
    dated_patient = CaseParty.objects.filter(
        case=OuterRef("pk"), role=PartyRole.PATIENT, person__date_of_birth__isnull=False
    )
    return cases.annotate(
        derived_outcome=derived_outcome(),
        has_issues=Exists(issues),
        has_issue_without_service_area=Exists(issues.filter(service_area__isnull=True)),
        has_issue_without_profession=Exists(issues.filter(professions__isnull=True)),
        has_clinical_issue_without_subcategory=Exists(
            issues.filter(subject__code=ko41a.CLINICAL_TREATMENT, clinical_subcategory__isnull=True)
        ),
        has_issue_not_investigated_without_reason=Exists(
            issues.filter(outcome=Outcome.NOT_INVESTIGATED, not_investigated_reason="")
        ),
        has_patient_date_of_birth=Exists(dated_patient),
    )


_HAS_A_GAP = (
    (_CLOSED_AFTER_RESPONSE & Q(outcome=""))
    | (_COMPLAINT_TO_CODE & Q(has_issues=False))
    | Q(has_issue_without_service_area=True)
    | Q(kind=Kind.COMPLAINT, has_issue_without_profession=True)
    | Q(has_clinical_issue_without_subcategory=True)
    | Q(has_issue_not_investigated_without_reason=True)
    | ~Q(outcome=F("derived_outcome"))
    | (_COMPLAINT_TO_CODE & Q(has_patient_date_of_birth=False))
    | (_PALS_FINISHED & Q(has_issues=False))
)


def cases_with_coding_gaps(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases among `cases` with missing or inconsistent coding, by division, oldest first: for paging.

    Start from cases_visible_to(user). Every test is SQL, so a page of the result costs the same
    three queries (cases, issues, professions) however many cases there are; gaps_of(case) says what is wrong.
    """
    return (
        _with_gap_flags(cases)
        .filter(_HAS_A_GAP)
        .select_related("division")
        .prefetch_related(issues_prefetch())
        .order_by("division__name", "received_on", "pk")
    )


def _outcome_label(value: str) -> str:
    return Outcome(value).label.lower() if value else "no outcome"


def gaps_of(case: Case) -> list[CodingGap]:
    """What is wrong with one case from cases_with_coding_gaps (its flags and prefetched issues), in words."""
    gaps = []
    is_complaint = case.kind == Kind.COMPLAINT
    closed_after_response = is_complaint and case.status == Status.CLOSED and case.responded_on is not None
    to_code = (
        is_complaint
        and case.status not in (Status.RECEIVED, Status.WITHDRAWN)
        and not (case.status == Status.CLOSED and case.responded_on is None)
    )
    if closed_after_response and not case.outcome and not case.derived_outcome:
        gaps.append(CodingGap(GapKind.CLOSED_WITHOUT_OUTCOME, "Closed without an outcome."))
    if to_code and not case.has_issues:
        gaps.append(CodingGap(GapKind.NO_ISSUES, "No issues coded: each aspect of the complaint needs one."))
    pals_finished = case.kind in (Kind.PALS_CONCERN, Kind.COMPLIMENT) and case.status in FINISHED_PALS_STATUSES
    if pals_finished and not case.has_issues:
        gaps.append(CodingGap(GapKind.NO_SUBJECT, "No subject or service coded."))
    for issue in issues_of(case):
        facts = issue_facts(issue)
        for missing in completeness.missing_coding(case.kind, facts):
            gaps.append(CodingGap(_ISSUE_GAP_KINDS[missing], completeness.issue_line(facts, [missing])))
    if case.outcome != case.derived_outcome:
        gaps.append(
            CodingGap(
                GapKind.OUTCOME_INCONSISTENT,
                f"The outcome is recorded as {_outcome_label(case.outcome)}, "
                f"but its issues make it {_outcome_label(case.derived_outcome)}.",
            )
        )
    if to_code and not case.has_patient_date_of_birth:
        gaps.append(
            CodingGap(GapKind.PATIENT_AGE_UNKNOWN, "The patient's date of birth is missing: their age band is unknown.")
        )
    return gaps


def coding_gaps(cases: QuerySet[Case]) -> list[CaseCodingGaps]:
    """Each case among `cases` with missing or inconsistent coding, with what is wrong: in three queries.

    For a page, page through cases_with_coding_gaps(cases) and call gaps_of on each case instead.
    """
    return [CaseCodingGaps(case=case, gaps=gaps_of(case)) for case in cases_with_coding_gaps(cases)]


def coding_gap_counts_by_division(cases: QuerySet[Case]) -> list[dict]:
    """[{"division_id", "division__name", "cases"}]: how many cases with gaps each division has, in one query."""
    return list(
        _with_gap_flags(cases)
        .filter(_HAS_A_GAP)
        .order_by()
        .values("division_id", "division__name")
        .annotate(cases=Count("pk", distinct=True))
        .order_by("division__name")
    )
