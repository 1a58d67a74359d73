"""The KO41a return as files and data: CSV in the collection's layout, an Excel workbook, and the API's shape.

The layout follows the return's sections 1 to 8, a row for each box, a column for the organisation and one
for each site (KO41a is recorded by organisation site). NHS England's SDCS template could not be read
(domain.md §3.5), so the rows carry the section and the box's code as well as its label.
"""

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from palsdesk.reporting.returns import ko41a
from palsdesk.reporting.returns.ko41a import ORGANISATION
from palsdesk.reporting.returns.selectors import Ko41aReturn

HEADINGS = ["Organisation code", "Period", "Section", "Section title", "Item code", "Item", "Total"]
SITE_DETAILS = ("site_code", "Site code"), ("site_name", "Site name")


def file_name(the_return: Ko41aReturn, extension: str) -> str:
    period = the_return.period
    suffix = f"-q{period.quarter}" if period.quarter else ""
    code = the_return.organisation_code or "organisation"
    return f"ko41a-{code}-{period.year}{suffix}.{extension}"


def rows(the_return: Ko41aReturn) -> list[list[Any]]:
    """The return as a table: a heading row, the organisation and site details, then every box of sections 2 to 8."""
    sites = the_return.sites
    year, quarter = the_return.period.year, the_return.period.quarter
    period = f"{year} Q{quarter}" if quarter else year
    table: list[list[Any]] = [[*HEADINGS, *(site.code or site.name for site in sites)]]
    leading = [the_return.organisation_code, period]
    section_one = "Organisation and organisation-site details"
    table.append(
        [*leading, 1, section_one, "site_code", "Site code", the_return.organisation_code, *(s.code for s in sites)]
    )
    table.append(
        [*leading, 1, section_one, "site_name", "Site name", the_return.organisation_name, *(s.name for s in sites)]
    )
    for section in the_return.sections:
        for box in section.boxes:
            table.append(
                [
                    *leading,
                    section.number,
                    section.title,
                    box.code,
                    box.label,
                    the_return.value(box.key),
                    *(the_return.value(box.key, site.key) for site in sites),
                ]
            )
    return table


def as_csv(the_return: Ko41aReturn) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows(the_return):
        # A spreadsheet would run a cell starting with = + - @ as a formula; a site name is typed by a person.
        writer.writerow([f"'{cell}" if isinstance(cell, str) and cell[:1] in "=+-@" else cell for cell in row])
    return out.getvalue()


def _sheet(workbook: Workbook, title: str, table: list[list[Any]], *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    for row in table:
        sheet.append(row)
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            # Text is stored as text, never run as a formula, whatever it starts with (a site name is typed in).
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    return sheet


def as_workbook(the_return: Ko41aReturn) -> bytes:
    """The same table as the CSV on its own sheet, with the quarters, the checks and the counting rules."""
    workbook = Workbook()
    _sheet(workbook, "KO41a", rows(the_return), first=True)
    periods = the_return.periods_shown
    quarters = [["Section", "Item", *(period.short_label for period in periods)]]
    for section in the_return.sections:
        for box in section.boxes:
            quarters.append(
                [section.number, box.label, *(the_return.value(box.key, ORGANISATION, period) for period in periods)]
            )
    _sheet(workbook, "By quarter", quarters)
    checks = [["Check", "Site", "What is wrong", "Cases behind it", "First cases"]]
    site_names = {site.key: site.name for site in the_return.sites}
    for failed in the_return.failures:
        failure = failed.failure
        checks.append(
            [
                failed.title,
                site_names.get(failure.column, "Whole organisation"),
                failure.message,
                failure.cases_count,
                ", ".join(failed.references),
            ]
        )
    if not the_return.failures:
        checks.append(["Every check passed", "", "", 0, ""])
    _sheet(workbook, "Checks", checks)
    rules = [["Rule", "How this return counts"], *([key, text] for key, text in ko41a.COUNTING_RULES)]
    sheet = _sheet(workbook, "How counted", rules)
    for row_cells in sheet.iter_rows(min_row=2):
        row_cells[1].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["B"].width = 100
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_data(the_return: Ko41aReturn) -> dict[str, Any]:
    """The return as plain data: the API's answer and the command's JSON."""
    period = the_return.period
    site_keys = [site.key for site in the_return.sites]
    return {
        "year": period.year,
        "quarter": period.quarter,
        "period": {"label": period.label, "starts_on": period.starts_on, "ends_on": period.ends_on},
        "organisation": {"code": the_return.organisation_code, "name": the_return.organisation_name},
        "sites": [{"key": site.key, "code": site.code, "name": site.name} for site in the_return.sites],
        "sections": [
            {
                "number": section.number,
                "key": section.key,
                "title": section.title,
                "counts": section.spec.counts,
                "list_year": section.list_year or None,
                "boxes": [
                    {
                        "key": box.key,
                        "code": box.code,
                        "label": box.label,
                        "total": the_return.value(box.key),
                        "by_site": {key: the_return.value(box.key, key) for key in site_keys},
                        "by_quarter": {
                            shown.key: the_return.value(box.key, ORGANISATION, shown)
                            for shown in the_return.periods_shown
                        },
                    }
                    for box in section.boxes
                ],
            }
            for section in the_return.sections
        ],
        "left_out": [
            {"key": key, "title": title, "total": count} for key, title, count in the_return.left_out(ORGANISATION)
        ],
        "reopened": the_return.reopened(),
        "checks": {
            "ready": the_return.is_ready,
            "failures": [
                {
                    "rule": failed.failure.rule,
                    "title": failed.title,
                    "site": failed.failure.column or None,
                    "message": failed.failure.message,
                    "cases_box": failed.failure.cases_box,
                    "cases_count": failed.failure.cases_count,
                    "cases": failed.references,
                }
                for failed in the_return.failures
            ],
            "gaps": [{"key": key, "title": title, "cases_count": count} for key, title, count in the_return.gaps],
        },
        "counting_rules": [{"key": key, "text": text} for key, text in ko41a.COUNTING_RULES],
        "worked_out_on": the_return.worked_out_on,
    }
