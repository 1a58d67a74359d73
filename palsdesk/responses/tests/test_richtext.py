"""A draft is stored as the letter subset of HTML: nothing that runs, links or styles survives sanitising."""

import pytest

from palsdesk.responses import richtext

DANGEROUS = [
    '<p>Dear Mrs Patel</p><script>alert("x")</script>',
    '<p onclick="alert(1)">Dear Mrs Patel</p>',
    '<p>Dear <a href="javascript:alert(1)" onmouseover="alert(2)">Mrs Patel</a></p>',
    '<img src="x" onerror="alert(1)"><p>Dear Mrs Patel</p>',
    "<p>Dear Mrs Patel<style>body{display:none}</style></p>",
    '<svg onload="alert(1)"><script>alert(2)</script></svg><p>Dear Mrs Patel</p>',
    '<iframe src="https://example.com"></iframe><p>Dear Mrs Patel</p>',
    '<p style="background:url(javascript:alert(1))">Dear Mrs Patel</p>',
    "<SCRIPT>alert(1)</SCRIPT><p>Dear Mrs Patel</p>",
    "<p>Dear Mrs Patel</p><script>unclosed(",
    '<p>Dear Mrs Patel</p><object data="x.swf"><embed src="x.swf"></object>',
    "<scr<script>ipt>alert(1)</script><p>Dear Mrs Patel</p>",
    '<p>Dear Mrs Patel</p><form action="https://evil"><input name="x"><button>Go</button></form>',
    "<p>Dear Mrs Patel</p><!-- <script>alert(1)</script> -->",
    '<p>Dear Mrs Patel</p><math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]


@pytest.mark.parametrize("dirty", DANGEROUS)
def test_no_script_handler_style_or_link_survives(dirty):
    clean = richtext.sanitise(dirty)

    assert "Dear Mrs Patel" in clean
    lowered = clean.lower()
    for forbidden in (
        "<script",
        "onclick",
        "onerror",
        "onload",
        "onmouseover",
        "javascript:",
        "<style",
        "<img",
        "<a ",
        "<iframe",
        "<svg",
        "<object",
        "<embed",
        "<form",
        "<input",
        "<button",
        "style=",
        "href=",
        "<!--",
        "<math",
    ):
        assert forbidden not in lowered, (forbidden, clean)


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>One</p><p>Two</p>", "<p>One</p>\n<p>Two</p>"),
        (
            "<b>Bold</b> and <i>italic</i> and <u>under</u>",
            "<p><strong>Bold</strong> and <em>italic</em> and <u>under</u></p>",
        ),
        ("<h1>Title</h1><h4>Small</h4>", "<h2>Title</h2>\n<h3>Small</h3>"),
        (
            "<ul><li>a</li><li>b</li></ul><ol><li>c</li></ol>",
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol>\n<li>c</li>\n</ol>",
        ),
        ("<div>In a div</div><div>And another</div>", "<p>In a div</p>\n<p>And another</p>"),
        ('<p><span style="color:red">Kept text</span></p>', "<p>Kept text</p>"),
        ("<p>Line one<br>line two</p>", "<p>Line one<br>line two</p>"),
        ("<p>   </p><p><br></p><p>Real</p>", "<p>Real</p>"),
        ("<p>1 &lt; 2 &amp; 3 &gt; 2</p>", "<p>1 &lt; 2 &amp; 3 &gt; 2</p>"),
        ("<p><strong>Unclosed bold</p><p>Next</p>", "<p><strong>Unclosed bold</strong></p>\n<p>Next</p>"),
        ("Loose text <p>then a paragraph</p>", "<p>Loose text</p>\n<p>then a paragraph</p>"),
        ("<ul><li>a<ul><li>nested</li></ul></li></ul>", "<ul>\n<li>a</li>\n<li>nested</li>\n</ul>"),
        ("<blockquote>Quoted</blockquote>", "<blockquote>Quoted</blockquote>"),
    ],
)
def test_the_letter_subset_is_kept_and_everything_else_unwrapped(dirty, clean):
    assert richtext.sanitise(dirty) == clean


@pytest.mark.parametrize("dirty", [*DANGEROUS, "<p>a <strong> b</strong> c</p><ul><li>x</li></ul><h2>H</h2>"])
def test_sanitising_twice_changes_nothing_more(dirty):
    once = richtext.sanitise(dirty)
    assert richtext.sanitise(once) == once


def test_typed_plain_text_becomes_paragraphs_and_is_escaped():
    typed = "Dear Mr Jones,\n\nThank you for your letter.\nWe have looked into it.\n\n<Not a tag> & more"

    assert richtext.from_typed(typed) == (
        "<p>Dear Mr Jones,</p>\n<p>Thank you for your letter.<br>We have looked into it.</p>\n"
        "<p>&lt;Not a tag&gt; &amp; more</p>"
    )


def test_typed_html_from_the_editor_is_sanitised():
    assert richtext.from_typed('<p onclick="x()">Hi</p><script>x()</script>') == "<p>Hi</p>"


def test_paragraphs_are_numbered_blocks_and_list_items_count_as_paragraphs():
    clean = richtext.sanitise("<h2>Our response</h2><p>One<br>two</p><ul><li>First</li><li>Second</li></ul>")

    assert richtext.paragraphs(clean) == ["Our response", "One\ntwo", "First", "Second"]
    assert richtext.plain_text(clean) == "Our response\n\nOne\ntwo\n\nFirst\n\nSecond"
