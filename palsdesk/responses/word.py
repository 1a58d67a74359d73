"""Reading a draft response written in Word: its paragraphs, headings, lists and emphasis, as letter HTML.

Only the body is read: a letterhead in the header or footer belongs to the Word template, not the
response. Tables are read a cell at a time, each paragraph of a cell a paragraph of the draft.
"""

import html
import io

import docx
from docx.table import Table
from docx.text.hyperlink import Hyperlink

from palsdesk.responses import richtext


class UnreadableDocument(ValueError):
    """The file passed the type check but python-docx cannot read a document out of it."""


def _runs_html(paragraph) -> str:
    parts = []
    for item in paragraph.iter_inner_content():
        for run in item.runs if isinstance(item, Hyperlink) else [item]:
            text = html.escape(run.text.replace("\t", " "), quote=False).replace("\n", "<br>")
            if not text:
                continue
            if run.underline:
                text = f"<u>{text}</u>"
            if run.italic:
                text = f"<em>{text}</em>"
            if run.bold:
                text = f"<strong>{text}</strong>"
            parts.append(text)
    return "".join(parts)


def _paragraph_html(paragraph) -> str:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    inner = _runs_html(paragraph)
    if style in ("Title", "Heading 1", "Heading 2"):
        return f"<h2>{inner}</h2>"
    if style.startswith("Heading"):
        return f"<h3>{inner}</h3>"
    if style in ("Quote", "Intense Quote"):
        return f"<blockquote>{inner}</blockquote>"
    if style.startswith("List Number"):
        return f"<ol><li>{inner}</li></ol>"
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if style.startswith("List") or numbered:
        return f"<ul><li>{inner}</li></ul>"
    return f"<p>{inner}</p>"


def _table_html(table: Table) -> str:
    parts, seen = [], set()
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is repeated in every row and column it spans
                continue
            seen.add(id(cell._tc))
            parts.extend(_paragraph_html(paragraph) for paragraph in cell.paragraphs)
    return "".join(parts)


def html_from_word(content: bytes) -> str:
    """The document's body as sanitised letter HTML. Raise UnreadableDocument if it cannot be read."""
    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as error:  # python-docx raises KeyError, ValueError or zip errors for a damaged file
        raise UnreadableDocument("The Word document could not be read: it may be damaged.") from error
    parts = [
        _table_html(block) if isinstance(block, Table) else _paragraph_html(block)
        for block in document.iter_inner_content()
    ]
    return richtext.sanitise("".join(parts))
