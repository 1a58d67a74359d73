"""A committee report printed: a PDF through WeasyPrint (print CSS, SVG charts) and a Word document (PNG charts)."""

import io
from pathlib import Path

import weasyprint
from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt, RGBColor

from palsdesk.core.dates import long_date
from palsdesk.reporting import charts
from palsdesk.reporting.committee import CommitteeReport

PRINT_CSS = Path(__file__).parent / "static" / "reporting" / "committee-print.css"
PDF_TYPE = "application/pdf"
WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NHS_BLUE = RGBColor(0x00, 0x5E, 0xB8)


def file_name(report: CommitteeReport, extension: str) -> str:
    division = f"-{report.division.code.lower()}" if report.division else ""
    return f"{report.kind}{division}-{report.period.start:%Y-%m-%d}-to-{report.period.end:%Y-%m-%d}.{extension}"


def pdf_of(report: CommitteeReport) -> bytes:
    html = render_to_string("reporting/committee_document.html", {"report": report})
    # Nothing is fetched: the styles are read from the file and the charts are inline SVG.
    return weasyprint.HTML(string=html).write_pdf(stylesheets=[weasyprint.CSS(filename=str(PRINT_CSS))])


def _table(document, headings: list[str], rows: list[list[str]], *, widths_cm: list[float] | None = None) -> None:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(heading)
        run.bold = True
    # Word repeats a marked header row at the top of each page a long table runs on to.
    table.rows[0]._tr.get_or_add_trPr().append(_repeat_header())
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    if widths_cm:
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm, strict=True):
                cell.width = Cm(width)
    document.add_paragraph()


def _repeat_header():
    element = OxmlElement("w:tblHeader")
    element.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "true")
    return element


def _chart(document, chart: charts.Chart) -> None:
    document.add_heading(chart.title, level=3)
    document.add_picture(io.BytesIO(charts.png(chart)), width=Cm(16))
    # The picture's alternative text, for screen readers in Word.
    document.inline_shapes[-1]._inline.docPr.set("descr", chart.description)
    document.add_paragraph(chart.description).runs[0].italic = True
    headings = [chart.category_heading, *(series.name for series in chart.series)]
    _table(document, headings, [[category, *cells] for category, cells in chart.table_rows()])


def _commentary(document, report: CommitteeReport, name: str, *, empty: str) -> None:
    text = report.comment(name)
    for paragraph in text.split("\n\n") if text else [empty]:
        document.add_paragraph(paragraph.strip())


def word_of(report: CommitteeReport) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    for level in (1, 2, 3):
        document.styles[f"Heading {level}"].font.color.rgb = NHS_BLUE
    section.footer.paragraphs[0].text = f"{report.trust}: {report.title}, {report.period.name}. OFFICIAL."

    document.add_heading(report.title, level=0)
    document.add_paragraph(f"{report.trust}. {report.scope}.")
    document.add_paragraph(f"Period: {report.period.name} ({report.period.spelled_out}).")
    document.add_paragraph(
        f"Compared with: {report.previous.name} ({report.previous.spelled_out}). "
        f"Figures as on {long_date(report.made_on)}, prepared by {report.made_by} with PALS Desk."
    )
    document.add_paragraph(
        "No patient, complainant or member of staff is named in this report, and no NHS number is given."
    )

    if report.is_annual:
        document.add_heading("Regulation 18: the year in summary", level=1)
        _table(document, ["Regulation 18(1)", "Figure"], [list(row) for row in report.regulation_18])

    document.add_heading("Performance measures", level=1)
    _table(
        document,
        ["Measure", report.period.name, report.previous.name],
        [list(row) for row in report.measure_rows()],
        widths_cm=[9, 4, 4],
    )
    document.add_heading("Outcomes of complaints closed", level=2)
    outcome_rows = report.outcome_rows()
    if outcome_rows:
        _table(
            document, ["Outcome", report.period.name, report.previous.name], [list(map(str, r)) for r in outcome_rows]
        )
    else:
        document.add_paragraph("No complaints were closed in either period.")
    document.add_heading("Referrals to the Ombudsman", level=2)
    document.add_paragraph(report.ombudsman_text)

    document.add_heading("Run charts", level=1)
    for chart in report.run_charts:
        _chart(document, chart)

    document.add_heading("Themes", level=1)
    for table in (report.themes.subjects, report.themes.hcat_categories):
        document.add_heading(table.title, level=2)
        if not table.themes:
            document.add_paragraph(f"No cases received in {report.period.name} were coded with {table.title}.")
            continue
        _table(
            document,
            ["Theme", report.period.name, report.previous.name, "Change"],
            [[theme.label, theme.this_period, theme.previous_period, f"{theme.change:+d}"] for theme in table.themes],
            widths_cm=[9, 3, 3, 2],
        )
    for chart in report.theme_charts:
        _chart(document, chart)
    document.add_heading("What the themes show", level=2)
    _commentary(document, report, "themes", empty="No commentary has been written.")

    document.add_heading("Notable cases", level=1)
    if report.notable:
        _table(
            document,
            ["Case", "Kind and division", "Received", "Subjects", "Outcome", "Why it is here"],
            [
                [
                    case.label,
                    f"{case.kind}, {case.division}" + (f", {case.site}" if case.site else ""),
                    case.received,
                    "; ".join(case.subjects) or "Not coded",
                    f"{case.outcome}. Grade: {case.grade}. Harm: {case.harm}.",
                    "; ".join(case.why),
                ]
                for case in report.notable
            ],
        )
    else:
        document.add_paragraph("No complaint in the period met the notable case rules.")
    _commentary(document, report, "notable_cases", empty="")

    document.add_heading("Matters of general importance", level=1)
    _commentary(document, report, "general_importance", empty="None recorded.")
    document.add_heading("Actions taken to improve services", level=1)
    _commentary(
        document,
        report,
        "actions_taken",
        empty="None recorded. Action plans are not yet kept in PALS Desk: the co-ordinator writes them here.",
    )

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
