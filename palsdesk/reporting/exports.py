"""A case list as a spreadsheet: CSV streamed row by row, Excel up to a bound, both safe to open in a spreadsheet.

The rows are the list the user filtered (cases.selectors.case_list, so only cases they may see). People's
names and contact details are left out: a report needs the casework, not who the people are.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from palsdesk.cases.models import Case

# Enough for any list a person works from; the CSV, streamed, has no bound.
EXCEL_MAX_ROWS = 50_000
CHUNK_ROWS = 2_000
# A cell starting with one of these is read by a spreadsheet as a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
EXCEL_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula, with a leading apostrophe so it is shown as typed."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


@dataclass(frozen=True)
class Column:
    heading: str
    value: object  # a function of the case


def _date(day: datetime.date | None):
    return day if day else None


COLUMNS = (
    Column("Reference", lambda case: case.reference),
    Column("Kind", lambda case: case.get_kind_display()),
    Column("Status", lambda case: case.get_status_display()),
    Column("Channel", lambda case: case.get_channel_display()),
    Column("Received", lambda case: _date(case.received_on)),
    Column("Division", lambda case: case.division.name),
    Column("Site", lambda case: case.site.name if case.site else ""),
    Column("Service", lambda case: case.service.name if case.service else ""),
    Column("Summary", lambda case: case.summary),
    Column("Case officer", lambda case: _name(case.case_officer)),
    Column("Investigating manager", lambda case: _name(case.investigating_manager)),
    Column("Grade", lambda case: case.grade.name if case.grade else ""),
    Column("Acknowledgement due", lambda case: _date(case.acknowledgement_due_on)),
    Column("Acknowledged", lambda case: _date(case.acknowledged_on)),
    Column("Response due", lambda case: _date(case.response_due_on)),
    Column("Responded", lambda case: _date(case.responded_on)),
    Column("Closed", lambda case: _date(case.closed_on)),
    Column("Outcome", lambda case: case.get_outcome_display() if case.outcome else ""),
    Column("Reopened (times)", lambda case: case.reopened_count),
    Column("Next due", lambda case: _date(case.next_due_on)),
    Column("Restricted", lambda case: "Yes" if case.is_restricted else "No"),
)
HEADINGS = tuple(column.heading for column in COLUMNS)


def for_export(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The list's own order and filters, with what the columns show joined in (and no people fetched)."""
    return cases.prefetch_related(None).select_related(
        "division", "site", "service", "case_officer", "investigating_manager", "grade"
    )


def rows_of(cases: QuerySet[Case]) -> Iterator[tuple]:
    # iterator() reads in chunks, so a long list never sits in memory whole.
    for case in for_export(cases).iterator(chunk_size=CHUNK_ROWS):
        yield tuple(spreadsheet_safe(column.value(case)) for column in COLUMNS)


class _Line:
    """A file-like object that hands back what csv.writer writes, so each row can be streamed as it is made."""

    def write(self, text: str) -> str:
        return text


def csv_lines(cases: QuerySet[Case]) -> Iterator[str]:
    writer = csv.writer(_Line())
    # A byte order mark, so Excel opens the UTF-8 file with its accents and pound signs intact.
    yield "\ufeff" + writer.writerow(HEADINGS)
    for row in rows_of(cases):
        yield writer.writerow(["" if value is None else value for value in row])


def excel_workbook(cases: QuerySet[Case], *, about: Iterable[tuple[str, str]]) -> tuple[bytes, int, bool]:
    """The workbook's bytes, how many cases it holds, and whether there were more than it could hold."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Cases")
    bold = Font(bold=True)
    sheet.append([_text_cell(sheet, heading, font=bold) for heading in HEADINGS])
    written = 0
    more = False
    for row in rows_of(cases[: EXCEL_MAX_ROWS + 1]):
        if written == EXCEL_MAX_ROWS:
            more = True
            break
        sheet.append([_cell(sheet, value) for value in row])
        written += 1
    notes = workbook.create_sheet("About this export")
    for label, value in about:
        notes.append([_text_cell(notes, label, font=bold), _text_cell(notes, value)])
    notes.append([_text_cell(notes, "Cases", font=bold), written])
    if more:
        notes.append(
            [
                _text_cell(notes, "Not included", font=bold),
                _text_cell(notes, f"Only the first {EXCEL_MAX_ROWS:,} cases: download the CSV for them all."),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), written, more


def _text_cell(sheet, value: str, *, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=spreadsheet_safe(value))
    # Always text, never a formula, whatever it starts with.
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def _cell(sheet, value):
    if isinstance(value, str):
        return _text_cell(sheet, value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = "DD/MM/YYYY"
    return cell
