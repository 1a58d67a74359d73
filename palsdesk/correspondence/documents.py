"""A letter's HTML made into the documents that are sent and filed: a PDF (WeasyPrint) and Word (python-docx)."""

import copy
import io
import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import docx
import lxml.html
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

LETTER_TEMPLATE = "correspondence/letters/letter.html"
# Large print: the RNIB's clear print guidance asks for at least 16 point in a plain sans-serif face.
LARGE_PRINT_CLASS = "large-print"
STANDARD_FONT_PT = 11
LARGE_PRINT_FONT_PT = 16
LETTER_FONT = "Arial"

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {"p", "div", "section", "article", "header", "footer", "address", "main", "blockquote", "pre"}
_INLINE_BOLD = {"b", "strong", "th"}
_INLINE_ITALIC = {"i", "em", "cite"}
_INLINE_UNDERLINE = {"u", "ins"}
_WHITESPACE = re.compile(r"\s+")


def _weasyprint():
    """WeasyPrint, imported when the first PDF is made: it takes half a second to load."""
    # It reports each step of every PDF at INFO, which the site logs: its steps would flood the log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    import weasyprint

    return weasyprint


def _local_only_fetcher(base_url):
    """Letters never reach the network: only inline data, and files under the letter's own base folder."""
    from weasyprint.urls import URLFetcher

    base_folder = _local_folder(base_url)

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                if base_folder is None:
                    raise ValueError(f"Local files are not read without a base folder: {url}")
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not path.is_relative_to(base_folder):
                    raise ValueError(f"{url} is outside the letter's base folder")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols={"data", "file"})


def _local_folder(base_url: str | None) -> Path | None:
    if not base_url:
        return None
    path = unquote(urlsplit(str(base_url)).path) if str(base_url).startswith("file:") else str(base_url)
    folder = Path(path).resolve()
    return folder if folder.is_dir() else folder.parent


def pdf_from_html(html: str, *, base_url=None) -> bytes:
    """A PDF of the HTML. Images and stylesheets are read only from `data:` URLs or files under `base_url`."""
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=_local_only_fetcher(base_url)).write_pdf()


def letter_html(
    *,
    body_html: str,
    trust,
    letter_settings=None,
    recipient_name: str,
    recipient_address: str,
    dated: str,
    reference: str,
    subject: str = "",
    is_large_print: bool = False,
) -> str:
    """The whole letter: the trust's letterhead, the recipient's address, date and reference, then the body.

    `body_html` must already be safe HTML (built by letter_markup.to_html, which escapes what it is given).
    The large-print variant sets 16 point type, wider line spacing and everything left-aligned, in the PDF
    and (through the body's `large-print` class) in Word.
    """
    letterhead_lines = [line.strip() for line in (getattr(trust, "address", "") or "").splitlines() if line.strip()]
    if letter_settings is not None and letter_settings.team_name:
        letterhead_lines.append(letter_settings.team_name)
    phone = (letter_settings.team_phone if letter_settings else "") or getattr(trust, "phone", "")
    email = (letter_settings.team_email if letter_settings else "") or getattr(trust, "email", "")
    if phone:
        letterhead_lines.append(f"Telephone: {phone}")
    if email:
        letterhead_lines.append(f"Email: {email}")
    if getattr(trust, "website", ""):
        letterhead_lines.append(trust.website)
    return render_to_string(
        LETTER_TEMPLATE,
        {
            "body_html": mark_safe(body_html),  # noqa: S308 (built escaped by letter_markup; see the docstring)
            "trust_name": getattr(trust, "name", ""),
            "letterhead_lines": letterhead_lines,
            "recipient_name": recipient_name,
            "recipient_address_lines": [line.strip() for line in recipient_address.splitlines() if line.strip()],
            "dated": dated,
            "reference": reference,
            "subject": subject,
            "is_large_print": is_large_print,
            "font_pt": LARGE_PRINT_FONT_PT if is_large_print else STANDARD_FONT_PT,
        },
    )


# Word ---------------------------------------------------------------------------------------------------------------


class _WordWriter:
    """Walks parsed HTML and writes python-docx paragraphs, headings, lists and tables."""

    def __init__(self, document, *, font_pt: int):
        self.document = document
        self.font_pt = font_pt
        self.list_numbering: list[int | None] = []

    # Blocks

    def write_children(self, element, container=None) -> None:
        container = container if container is not None else self.document
        loose_text = (element.text or "").strip()
        if loose_text:
            self._paragraph(container).add_run(loose_text)
        for child in element:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions
            self.write_block(child, container)
            tail = (child.tail or "").strip()
            if tail:
                self._paragraph(container).add_run(tail)

    def write_block(self, element, container) -> None:
        tag = element.tag.lower()
        if tag in ("script", "style", "head", "title", "meta", "link"):
            return
        if tag in _HEADINGS:
            heading = (
                self.document.add_heading(level=_HEADINGS[tag])
                if container is self.document
                else container.add_paragraph(style=f"Heading {_HEADINGS[tag]}")
            )
            self._inline(heading, element)
            self._align(heading, element)
        elif tag in ("ul", "ol"):
            self._list(element, container, numbered=tag == "ol", depth=0)
        elif tag == "table":
            self._table(element, container)
        elif tag == "hr" or tag == "br":
            self._paragraph(container)
        elif tag in _BLOCKS or tag in ("body", "html"):
            if any(isinstance(child.tag, str) and self._is_block(child) for child in element):
                self.write_children(element, container)
            else:
                style = "Quote" if tag == "blockquote" else None
                paragraph = self._paragraph(container, style=style)
                self._inline(paragraph, element)
                self._align(paragraph, element)
        else:
            paragraph = self._paragraph(container)
            self._inline(paragraph, element)

    def _is_block(self, element) -> bool:
        return element.tag.lower() in _BLOCKS | set(_HEADINGS) | {"ul", "ol", "table", "hr"}

    def _paragraph(self, container, style=None):
        return container.add_paragraph(style=style)

    def _align(self, paragraph, element) -> None:
        classes = (element.get("class") or "").split()
        if "align-right" in classes:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif "align-centre" in classes:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    # Inline runs

    def _inline(self, paragraph, element, *, bold=False, italic=False, underline=False) -> None:
        """The element's text and inline children as runs; the tail of each child keeps the parent's formatting."""
        tag = element.tag.lower()
        bold = bold or tag in _INLINE_BOLD
        italic = italic or tag in _INLINE_ITALIC
        underline = underline or tag in _INLINE_UNDERLINE
        self._run(paragraph, element.text, bold=bold, italic=italic, underline=underline)
        for child in element:
            if isinstance(child.tag, str):
                child_tag = child.tag.lower()
                if child_tag == "br":
                    paragraph.add_run().add_break(WD_BREAK.LINE)
                elif child_tag not in ("ul", "ol", "table"):  # nested blocks are written by the block walker
                    self._inline(paragraph, child, bold=bold, italic=italic, underline=underline)
            self._run(paragraph, child.tail, bold=bold, italic=italic, underline=underline)
        href = element.get("href") if tag == "a" else None
        if href and href != (element.text_content() or "").strip():
            self._run(paragraph, f" ({href})", bold=bold, italic=italic, underline=underline)

    def _run(self, paragraph, text, *, bold, italic, underline) -> None:
        if not text:
            return
        text = _WHITESPACE.sub(" ", text)
        if not paragraph.text or paragraph.text.endswith("\n"):
            text = text.lstrip()
        if not text:
            return
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.underline = underline or None

    # Lists

    def _list(self, element, container, *, numbered: bool, depth: int) -> None:
        level = min(depth, 2)
        base = "List Number" if numbered else "List Bullet"
        style = base if level == 0 else f"{base} {level + 1}"
        num_id = self._restart_numbering(style) if numbered else None
        for item in element:
            if not isinstance(item.tag, str) or item.tag.lower() != "li":
                continue
            paragraph = self._paragraph(container, style=style)
            if num_id is not None:
                _set_numbering(paragraph, num_id, level)
            self._inline(paragraph, item)
            for nested in item:
                if isinstance(nested.tag, str) and nested.tag.lower() in ("ul", "ol"):
                    self._list(nested, container, numbered=nested.tag.lower() == "ol", depth=depth + 1)

    def _restart_numbering(self, style_name: str) -> int | None:
        """A new numbering instance for each numbered list, so that the second list starts again at 1."""
        style = self.document.styles[style_name]
        style_num = style.element.find(qn("w:pPr") + "/" + qn("w:numPr") + "/" + qn("w:numId"))
        if style_num is None:
            return None
        numbering = self.document.part.numbering_part.element
        abstract_id = None
        for num in numbering.findall(qn("w:num")):
            if num.get(qn("w:numId")) == style_num.get(qn("w:val")):
                abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        if abstract_id is None:
            return None
        new = numbering.add_num(int(abstract_id))
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        new.append(override)
        return new.numId

    # Tables

    def _table(self, element, container) -> None:
        rows = [row for row in element.iter("tr")]
        if not rows:
            return
        width = max(
            len([cell for cell in row if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")])
            for row in rows
        )
        if width == 0:
            return
        table = container.add_table(rows=0, cols=width)
        table.style = self.document.styles["Table Grid"]
        for row in rows:
            cells = [cell for cell in row if isinstance(cell.tag, str) and cell.tag.lower() in ("td", "th")]
            word_cells = table.add_row().cells
            for index, cell in enumerate(cells):
                target = word_cells[index]
                paragraph = target.paragraphs[0]
                if any(isinstance(child.tag, str) and self._is_block(child) for child in cell):
                    self.write_children(cell, target)
                    if not paragraph.text and len(target.paragraphs) > 1:
                        paragraph._element.getparent().remove(paragraph._element)
                else:
                    self._inline(paragraph, cell)
        if container is self.document:
            self.document.add_paragraph()  # Word runs a following table or paragraph into this one otherwise


def _set_numbering(paragraph, num_id: int, level: int) -> None:
    properties = paragraph._p.get_or_add_pPr()
    numbering = properties.get_or_add_numPr()
    numbering.get_or_add_ilvl().val = level
    numbering.get_or_add_numId().val = num_id


def _set_base_font(document, font_pt: int) -> None:
    normal = document.styles["Normal"]
    normal.font.name = LETTER_FONT
    normal.font.size = Pt(font_pt)
    fonts = normal.element.rPr.rFonts
    fonts.set(qn("w:eastAsia"), LETTER_FONT)
    for level in range(1, 7):
        heading = document.styles[f"Heading {level}"]
        heading.font.name = LETTER_FONT
        heading.font.size = Pt(font_pt + max(0, 6 - 2 * level))
    for name in (
        "List Bullet",
        "List Bullet 2",
        "List Bullet 3",
        "List Number",
        "List Number 2",
        "List Number 3",
        "Quote",
    ):
        document.styles[name].font.size = Pt(font_pt)


def docx_from_html(html: str) -> bytes:
    """A Word document of the HTML: paragraphs, headings, bold, italic and underline, lists and simple tables.

    A `<body class="large-print">` (as letter_html writes for the large-print variant) sets the document in
    16 point Arial; otherwise 11 point.
    """
    root = lxml.html.document_fromstring(html) if html.strip() else lxml.html.document_fromstring("<p></p>")
    body = root.find("body")
    if body is None:
        body = root
    classes = (body.get("class") or "").split()
    font_pt = LARGE_PRINT_FONT_PT if LARGE_PRINT_CLASS in classes else STANDARD_FONT_PT
    document = docx.Document()
    _set_base_font(document, font_pt)
    # The template's blank first paragraph would otherwise start every letter with an empty line.
    for paragraph in list(document.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)
    _WordWriter(document, font_pt=font_pt).write_children(copy.deepcopy(body))
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
