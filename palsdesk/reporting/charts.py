"""Charts drawn on the server: run charts and theme bar charts as accessible SVG (pages, PDF) and as PNG (Word).

A Chart holds the numbers, a title and a written description; drawing() works out the geometry once,
and the SVG template and the PNG painter both draw from it, so the page, the PDF and the Word document
show the same picture. Every chart is shown with its numbers in a table (reporting/charts/_figure.html).
"""

import datetime
import functools
import io
import itertools
import math
import statistics
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from PIL import Image, ImageDraw, ImageFont

from palsdesk.reporting.measures import ThemeTable, Trend

# NHS identity colours, each with its own dash so the lines differ without colour too.
PALETTE = (
    ("#005eb8", ""),
    ("#007f3b", "8 4"),
    ("#330072", "2 4"),
    ("#ed8b00", "10 3 2 3"),
    ("#7c2855", "4 4"),
)
PREVIOUS_COLOUR = "#aeb7bd"
TEXT_COLOUR = "#212b32"
GRID_COLOUR = "#d8dde0"
MEDIAN_COLOUR = "#4c6272"
FONT_SIZE = 12
LABEL_CHARACTERS = 34


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    key: str
    kind: str  # "line" (a run chart, month by month) or "bars" (themes, this period against the last)
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str  # "%" or what is counted ("cases")
    # For each category, what the table shows beside a percentage: "26 of 30".
    counts_of: tuple[tuple[int, int], ...] = ()
    category_heading: str = "Month"

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def median(self) -> float | None:
        """A run chart's centre line: the median of its one series (None for several series, or none at all)."""
        if self.kind != "line" or len(self.series) != 1:
            return None
        values = [value for value in self.series[0].values if value is not None]
        return statistics.median(values) if values else None

    @property
    def description(self) -> str:
        """What the chart shows, in words, for its <desc> and for readers who cannot see it."""
        if not self.categories:
            return f"{self.title}: nothing to show."
        if self.kind == "bars":
            return self._describe_bars()
        return self._describe_lines()

    def _number(self, value: float | None) -> str:
        if value is None:
            return "none due"
        return f"{value:g}%" if self.is_percent else f"{value:g}"

    def _describe_lines(self) -> str:
        parts = [f"{self.title}, month by month from {self.categories[0]} to {self.categories[-1]}."]
        for series in self.series:
            known = [
                (value, month) for value, month in zip(series.values, self.categories, strict=True) if value is not None
            ]
            if not known:
                parts.append(f"{series.name}: none in these months.")
                continue
            highest = max(known, key=lambda pair: pair[0])
            lowest = min(known, key=lambda pair: pair[0])
            parts.append(
                f"{series.name}: {self._number(known[-1][0])} in {known[-1][1]}; "
                f"highest {self._number(highest[0])} in {highest[1]}, lowest {self._number(lowest[0])} in {lowest[1]}."
            )
        if self.median is not None:
            parts.append(f"The median line is at {self._number(self.median)}.")
        return " ".join(parts)

    def _describe_bars(self) -> str:
        this, before = self.series[0], self.series[1]
        top = self.categories[0]
        return (
            f"{self.title}: the {len(self.categories)} most raised in {this.name}, each against {before.name}. "
            f"The most raised was {top}, in {self._number(this.values[0])} {self._unit_for(this.values[0])} "
            f"against {self._number(before.values[0])}."
        )

    def _unit_for(self, value: float | None) -> str:
        # "1 case", "2 cases"
        return self.unit[:-1] if value == 1 and self.unit.endswith("s") else self.unit

    @functools.cached_property
    def drawing(self) -> "Drawing":
        return draw(self)

    def columns(self) -> list[tuple[str, list[str]]]:
        """The same numbers the other way round, series by series, for a table with the months across (on paper).

        A percentage's counts get a row of their own ("of 30"), so each cell stays narrow.
        """
        rows = [
            (series.name, [self._number(value) if value is not None else "–" for value in series.values])
            for series in self.series
        ]
        if self.is_percent and self.counts_of:
            rows.append(("Out of (cases)", [str(of) for _, of in self.counts_of]))
        return rows

    def table_rows(self) -> list[tuple[str, list[str]]]:
        """Each category with the text of each series' value, as the table under the chart shows them."""
        rows = []
        for index, category in enumerate(self.categories):
            cells = []
            for series in self.series:
                value = series.values[index]
                text = self._number(value)
                if self.is_percent and self.counts_of:
                    met, of = self.counts_of[index]
                    text = f"{text} ({met} of {of})" if of else "none due"
                cells.append(text)
            rows.append((category, cells))
        return rows


def _month_label(month: datetime.date) -> str:
    return f"{month:%b %Y}"


def run_chart(trend: Trend) -> Chart:
    return Chart(
        key=trend.key,
        kind="line",
        title=trend.title,
        categories=tuple(_month_label(month) for month in trend.months),
        series=tuple(Series(series.name, series.values) for series in trend.series),
        unit=trend.unit,
        counts_of=trend.counts_of,
    )


def theme_chart(table: ThemeTable, *, this_name: str, previous_name: str) -> Chart:
    return Chart(
        key=f"themes-{table.key}",
        kind="bars",
        title=f"Top {table.title}",
        categories=tuple(theme.label for theme in table.themes),
        series=(
            Series(this_name, tuple(float(theme.this_period) for theme in table.themes)),
            Series(previous_name, tuple(float(theme.previous_period) for theme in table.themes)),
        ),
        unit="aspects",
        category_heading="Theme",
    )


# --- Geometry -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"  # SVG text-anchor: start, middle, end
    bold: bool = False


@dataclass(frozen=True)
class Path:
    colour: str
    dash: str
    points: tuple[tuple[float, float], ...]
    width: float = 2.5

    @property
    def svg_points(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    colour: str


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    grid: tuple[Path, ...]
    axes: tuple[Path, ...]
    paths: tuple[Path, ...]
    dots: tuple[Dot, ...]
    boxes: tuple[Box, ...]
    texts: tuple[Text, ...]


def nice_ticks(highest: float) -> list[float]:
    """Round steps from 0 to at least `highest`: 1, 2 or 5 times a power of ten, at most 6 ticks."""
    if highest <= 0:
        return [0, 1]
    for power in range(0, 12):
        for factor in (1, 2, 5):
            step = factor * 10**power
            if math.ceil(highest / step) <= 5:
                return [step * n for n in range(math.ceil(highest / step) + 1)]
    return [0, highest]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _legend(chart: Chart, *, y: float, left: float, colours: list[tuple[str, str]]) -> tuple[list, list]:
    paths, texts = [], []
    x = left
    for series, (colour, dash) in zip(chart.series, colours, strict=False):
        paths.append(Path(colour, dash, ((x, y - 4), (x + 28, y - 4)), width=4))
        texts.append(Text(x + 34, y, series.name, anchor="start"))
        x += 34 + 7.5 * len(series.name) + 24
    return paths, texts


def draw(chart: Chart, *, width: int = 680) -> Drawing:
    if chart.kind == "bars":
        return _draw_bars(chart, width=width)
    return _draw_lines(chart, width=width)


def _draw_lines(chart: Chart, *, width: int) -> Drawing:
    left, right, top, plot_height = 52, 16, 16, 200
    bottom = top + plot_height
    height = bottom + 64
    values = [value for series in chart.series for value in series.values if value is not None]
    ticks = [0, 20, 40, 60, 80, 100] if chart.is_percent else nice_ticks(max(values, default=0))
    top_value = ticks[-1] or 1

    def y_of(value: float) -> float:
        return bottom - plot_height * value / top_value

    count = max(len(chart.categories), 1)
    step = (width - left - right) / count

    def x_of(index: int) -> float:
        return left + step * (index + 0.5)

    grid = tuple(Path(GRID_COLOUR, "", ((left, y_of(tick)), (width - right, y_of(tick))), width=1) for tick in ticks)
    texts = [
        Text(left - 8, y_of(tick) + 4, f"{tick:g}%" if chart.is_percent else f"{tick:g}", anchor="end")
        for tick in ticks
    ]
    for index, category in enumerate(chart.categories):
        month, _, year = category.partition(" ")
        texts.append(Text(x_of(index), bottom + 18, month))
        if index == 0 or month == "Jan":
            texts.append(Text(x_of(index), bottom + 32, year))
    paths, dots = [], []
    colours = [PALETTE[index % len(PALETTE)] for index in range(len(chart.series))]
    for series, (colour, dash) in zip(chart.series, colours, strict=True):
        run: list[tuple[float, float]] = []
        for index, value in enumerate(series.values):
            if value is None:
                if len(run) > 1:
                    paths.append(Path(colour, dash, tuple(run)))
                run = []
                continue
            point = (x_of(index), y_of(value))
            run.append(point)
            dots.append(Dot(*point, colour))
        if len(run) > 1:
            paths.append(Path(colour, dash, tuple(run)))
    if chart.median is not None:
        y = y_of(chart.median)
        paths.insert(0, Path(MEDIAN_COLOUR, "6 4", ((left, y), (width - right, y)), width=1.5))
        texts.append(Text(width - right, y - 6, f"Median {chart._number(chart.median)}", anchor="end"))
    legend_paths, legend_texts = _legend(chart, y=height - 8, left=left, colours=colours)
    axes = (Path(TEXT_COLOUR, "", ((left, top), (left, bottom), (width - right, bottom)), width=1),)
    return Drawing(
        width=width,
        height=height,
        grid=grid,
        axes=axes,
        paths=tuple(paths + legend_paths),
        dots=tuple(dots),
        boxes=(),
        texts=tuple(texts + legend_texts),
    )


def _draw_bars(chart: Chart, *, width: int) -> Drawing:
    left, right, top, bar, gap = 250, 40, 12, 11, 12
    group = 2 * bar + gap
    bottom = top + group * max(len(chart.categories), 1)
    height = bottom + 48
    highest = max((value or 0 for series in chart.series for value in series.values), default=0)
    ticks = nice_ticks(highest)
    span = (width - left - right) / (ticks[-1] or 1)
    boxes, texts = [], []
    colours = [(PALETTE[0][0], ""), (PREVIOUS_COLOUR, "")]
    for index, category in enumerate(chart.categories):
        y = top + group * index
        texts.append(Text(left - 8, y + bar + 4, _short(category), anchor="end"))
        for offset, (series, (colour, _)) in enumerate(zip(chart.series, colours, strict=False)):
            value = series.values[index] or 0
            boxes.append(Box(left, y + offset * bar, max(value * span, 1), bar - 1, colour))
            texts.append(Text(left + value * span + 4, y + offset * bar + bar - 2, f"{value:g}", anchor="start"))
    grid = tuple(
        Path(GRID_COLOUR, "", ((left + tick * span, top), (left + tick * span, bottom)), width=1) for tick in ticks
    )
    texts += [Text(left + tick * span, bottom + 16, f"{tick:g}") for tick in ticks]
    legend_paths, legend_texts = _legend(chart, y=height - 6, left=left, colours=colours)
    axes = (Path(TEXT_COLOUR, "", ((left, top), (left, bottom)), width=1),)
    return Drawing(
        width=width,
        height=height,
        grid=grid,
        axes=axes,
        paths=tuple(legend_paths),
        dots=(),
        boxes=tuple(boxes),
        texts=tuple(texts + legend_texts),
    )


# --- Output ---------------------------------------------------------------------------------------


def svg(chart: Chart, *, element_id: str = "") -> SafeString:
    """The chart as an inline SVG element, labelled by its <title> and <desc>."""
    return SafeString(
        render_to_string(
            "reporting/charts/chart.svg", {"chart": chart, "drawing": chart.drawing, "id": element_id or chart.key}
        )
    )


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _dashes(points: tuple[tuple[float, float], ...], dash: str):
    """The pieces of a polyline to draw for an SVG dash pattern ("8 4": 8 drawn, 4 left out)."""
    pattern = [float(part) for part in dash.split()] if dash else []
    if not pattern:
        yield points
        return
    index, left_in_step, drawing = 0, pattern[0], True
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        length = math.hypot(x2 - x1, y2 - y1)
        done = 0.0
        while done < length:
            step = min(left_in_step, length - done)
            start = (x1 + (x2 - x1) * done / length, y1 + (y2 - y1) * done / length)
            done += step
            end = (x1 + (x2 - x1) * done / length, y1 + (y2 - y1) * done / length)
            if drawing:
                yield (start, end)
            left_in_step -= step
            if left_in_step <= 0:
                index = (index + 1) % len(pattern)
                left_in_step, drawing = pattern[index], not drawing


def png(chart: Chart, *, scale: int = 2) -> bytes:
    """The chart painted with Pillow from the same geometry as its SVG, for documents that cannot show SVG."""
    drawing = chart.drawing
    image = Image.new("RGB", (drawing.width * scale, drawing.height * scale), "white")
    pen = ImageDraw.Draw(image)

    def at(point: tuple[float, float]) -> tuple[float, float]:
        return (point[0] * scale, point[1] * scale)

    for path in (*drawing.grid, *drawing.axes, *drawing.paths):
        for piece in _dashes(path.points, path.dash):
            pen.line([at(point) for point in piece], fill=path.colour, width=max(int(path.width * scale), 1))
    for box in drawing.boxes:
        pen.rectangle(
            [at((box.x, box.y)), at((box.x + box.width, box.y + box.height))], fill=box.colour, outline=box.colour
        )
    for dot in drawing.dots:
        x, y = at((dot.x, dot.y))
        pen.ellipse([x - 3.5 * scale, y - 3.5 * scale, x + 3.5 * scale, y + 3.5 * scale], fill=dot.colour)
    font = _font(FONT_SIZE * scale)
    anchors = {"start": "ls", "middle": "ms", "end": "rs"}
    for text in drawing.texts:
        pen.text(at((text.x, text.y)), text.text, fill=TEXT_COLOUR, font=font, anchor=anchors[text.anchor])
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
