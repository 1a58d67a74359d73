"""Merge fields: a fixed list of names, reported before a letter is made, never printed as blanks."""

import pytest

from palsdesk.correspondence import merge


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("Dear {{ recipient.salutation }}, your reference is {{case.reference}}.", []),
        ("Ref {{ case.refrence }}", ["{{ case.refrence }} is not a merge field."]),
        ("{{ case.reference|upper }}", ["{{ case.reference|upper }} is not a merge field."]),
        ("{{ }}", ["{{ (nothing) }} is not a merge field."]),
        ("{{ settings.SECRET_KEY }}", ["{{ settings.SECRET_KEY }} is not a merge field."]),
        ("{% load static %}{{ case.reference }}", ["“{% load static %}” is template code, which is not allowed"]),
        ("{# a note #}", ["“{# a note #}” is template code, which is not allowed"]),
        ("Dear {{ recipient.salutation ,", ["A merge field is not closed"]),
        ("Write [[ what we found ]] here", []),
    ],
)
def test_template_problems_name_each_wrong_field(text, problems):
    found = merge.template_problems(text)

    assert len(found) == len(problems)
    for message, expected in zip(found, problems, strict=True):
        assert message.startswith(expected)


def test_merge_fills_every_field_with_its_value():
    text = "Dear {{ recipient.salutation }},\n\nYour reference is {{ case.reference }} ({{case.reference}})."

    merged = merge.merge(text, {"recipient.salutation": "Mrs Patel", "case.reference": "COM-2026-00042"})

    assert merged == "Dear Mrs Patel,\n\nYour reference is COM-2026-00042 (COM-2026-00042)."


def test_a_field_with_no_value_for_the_case_is_reported_not_left_blank():
    with pytest.raises(merge.MergeProblem) as problem:
        merge.merge("For {{ representative.name }}", {"representative.name": "  "})

    assert problem.value.messages == [
        "These merge fields have no value for this case: {{ representative.name }} (the representative's full "
        "name). Add the details to the case, or choose another template."
    ]


def test_an_unknown_field_stops_the_merge():
    with pytest.raises(merge.MergeProblem, match=r"\{\{ case.colour \}\} is not a merge field"):
        merge.merge("{{ case.colour }}", {})


def test_merged_values_are_not_merged_again():
    merged = merge.merge("{{ complainant.name }}", {"complainant.name": "{{ officer.email }}"})

    assert merged == "{{ officer.email }}"


def test_parts_to_write_are_the_words_in_double_square_brackets():
    assert merge.parts_to_write("A [[ the reason\n for the delay ]] and [[what we found]].") == [
        "the reason for the delay",
        "what we found",
    ]


def test_every_field_has_a_description_for_the_administrator():
    assert all(field.description for field in merge.FIELDS.values())
    assert {"case.reference", "case.acknowledgement_due_on", "complainant.name", "patient.name"} <= set(merge.FIELDS)
    assert {"representative.name", "officer.name", "trust.name", "complaints_procedure"} <= set(merge.FIELDS)
    assert {"advocacy.name", "ombudsman.name", "ombudsman.phone"} <= set(merge.FIELDS)
