"""The plain-text markup letters are written in, turned into safe HTML for the PDF and Word documents.

A letter is text an officer can edit in a text box. A blank line starts a new paragraph; a line break inside a
paragraph is kept (addresses). `# `, `## ` and `### ` start headings; lines starting `- ` or `* ` make a
bulleted list and `1. ` a numbered one (indent two spaces to nest); lines starting and ending with `|` make a
table, whose first row is the header when a `|---|` line follows it. `**bold**` and `*italic*` work inside a
line. Everything else is text: it is escaped, so nothing typed (or merged) can become HTML.
"""

import html
import re

_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^(\s*)[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)\d{1,3}[.)]\s+(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|(\s*:?-{3,}:?\s*\|)+\s*$")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")


def inline_html(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    return _ITALIC.sub(r"<em>\1</em>", escaped)


def _line_kind(line: str) -> str:
    if _HEADING.match(line):
        return "heading"
    if _BULLET.match(line) or _NUMBERED.match(line):
        return "list"
    if _TABLE_ROW.match(line):
        return "table"
    return "text"


def _groups(block: list[str]) -> list[tuple[str, list[str]]]:
    """Consecutive lines of one kind; a line that follows a list item without a marker continues that item."""
    groups: list[tuple[str, list[str]]] = []
    for line in block:
        kind = _line_kind(line)
        if kind == "text" and groups and groups[-1][0] == "list" and line.startswith((" ", "\t")):
            groups[-1][1][-1] += " " + line.strip()
            continue
        if kind == "heading" or not groups or groups[-1][0] != kind:
            groups.append((kind, [line]))
        else:
            groups[-1][1].append(line)
    return groups


def _list_html(lines: list[str]) -> str:
    """Nested lists from indentation: each two spaces (or a tab) is one level deeper."""
    output: list[str] = []
    stack: list[tuple[int, str]] = []  # (indent, tag)
    for line in lines:
        match = _BULLET.match(line)
        tag = "ul"
        if match is None:
            match = _NUMBERED.match(line)
            tag = "ol"
        indent = len(match.group(1).replace("\t", "  "))
        item = inline_html(match.group(2).strip())
        while stack and indent < stack[-1][0]:
            output.append(f"</li></{stack.pop()[1]}>")
        if stack and indent == stack[-1][0] and tag != stack[-1][1]:
            output.append(f"</li></{stack.pop()[1]}>")
        if not stack or indent > stack[-1][0]:
            output.append(f"<{tag}><li>{item}")
            stack.append((indent, tag))
        else:
            output.append(f"</li><li>{item}")
    while stack:
        output.append(f"</li></{stack.pop()[1]}>")
    return "".join(output)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table_html(lines: list[str]) -> str:
    has_header = len(lines) > 1 and _TABLE_RULE.match(lines[1]) is not None
    rows = [line for line in lines if not _TABLE_RULE.match(line)]
    output = ["<table>"]
    for index, line in enumerate(rows):
        tag = "th" if has_header and index == 0 else "td"
        output.append("<tr>" + "".join(f"<{tag}>{inline_html(cell)}</{tag}>" for cell in _cells(line)) + "</tr>")
    output.append("</table>")
    return "".join(output)


def to_html(text: str) -> str:
    """Safe HTML of a letter written in the markup above."""
    blocks: list[list[str]] = [[]]
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    parts: list[str] = []
    for block in blocks:
        for kind, lines in _groups(block):
            if kind == "heading":
                match = _HEADING.match(lines[0])
                level = len(match.group(1))
                parts.append(f"<h{level}>{inline_html(match.group(2).strip())}</h{level}>")
            elif kind == "list":
                parts.append(_list_html(lines))
            elif kind == "table":
                parts.append(_table_html(lines))
            else:
                parts.append("<p>" + "<br>".join(inline_html(line.strip()) for line in lines) + "</p>")
    return "\n".join(parts)
