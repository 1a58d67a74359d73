"""Reports for committees: the Board and Quality Committee report, the annual report and divisional feedback.

Each gathers the period's measures (complaints and PALS concerns, against the period before), run
charts, themes, the notable cases (described by their codes, never by a name, an NHS number or the
summary someone typed) and the co-ordinator's commentary. documents.py prints it as PDF and Word.
"""

import dataclasses
import datetime
from dataclasses import dataclass

from django.db.models import F, Max, Prefetch, Q

from palsdesk.cases.models import Kind, Outcome
from palsdesk.coding.models import CaseIssue, HcatHarm
from palsdesk.escalations import selectors as escalations
from palsdesk.organisation.models import Division, Trust
from palsdesk.reporting import charts, measures
from palsdesk.reporting.measures import FORMAL_KINDS, Measures, Scope, Themes
from palsdesk.reporting.models import CommitteeReportKind, ReportCommentary
from palsdesk.reporting.periods import Period
from palsdesk.reporting.services import commentary_for

NOTABLE_CASES = 10
# HCAT harm at or above "moderate" makes a case notable for the committee.
NOTABLE_HARM = HcatHarm.MODERATE


@dataclass(frozen=True)
class NotableCase:
    """A case the committee should hear about, told by its codes alone so that no one can be identified."""

    label: str
    # Shown to staff on the page (to check the selection); left out of the printed documents.
    reference: str
    kind: str
    division: str
    site: str
    received: str
    grade: str
    subjects: tuple[str, ...]
    outcome: str
    harm: str
    why: tuple[str, ...]


@dataclass(frozen=True)
class CommitteeReport:
    kind: str
    title: str
    trust: str
    period: Period
    previous: Period
    division: Division | None
    complaints: Measures
    complaints_before: Measures
    pals: Measures
    pals_before: Measures
    themes: Themes
    charts: tuple[charts.Chart, ...]
    notable: tuple[NotableCase, ...]
    commentary: ReportCommentary | None
    # Complaints in scope whose PHSO case was first recorded in the period (the escalations app's records).
    recorded_ombudsman_referrals: int
    made_on: datetime.date
    made_by: str

    @property
    def kind_label(self) -> str:
        return CommitteeReportKind(self.kind).label

    @property
    def is_annual(self) -> bool:
        return self.kind == CommitteeReportKind.ANNUAL

    @property
    def scope(self) -> str:
        return str(self.division) if self.division else "The whole trust"

    @property
    def entered_ombudsman_referrals(self) -> int | None:
        """The number the co-ordinator entered from the Ombudsman's letters, if they did: it stands over the
        count of recorded PHSO cases, as it may include referrals from before the trust used PALS Desk."""
        return self.commentary.ombudsman_referrals if self.commentary else None

    @property
    def ombudsman_referrals(self) -> int:
        entered = self.entered_ombudsman_referrals
        return self.recorded_ombudsman_referrals if entered is None else entered

    @property
    def notable_limit(self) -> int:
        return NOTABLE_CASES

    @property
    def ombudsman_text(self) -> str:
        referrals = self.ombudsman_referrals
        told = (
            f"{referrals} complaint{'s' if referrals != 1 else ''} the trust was told "
            f"{'were' if referrals != 1 else 'was'} referred to the Parliamentary and Health Service Ombudsman"
        )
        recorded = self.recorded_ombudsman_referrals
        if self.entered_ombudsman_referrals is None:
            return f"{told} (the PHSO cases recorded in PALS Desk whose first contact was in the period)."
        return (
            f"{told} (entered by the co-ordinator from the Ombudsman's letters; PALS Desk has "
            f"{recorded} PHSO case{'s' if recorded != 1 else ''} recorded for the period)."
        )

    @property
    def regulation_18(self) -> list[tuple[str, str]]:
        """The figures regulation 18(1) asks of the annual report, in its order."""
        complaints = self.complaints
        return [
            ("(a) Complaints received", f"{complaints.received}"),
            (
                "(b) Complaints the trust decided were well-founded (upheld or partially upheld, of those closed)",
                f"{complaints.well_founded} of {complaints.outcomes_total}",
            ),
            (
                "(c) Complaints the trust was told were referred to the Ombudsman",
                f"{self.ombudsman_referrals}",
            ),
            (
                "(d) Subjects, matters of general importance and actions taken",
                "Set out under Themes, Matters of general importance and Actions taken below",
            ),
        ]

    def comment(self, name: str) -> str:
        return getattr(self.commentary, name, "") if self.commentary else ""

    @property
    def run_charts(self) -> tuple[charts.Chart, ...]:
        return tuple(chart for chart in self.charts if chart.kind == "line")

    @property
    def theme_charts(self) -> tuple[charts.Chart, ...]:
        return tuple(chart for chart in self.charts if chart.kind == "bars")

    def measure_rows(self) -> list[tuple[str, str, str]]:
        """The measures table: what, this period, the period before."""
        rows = []
        for label, this, before in (
            ("Complaints", self.complaints, self.complaints_before),
            ("PALS concerns", self.pals, self.pals_before),
        ):
            rows += [
                (f"{label} received", f"{this.received}", f"{before.received}"),
                (f"{label} closed", f"{this.closed}", f"{before.closed}"),
                (f"{label} open at the end of the period", f"{this.open_at_end}", f"{before.open_at_end}"),
            ]
            if label == "Complaints":
                rows.append(
                    (
                        "Complaints acknowledged within 3 working days",
                        ratio_text(this.acknowledged_in_time),
                        ratio_text(before.acknowledged_in_time),
                    )
                )
            rows += [
                (
                    f"{label} answered by the date due",
                    ratio_text(this.responded_in_time),
                    ratio_text(before.responded_in_time),
                ),
                (
                    f"{label}: median working days to respond",
                    days_text(this.median_working_days_to_respond),
                    days_text(before.median_working_days_to_respond),
                ),
                (f"{label} received then reopened", f"{this.reopened}", f"{before.reopened}"),
            ]
        rows.append(
            (
                "Compliments received",
                f"{self.complaints.compliments_received}",
                f"{self.complaints_before.compliments_received}",
            )
        )
        return rows

    def outcome_rows(self) -> list[tuple[str, int, int]]:
        """Complaints closed in each period by outcome."""
        this = {share.key: share for share in self.complaints.outcomes}
        before = {share.key: share for share in self.complaints_before.outcomes}
        return [
            (
                measures.OUTCOME_LABELS[key],
                this[key].count if key in this else 0,
                before[key].count if key in before else 0,
            )
            for key in measures.OUTCOME_ORDER
            if key in this or key in before
        ]


def ratio_text(ratio: measures.Ratio) -> str:
    if not ratio.of:
        return "None due"
    return f"{ratio.percent:g}% ({ratio.met} of {ratio.of})"


def days_text(days: float | None) -> str:
    return "None answered" if days is None else f"{days:g}"


def _notable_cases(user, scope: Scope, period: Period, *, today: datetime.date) -> tuple[NotableCase, ...]:
    to_date = period.to_date(today)
    found = (
        measures.cases_in_scope(user, scope)
        .filter(kind__in=FORMAL_KINDS)
        .filter(
            Q(received_on__gte=period.start, received_on__lte=to_date)
            | Q(closed_on__gte=period.start, closed_on__lte=to_date)
        )
        .annotate(worst_harm=Max("issues__hcat_harm"))
        .filter(
            Q(worst_harm__gte=NOTABLE_HARM)
            | Q(outcome=Outcome.UPHELD)
            | Q(is_safeguarding=True)
            | Q(has_media_interest=True)
            | Q(reopened_count__gt=0)
        )
        .select_related("division", "site", "grade")
        .prefetch_related(
            Prefetch("issues", queryset=CaseIssue.objects.select_related("subject").order_by("order", "pk"))
        )
        .order_by(F("worst_harm").desc(nulls_last=True), F("grade__order").desc(nulls_last=True), "received_on", "pk")[
            :NOTABLE_CASES
        ]
    )
    notable = []
    for index, case in enumerate(found):
        why = []
        if case.worst_harm is not None and case.worst_harm >= NOTABLE_HARM:
            why.append(f"harm reported: {HcatHarm(case.worst_harm).label[2:].lower()}")
        if case.outcome == Outcome.UPHELD:
            why.append("upheld")
        if case.is_safeguarding:
            why.append("safeguarding concern")
        if case.has_media_interest:
            why.append("media interest")
        if case.reopened_count:
            why.append("reopened after the response")
        subjects = tuple(dict.fromkeys(issue.subject.label for issue in case.issues.all()))
        notable.append(
            NotableCase(
                label=f"Case {_letter(index)}",
                reference=case.reference,
                kind=Kind(case.kind).label,
                division=case.division.name,
                site=case.site.name if case.site else "",
                received=f"{case.received_on:%B %Y}",
                grade=case.grade.name if case.grade else "Not graded",
                subjects=subjects,
                outcome=case.get_outcome_display() if case.outcome else "Not yet decided",
                harm=HcatHarm(case.worst_harm).label[2:] if case.worst_harm is not None else "Not coded",
                why=tuple(why),
            )
        )
    return tuple(notable)


def _letter(index: int) -> str:
    return chr(ord("A") + index) if index < 26 else str(index + 1)


def committee_report(
    user, *, kind: str, period: Period, division: Division | None, today: datetime.date
) -> CommitteeReport:
    """The report as it stands today, of the cases the user may see (the whole trust for the co-ordinator)."""
    previous = period.previous()
    everything = Scope(division=division)
    complaints = Scope(division=division, kind=Kind.COMPLAINT)
    pals = Scope(division=division, kind=Kind.PALS_CONCERN)
    themes = measures.themes(user, everything, period, today=today)
    received = measures.received_trend(user, everything, period, today=today)
    # The complaints' responses of both periods and the run charts' year, read once.
    complaint_responses = measures.response_log(
        user, complaints, start=min(previous.start, period.trend_months()[0]), end=period.to_date(today)
    )
    complaint_trends = measures.trends(user, complaints, period, today=today, responses=complaint_responses)
    complaint_measures = measures.measures_of(
        user, complaints, [period, previous], today=today, responses=complaint_responses
    )
    pals_measures = measures.measures_of(user, pals, [period, previous], today=today)
    run_charts = [
        charts.run_chart(received),
        charts.run_chart(
            dataclasses.replace(complaint_trends.acknowledged, title="Complaints acknowledged within 3 working days")
        ),
        charts.run_chart(
            dataclasses.replace(complaint_trends.responded, title="Complaint responses sent by the date due")
        ),
    ]
    theme_charts = [
        charts.theme_chart(table, this_name=period.name, previous_name=previous.name)
        for table in (themes.subjects, themes.hcat_categories)
        if table.themes
    ]
    trust = Trust.objects.order_by("pk").values_list("name", flat=True).first() or "The trust"
    title = CommitteeReportKind(kind).label
    if kind == CommitteeReportKind.ANNUAL:
        title = f"Annual complaints report {period.name}"
    elif kind == CommitteeReportKind.DIVISIONAL:
        title = f"Divisional feedback: {division}"
    return CommitteeReport(
        kind=kind,
        title=title,
        trust=trust,
        period=period,
        previous=previous,
        division=division,
        complaints=complaint_measures[0],
        complaints_before=complaint_measures[1],
        pals=pals_measures[0],
        pals_before=pals_measures[1],
        themes=themes,
        charts=tuple(run_charts + theme_charts),
        notable=_notable_cases(user, everything, period, today=today),
        commentary=commentary_for(kind=kind, period=period, division=division),
        recorded_ombudsman_referrals=escalations.cases_referred_to_the_ombudsman(
            measures.cases_in_scope(user, complaints), [(period.start, period.to_date(today))]
        )[0],
        made_on=today,
        made_by=user.get_full_name() or user.get_username(),
    )
