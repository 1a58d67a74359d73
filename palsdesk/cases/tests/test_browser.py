"""In a real browser on a tablet-sized screen, a PALS officer logs a concern with the keyboard alone.

Slow by nature (about two seconds): it starts Chromium and a live server. It is the one test that
proves the NHS.UK frontend, htmx and the Content-Security-Policy work together in a browser.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from palsdesk.accounts.tests.factories import PASSWORD, officer
from palsdesk.cases.models import Case, Kind
from palsdesk.core.tests.browser import tab_to
from palsdesk.organisation.tests.factories import DivisionFactory, SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": TABLET, "has_touch": True}


def test_a_pals_officer_logs_a_concern_with_the_keyboard_and_finds_it_in_my_work(page: Page, live_server):
    medicine = DivisionFactory(code="MED", name="Medicine")
    DivisionFactory(code="SURG", name="Surgery")
    SiteFactory(name="Riverside Hospital")
    user = officer(username="pals.officer", divisions=[medicine])

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    tab_to(page, "#id_username")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()

    tab_to(page, "a.nhsuk-header__navigation-link[href='/cases/new/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Log a case")).to_be_visible()

    tab_to(page, "input[name='kind']")
    expect(page.locator("input[name='kind'][value='pals_concern']")).to_be_checked()
    tab_to(page, "#id_first_name")
    page.keyboard.type("Mary")
    page.keyboard.press("Tab")
    page.keyboard.type("Seacole")
    page.keyboard.press("Tab")
    page.keyboard.type("01632 960123")
    tab_to(page, "#id_patient_nhs_number")
    page.keyboard.type("943 476 5919")
    tab_to(page, "#id_summary")
    page.keyboard.type("Hearing aid lost on Ward 7 during transfer")
    page.keyboard.press("Tab")
    page.keyboard.type("My mother's hearing aid went missing when she moved wards on Tuesday.")
    tab_to(page, "#id_division")
    page.keyboard.type("Medicine")
    expect(page.locator("#id_division")).to_have_value(str(medicine.pk))
    tab_to(page, "main button[type='submit']")
    page.keyboard.press("Enter")

    expect(page.get_by_text(re.compile(r"PALS concern PAL-\d{4}-\d{5} logged\."))).to_be_visible()
    case = Case.objects.get()
    assert case.kind == Kind.PALS_CONCERN
    assert case.case_officer == user
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)

    tab_to(page, "a.nhsuk-header__navigation-link[href='/']")
    page.keyboard.press("Enter")
    row_link = page.get_by_role("link", name=case.reference)
    expect(row_link).to_be_visible()
    tab_to(page, f"a[href='/cases/{case.reference}/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    expect(page.get_by_text("Hearing aid lost on Ward 7 during transfer").first).to_be_visible()
    expect(page.get_by_text("943 476 5919").first).to_be_visible()

    assert page.browser_errors == []
