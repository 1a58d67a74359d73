"""Charts: the SVG says what it shows in its title and description, the PNG is drawn from the same geometry."""

import io
import re

import pytest
from PIL import Image

from palsdesk.reporting import charts
from palsdesk.reporting.charts import Chart, Series

MONTHS = ("Sep 2026", "Oct 2026", "Nov 2026")


def run(values, unit="%", counts_of=()):
    return Chart(
        key="acknowledged",
        kind="line",
        title="Acknowledged within 3 working days",
        categories=MONTHS,
        series=(Series("Acknowledged in time", values),),
        unit=unit,
        counts_of=counts_of,
    )


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [
        (0, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (23, [0, 5, 10, 15, 20, 25]),
        (480, [0, 100, 200, 300, 400, 500]),
    ],
)
def test_the_scale_rises_in_round_steps_to_the_highest_value(highest, ticks):
    assert charts.nice_ticks(highest) == ticks


def test_a_run_charts_description_names_the_latest_highest_lowest_and_median():
    chart = run((80.0, None, 100.0), counts_of=((4, 5), (0, 0), (3, 3)))
    assert chart.description == (
        "Acknowledged within 3 working days, month by month from Sep 2026 to Nov 2026. "
        "Acknowledged in time: 100% in Nov 2026; highest 100% in Nov 2026, lowest 80% in Sep 2026. "
        "The median line is at 90%."
    )
    assert chart.table_rows() == [
        ("Sep 2026", ["80% (4 of 5)"]),
        ("Oct 2026", ["none due"]),
        ("Nov 2026", ["100% (3 of 3)"]),
    ]


def test_a_month_with_nothing_due_breaks_the_line_rather_than_dropping_it_to_zero():
    drawing = run((80.0, None, 100.0)).drawing
    data_lines = [path for path in drawing.paths if path.colour == charts.PALETTE[0][0] and path.width == 2.5]
    assert data_lines == []  # no two months in a row to join
    assert len(drawing.dots) == 2


def test_the_svg_is_labelled_by_its_title_and_description_and_escapes_what_it_is_given():
    chart = Chart(
        key="themes-subjects",
        kind="bars",
        title="Top <subjects> & more",
        categories=("Values & behaviours",),
        series=(Series("Q3 2026-27", (2.0,)), Series("Q2 2026-27", (1.0,))),
        unit="cases",
    )
    svg = str(charts.svg(chart, element_id="report-themes"))
    assert re.match(r'<svg [^>]*role="img" aria-labelledby="report-themes-title report-themes-desc"', svg)
    assert '<title id="report-themes-title">Top &lt;subjects&gt; &amp; more</title>' in svg
    assert '<desc id="report-themes-desc">Top &lt;subjects&gt; &amp; more: the 1 most raised in Q3 2026-27' in svg
    assert ">Values &amp; behaviours<" in svg
    assert " style=" not in svg  # presentation attributes only: the Content-Security-Policy allows no inline style


def test_the_png_is_an_image_of_the_charts_size():
    chart = run((80.0, 90.0, 100.0))
    image = Image.open(io.BytesIO(charts.png(chart, scale=2)))
    assert image.format == "PNG"
    assert image.size == (chart.drawing.width * 2, chart.drawing.height * 2)
    # Something is drawn in the data colour (NHS blue), not just a blank canvas.
    assert (0, 94, 184) in {colour for _, colour in image.getcolors(maxcolors=100_000)}


def test_a_dash_pattern_draws_pieces_and_leaves_gaps():
    pieces = list(charts._dashes(((0, 0), (20, 0)), "4 4"))
    assert pieces == [((0, 0), (4, 0)), ((8, 0), (12, 0)), ((16, 0), (20, 0))]
