"""HTML made into Word and PDF: what a letter or response holds comes through, and a PDF never reaches out."""

import io

import docx
import pypdf

from palsdesk.correspondence.documents import docx_from_html, letter_html, pdf_from_html

HTML = """
<h1>Our response</h1>
<p>Dear Mrs Patel,</p>
<p>We <strong>looked into</strong> every point, and <em>we are sorry</em>.<br>Second line.</p>
<h2>What we will do</h2>
<ul><li>Apologise <b>in person</b><ul><li>by the ward manager</li></ul></li><li>Train staff</li></ul>
<ol><li>First</li><li>Second</li></ol>
<p>Between the lists.</p>
<ol><li>Again first</li></ol>
<table><tr><th>Date</th><th>What</th></tr><tr><td>1 May</td><td>Meeting</td></tr></table>
<p>Yours sincerely</p>
"""


def _word(html: str):
    return docx.Document(io.BytesIO(docx_from_html(html)))


def test_word_keeps_paragraphs_headings_bold_italic_and_line_breaks():
    word = _word(HTML)
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs if p.text]

    assert paragraphs[0] == ("Heading 1", "Our response")
    assert ("Heading 2", "What we will do") in paragraphs
    sorry = next(p for p in word.paragraphs if p.text.startswith("We looked"))
    assert sorry.text == "We looked into every point, and we are sorry.\nSecond line."
    assert [(run.text, bool(run.bold), bool(run.italic)) for run in sorry.runs if run.text.strip()] == [
        ("We ", False, False),
        ("looked into", True, False),
        (" every point, and ", False, False),
        ("we are sorry", False, True),
        (".", False, False),
        ("Second line.", False, False),
    ]


def test_word_makes_lists_nested_and_numbered_each_from_one():
    word = _word(HTML)
    styled = [(p.style.name, p.text) for p in word.paragraphs]

    assert ("List Bullet", "Apologise in person") in styled
    assert ("List Bullet 2", "by the ward manager") in styled
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["First", "Second", "Again first"]
    first_list, second_list = numbered[0], numbered[2]
    # Each list has its own numbering instance, restarting at 1.
    assert first_list._p.pPr.numPr.numId.val != second_list._p.pPr.numPr.numId.val


def test_word_makes_tables_with_bold_headers():
    (table,) = _word(HTML).tables

    assert [[cell.text for cell in row.cells] for row in table.rows] == [["Date", "What"], ["1 May", "Meeting"]]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold


def test_the_pdf_holds_the_text():
    text = pypdf.PdfReader(io.BytesIO(pdf_from_html(HTML))).pages[0].extract_text()

    for expected in ("Our response", "We looked into every point", "Apologise in person", "Meeting"):
        assert expected in " ".join(text.split())


def test_the_pdf_reads_files_only_from_under_its_base_folder(tmp_path):
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "inside.css").write_text('body::before { content: "FROM INSIDE"; }')
    (tmp_path / "outside.css").write_text('body::after { content: "FROM OUTSIDE"; }')
    html = (
        '<link rel="stylesheet" href="inside.css"><link rel="stylesheet" href="../outside.css">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/remote.css"><p>Body text</p>'
    )

    text = pypdf.PdfReader(io.BytesIO(pdf_from_html(html, base_url=str(letters) + "/"))).pages[0].extract_text()
    without_base = pypdf.PdfReader(io.BytesIO(pdf_from_html(html))).pages[0].extract_text()

    assert "FROM INSIDE" in text and "Body text" in text
    assert "FROM OUTSIDE" not in text
    assert "FROM INSIDE" not in without_base


def test_the_letter_layout_has_the_letterhead_and_a_large_print_variant():
    class Trust:
        name = "Test Hospitals NHS Foundation Trust"
        address = "Headington\nOxford"
        phone = "01865 000000"
        email = ""
        website = ""

    standard = letter_html(
        body_html="<p>Dear Mr Babbage,</p>",
        trust=Trust(),
        recipient_name="Mr Charles Babbage",
        recipient_address="1 Engine Lane\nOxford",
        dated="20 November 2026",
        reference="COM-2026-00001",
    )
    large = letter_html(
        body_html="<p>Dear Mr Babbage,</p>",
        trust=Trust(),
        recipient_name="Mr Charles Babbage",
        recipient_address="1 Engine Lane\nOxford",
        dated="20 November 2026",
        reference="COM-2026-00001",
        is_large_print=True,
    )

    assert "Test Hospitals NHS Foundation Trust" in standard and "Telephone: 01865 000000" in standard
    assert 'class="letter"' in standard and "font-size: 11pt" in standard
    assert 'class="letter large-print"' in large and "font-size: 16pt" in large
    assert _word(large).styles["Normal"].font.size.pt == 16
    assert _word(standard).styles["Normal"].font.size.pt == 11
