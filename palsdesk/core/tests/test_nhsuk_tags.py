"""The NHS.UK markup tags: a select's options and the coloured tags, as the browser receives them."""

from django import forms
from django.template import Context, Template

from palsdesk.cases.models import Case, Status


def render(source: str, **context) -> str:
    return Template("{% load nhsuk %}" + source).render(Context(context))


class ColleagueForm(forms.Form):
    colleague = forms.ChoiceField(
        choices=[("", "Choose"), ("Ward staff", [("7", "Sister <Jones>"), ("8", "Dr O'Brien & team")])],
        required=False,
    )


def test_a_select_marks_the_chosen_option_and_escapes_every_label():
    html = render("{% field form.colleague %}", form=ColleagueForm({"colleague": "8"}))

    assert '<option value="">Choose</option>' in html
    assert (
        '<optgroup label="Ward staff"><option value="7">Sister &lt;Jones&gt;</option>'
        '<option value="8" selected>Dr O&#x27;Brien &amp; team</option></optgroup>'
    ) in html
    assert "<Jones>" not in html


def test_tags_carry_their_words_and_colour_with_the_words_escaped():
    case = Case(status=Status.CLOSED)

    assert render("{% status_tag case %}", case=case) == '<strong class="nhsuk-tag nhsuk-tag--grey">Closed</strong>\n'
    assert (
        render("{% tag label 'red' %}", label="Overdue <by 2 days>")
        == '<strong class="nhsuk-tag nhsuk-tag--red">Overdue &lt;by 2 days&gt;</strong>\n'
    )
