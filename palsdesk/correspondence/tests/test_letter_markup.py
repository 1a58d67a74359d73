"""The letter markup: plain text an officer can edit, made into safe HTML for the PDF and Word documents."""

import pytest

from palsdesk.correspondence.letter_markup import to_html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Dear Mrs Patel,\n\nThank you.", "<p>Dear Mrs Patel,</p>\n<p>Thank you.</p>"),
        ("1 High Street\nOxford\nOX4 2PG", "<p>1 High Street<br>Oxford<br>OX4 2PG</p>"),
        ("# What we found\nWe looked.", "<h1>What we found</h1>\n<p>We looked.</p>"),
        ("## How we looked into it", "<h2>How we looked into it</h2>"),
        (
            "It was **not** acceptable and *we are sorry*.",
            "<p>It was <strong>not</strong> acceptable and <em>we are sorry</em>.</p>",
        ),
        ("We will:\n- apologise\n- train staff", "<p>We will:</p>\n<ul><li>apologise</li><li>train staff</li></ul>"),
        ("1. first\n2. second", "<ol><li>first</li><li>second</li></ol>"),
        ("- ward\n  - bay 3\n- clinic", "<ul><li>ward<ul><li>bay 3</li></ul></li><li>clinic</li></ul>"),
        (
            "| Date | What |\n|---|---|\n| 1 May | Call |",
            "<table><tr><th>Date</th><th>What</th></tr><tr><td>1 May</td><td>Call</td></tr></table>",
        ),
        ("| Name | Ada |", "<table><tr><td>Name</td><td>Ada</td></tr></table>"),
        ("<script>alert('x')</script> & <b>", "<p>&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;</p>"),
        ("Signed: ______  2 * 3 * 4", "<p>Signed: ______  2 * 3 * 4</p>"),
    ],
)
def test_markup_becomes_html(text, html):
    assert to_html(text) == html


def test_html_typed_inside_bold_is_still_escaped():
    assert to_html("**<img src=x onerror=alert(1)>**") == "<p><strong>&lt;img src=x onerror=alert(1)&gt;</strong></p>"
