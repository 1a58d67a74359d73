"""The personal data check on public "you said, we did" words: what it finds, and what it lets through."""

import pytest

from palsdesk.learning.personal_data import findings, refusal

NAMES = ["Ada Lovelace", "Joan Ward", "Siobhan O'Brien-Kelly"]


@pytest.mark.parametrize(
    ("text", "what", "found"),
    [
        ("Her NHS number is 943 476 5919.", "an NHS number", "943 476 5919"),
        ("Ref 9434765919 was used", "an NHS number", "9434765919"),
        ("Number 943-476-5919 on file", "an NHS number", "943-476-5919"),
        ("Call 01632 960001 to book", "a phone number", "01632 960001"),
        ("Call 07700900123", "a phone number", "07700900123"),
        ("Call +44 20 7946 0000", "a phone number", "+44 20 7946 0000"),
        ("Call 020 7946 0000", "a phone number", "020 7946 0000"),
        ("Write to ada.l+nhs@example.org", "an email address", "ada.l+nhs@example.org"),
        ("Born 12/03/1984 in Leeds", "a full date, which could be a date of birth", "12/03/1984"),
        ("Seen on 1984-03-12", "a full date, which could be a date of birth", "1984-03-12"),
        ("Seen on 12 March 1984", "a full date, which could be a date of birth", "12 March 1984"),
        ("Seen on 3rd of Jan 84", "a full date, which could be a date of birth", "3rd of Jan 84"),
        ("Seen on March 12, 1984", "a full date, which could be a date of birth", "March 12, 1984"),
        ("Her DOB was known", "a date of birth", "DOB"),
        ("Her date of birth was known", "a date of birth", "date of birth"),
        ("Lives at OX4 2PG now", "a postcode", "OX4 2PG"),
        ("Hospital number 1234567", "a long number, which could be a hospital number", "1234567"),
        ("See COM-2026-00042 for more", "a case reference", "COM-2026-00042"),
        ("Ada Lovelace told us", "the name of someone on a linked case", "Ada Lovelace"),
        ("ada lovelace told us", "the name of someone on a linked case", "ada lovelace"),
        ("Mrs Lovelace told us", "the name of someone on a linked case", "Lovelace"),
        ("LOVELACE told us", "the name of someone on a linked case", "LOVELACE"),
        ("Ask O'Brien-Kelly", "the name of someone on a linked case", "O'Brien-Kelly"),
        ("Nurse Ward said", "the name of someone on a linked case", "Ward"),
    ],
)
def test_it_finds_each_kind_of_personal_data(text, what, found):
    assert [(f.what, f.text) for f in findings(text, names=NAMES)] == [(what, found)]


@pytest.mark.parametrize(
    "text",
    [
        "You told us that discharge letters were late and hard to read.",
        "From April 2026 every ward uses a discharge checklist, and 95% of letters go the same day.",
        "We trained 120 staff in 2025 and 2026, on wards 7 and 12.",
        "Waiting times on the ward fell from 4 hours to 90 minutes.",
        "Phone lines now open at 8am; over 1,200,000 calls a year.",
        "The B2 2nd floor ward has a new quiet room.",
        "Version 3.2 of the leaflet is on the website.",
    ],
)
def test_general_words_pass(text):
    assert findings(text, names=NAMES) == []
    assert refusal(text, names=NAMES) is None


def test_one_word_of_a_name_counts_only_written_as_a_name():
    # "ward" is a place; "Ward" written as a name is someone's surname.
    assert findings("Patients on the ward said so", names=["Joan Ward"]) == []
    assert [f.text for f in findings("Joan said so", names=["Joan Ward"])] == ["Joan"]


def test_a_whole_name_is_one_finding_not_two():
    assert [f.text for f in findings("We spoke to Ada  Lovelace.", names=["Ada Lovelace"])] == ["Ada  Lovelace"]


def test_the_refusal_names_everything_found_in_order():
    message = refusal("Ada Lovelace (943 476 5919) rang 01632 960001", names=["Ada Lovelace"])

    assert message.startswith("This cannot be published: it contains the name of someone on a linked case")
    assert message.index("Ada Lovelace") < message.index("943 476 5919") < message.index("01632 960001")
    assert "an NHS number ('943 476 5919')" in message
    assert "a phone number ('01632 960001')" in message


def test_names_of_one_letter_are_not_looked_for_alone():
    assert findings("A new leaflet", names=["A Smith"]) == []


def test_a_name_is_found_in_its_possessive():
    assert [f.text for f in findings("Lovelace's letter and Ada’s call", names=["Ada Lovelace"])] == ["Lovelace", "Ada"]
