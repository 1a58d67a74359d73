"""Template filters of the reports: a chart as inline SVG, a measure as it reads, and who may see the reports."""

from django import template

from palsdesk.reporting import charts
from palsdesk.reporting.access import may_see_reports
from palsdesk.reporting.committee import days_text, ratio_text

register = template.Library()


@register.filter
def as_svg(chart: charts.Chart, prefix: str = ""):
    return charts.svg(chart, element_id=f"{prefix}{chart.key}")


@register.filter
def as_ratio(ratio) -> str:
    return ratio_text(ratio)


@register.filter
def as_days(days) -> str:
    return days_text(days)


@register.filter
def sees_reports(user) -> bool:
    return may_see_reports(user)
