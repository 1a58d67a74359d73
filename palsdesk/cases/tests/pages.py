"""What the web page tests share: reading the NHS.UK error summary, a browser's form defaults, and row counts."""

import datetime
import re
from html import unescape
from html.parser import HTMLParser

from django.urls import reverse
from django.utils.html import escape

from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Case, CaseLink, TimelineEntry
from palsdesk.people.models import CaseParty, Consent, Person

TODAY = datetime.date(2026, 11, 21)  # a Saturday
NOW = datetime.datetime(2026, 11, 21, 10, 30, tzinfo=datetime.UTC)

TEN_THOUSAND = "A" * 9_999 + "Z"
SCRIPT = '<script>alert(1)</script> & "quotes"'


def case_url(case, name: str = "detail") -> str:
    return reverse(f"cases:{name}", kwargs={"reference": case.reference})


def date_parts(name: str, day, month, year) -> dict[str, str]:
    """What the NHS.UK date input posts: one field each for day, month and year."""
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def on(name: str, date: datetime.date) -> dict[str, str]:
    return date_parts(name, date.day, date.month, date.year)


def rows() -> dict[str, int]:
    """How many rows each table a form writes to holds: equal before and after means nothing was saved."""
    tables = (Case, Person, CaseParty, TimelineEntry, AuditEvent, CaseLink, Consent)
    return {model.__name__: model.objects.count() for model in tables}


def text_of(fragment: str) -> str:
    """The text a person reads: tags dropped, entities decoded."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip())


def problems(response) -> list[str]:
    """The messages in the page's error summaries, as the person reads them."""
    html = response.content.decode()
    found = []
    for summary in re.findall(r'<ul class="nhsuk-list nhsuk-error-summary__list">(.*?)</ul>', html, re.S):
        found += [text_of(item) for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]
    return found


def assert_refused(
    response, *, says: str, kept=(), before: dict[str, int] | None = None, at_field: bool = True
) -> None:
    """The form came back with the NHS.UK error summary naming the problem, what was typed kept, nothing saved.

    at_field: the message is also shown by the field it is about (False for a problem with the whole form).
    """
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert "There is a problem" in html
    assert any(says in message for message in problems(response)), problems(response)
    if at_field:
        assert 'class="nhsuk-error-message"' in html
    for typed in kept:
        assert escape(typed) in html, f"{typed[:60]!r} is not shown again"
    if before is not None:
        assert rows() == before


class _FormReader(HTMLParser):
    """Collects what a browser would post from one form if the person changed nothing."""

    def __init__(self, action: str | None):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.in_form = False
        self.values: dict[str, list[str]] = {}
        self._select = None
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = self.action is None or attrs.get("action") in (self.action, None, "")
            self.in_form = self.in_form and attrs.get("method", "get").lower() == "post"
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox") and "checked" not in attrs:
                return
            self.values.setdefault(name, []).append(attrs.get("value", "on"))
        elif tag == "select":
            self._select = name
            self._option = None
        elif tag == "option" and self._select:
            if self._option is None or "selected" in attrs:
                self._option = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self._select:
            self.values[self._select] = [self._option or ""]
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data


def form_defaults(response, action: str | None = None) -> dict[str, list[str]]:
    reader = _FormReader(action)
    reader.feed(response.content.decode())
    reader.values.pop("csrfmiddlewaretoken", None)
    return reader.values


_RESPONSIVE_HEADING = re.compile(r'<span class="nhsuk-table-responsive__heading" aria-hidden="true">.*?</span>')


def page_text(response) -> str:
    """The page's text as read on a wide screen: tags and the headings a table repeats on a narrow one dropped."""
    return text_of(_RESPONSIVE_HEADING.sub("", response.content.decode()))


def clock_rows(response) -> dict[str, str]:
    """Each row of the case page's clocks table, by clock (acknowledgement, response, long_stop), as read."""
    html = _RESPONSIVE_HEADING.sub("", response.content.decode())
    return {
        key: text_of(row)
        for key, row in re.findall(r'<tr class="nhsuk-table__row" id="clock-(\w+)">(.*?)</tr>', html, re.S)
    }


def due_cells(response) -> dict[str, str]:
    """The "Next due" cell of each row in a case table, by case reference, as read."""
    html = response.content.decode()
    cells = {}
    for row in re.findall(r'<tr class="nhsuk-table__row">(.*?)</tr>', html, re.S):
        reference = re.search(r'href="/cases/([A-Z]{3}-\d{4}-\d{5})/"', row)
        due = re.search(r'aria-hidden="true">Next due </span>(.*?)</td>', row, re.S)
        if reference and due:
            cells[reference.group(1)] = text_of(due.group(1))
    return cells


def linked_references(response) -> set[str]:
    """The case references the page links to: the rows of a case list, or a case's links."""
    return set(re.findall(r'href="/cases/([A-Z]{3}-\d{4}-\d{5})/"', response.content.decode()))
