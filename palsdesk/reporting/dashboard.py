"""The team's performance dashboard: a period's measures against the period before, its themes and run charts."""

import datetime
from dataclasses import dataclass

from palsdesk.escalations import selectors as escalations
from palsdesk.reporting import charts, measures
from palsdesk.reporting.measures import Measures, Scope, Themes
from palsdesk.reporting.periods import Period


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    period: Period
    previous: Period
    measures: Measures
    measures_before: Measures
    # Cases in scope the trust was told, in each period, the PHSO had taken up (the escalations app's records).
    ombudsman_referrals: int
    ombudsman_referrals_before: int
    themes: Themes
    run_charts: tuple[charts.Chart, ...]
    theme_charts: tuple[charts.Chart, ...]


def dashboard(user, scope: Scope, period: Period, *, today: datetime.date) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of aggregate queries however many cases there are."""
    previous = period.previous()
    themes = measures.themes(user, scope, period, today=today)
    # The responses of both periods and of the run charts' year, read once for the measures and the charts.
    responses = measures.response_log(
        user, scope, start=min(previous.start, period.trend_months()[0]), end=period.to_date(today)
    )
    this, before = measures.measures_of(user, scope, [period, previous], today=today, responses=responses)
    referred, referred_before = escalations.cases_referred_to_the_ombudsman(
        measures.cases_in_scope(user, scope),
        [(period.start, period.to_date(today)), (previous.start, previous.to_date(today))],
    )
    return Dashboard(
        scope=scope,
        period=period,
        previous=previous,
        measures=this,
        measures_before=before,
        ombudsman_referrals=referred,
        ombudsman_referrals_before=referred_before,
        themes=themes,
        run_charts=tuple(
            charts.run_chart(trend) for trend in measures.trends(user, scope, period, today=today, responses=responses)
        ),
        theme_charts=tuple(
            charts.theme_chart(table, this_name=period.name, previous_name=previous.name)
            for table in (themes.subjects, themes.hcat_categories)
            if table.themes
        ),
    )
