"""In a real browser on a tablet-sized screen, a co-ordinator grades a complaint on the matrix with the keyboard alone.

It proves what only a browser can: the grid is one radio group that Tab reaches and the arrow keys move
through, each cell's accessible name says its consequence, likelihood, score and grade, the fieldset's legend
names the group, and the cell with the focus shows it. Slow by nature (a few seconds): one test only.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from palsdesk.accounts.tests.factories import PASSWORD, coordinator
from palsdesk.cases.models import Case, Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.core.tests.browser import tab_to
from palsdesk.grading.models import CaseGrading
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TABLET = {"width": 768, "height": 1024}
FIRST_CELL = "Consequence 1, negligible; likelihood 5, almost certain: score 5, moderate"
CHOSEN_CELL = "Consequence 4, major; likelihood 3, possible: score 12, high"
# The grid runs row by row from "almost certain" (likelihood 5) down: consequence 4, likelihood 3 is the 14th cell.
ARROWS_TO_CHOSEN_CELL = 13


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": TABLET, "has_touch": True}


def test_a_coordinator_grades_a_complaint_on_the_matrix_with_the_keyboard(page: Page, live_server):
    medicine = DivisionFactory(code="MED", name="Medicine")
    lead = coordinator(username="complaints.lead", divisions=[medicine])
    complaint = make_case(
        kind=Kind.COMPLAINT, division=medicine, actor=lead, case_officer=lead, summary="Left on a trolley overnight"
    )

    page.goto(f"{live_server.url}/cases/{complaint.reference}/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    tab_to(page, "#id_username")
    page.keyboard.type(lead.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(complaint.reference)

    tab_to(page, f"a[href='/cases/{complaint.reference}/grading/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Grade the complaint", level=1)).to_be_visible()

    # The fieldset's legend names the group; Tab reaches the grid as one stop, at its first cell.
    grid = page.get_by_role("group", name="Consequence and likelihood")
    expect(grid).to_be_visible()
    expect(grid.get_by_role("radio")).to_have_count(25)
    tab_to(page, "input[name='cell']")
    focused = page.locator(":focus")
    expect(focused).to_have_accessible_name(FIRST_CELL)

    for _ in range(ARROWS_TO_CHOSEN_CELL):
        page.keyboard.press("ArrowRight")
    chosen = grid.get_by_role("radio", name=CHOSEN_CELL, exact=True)
    expect(chosen).to_be_focused()
    expect(chosen).to_be_checked()
    expect(focused).to_have_accessible_name(CHOSEN_CELL)
    # The cell with the focus shows it: the NHS.UK yellow focus outline around the cell's label.
    outline = page.evaluate(
        "() => { const style = getComputedStyle(document.activeElement.nextElementSibling);"
        " return [style.outlineStyle, style.outlineWidth]; }"
    )
    assert outline == ["solid", "4px"]
    expect(grid.get_by_role("radio", checked=True)).to_have_count(1)

    page.keyboard.press("Tab")
    expect(page.get_by_role("textbox", name="Reason for the grade")).to_be_focused()
    page.keyboard.type("Repeated failures on the ward; likely to recur monthly.")
    tab_to(page, "main button[type='submit']")
    page.keyboard.press("Enter")

    expect(page.get_by_text(f"{complaint.reference} graded high (score 12).")).to_be_visible()
    grade_row = page.locator("#grade")
    expect(grade_row.get_by_text("High", exact=True)).to_be_visible()
    expect(grade_row).to_contain_text("score 12")
    expect(grade_row.get_by_role("link", name=re.compile("^Change the grade"))).to_be_visible()
    grading = CaseGrading.objects.get(case=complaint)
    assert (grading.consequence, grading.likelihood, grading.score) == (4, 3, 12)
    assert Case.objects.get(pk=complaint.pk).grade.code == "high"

    assert page.browser_errors == []
