"""The draft response as rich text: HTML cut down to a letter's safe subset, its paragraphs, and its plain text.

A letter is a flat run of blocks (paragraphs, two levels of heading, quotations, and list items grouped
into lists) holding bold, italic, underline and line breaks. Everything else is taken away before it is
stored: any other tag is unwrapped (its text kept), scripts, styles and embedded content are dropped with
what they hold, and no attribute survives, so no `onclick`, `style` or link can reach a page or a letter.
The output is rebuilt from what was read rather than edited in place, so it is always well formed.
"""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

INLINE_TAGS = frozenset({"strong", "em", "u"})
BLOCK_TAGS = frozenset({"p", "h2", "h3", "blockquote", "li"})
LIST_TAGS = frozenset({"ul", "ol"})
# What the tags a word processor or browser writes mean in the subset.
_RENAMED = {"b": "strong", "i": "em", "h1": "h2", "h4": "h3", "h5": "h3", "h6": "h3"}
# Dropped with everything inside them: code, styles, embedded content, form controls.
_DROPPED = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "template",
        "noscript",
        "svg",
        "math",
        "head",
        "title",
        "textarea",
        "select",
        "option",
        "button",
        "canvas",
        "audio",
        "video",
    }
)
# Tags that end one block and start the next without being kept themselves.
_BOUNDARIES = frozenset(
    {
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "address",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "pre",
        "hr",
        "figure",
        "figcaption",
        "dl",
        "dt",
        "dd",
        "body",
        "html",
        "form",
        "fieldset",
        "legend",
    }
)
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr", "source", "track"})
_WHITESPACE = re.compile(r"\s+")
_KNOWN_TAGS = (
    INLINE_TAGS
    | BLOCK_TAGS
    | LIST_TAGS
    | set(_RENAMED)
    | _DROPPED
    | _BOUNDARIES
    | _VOID
    | {"span", "a", "font", "sup", "sub"}
)
# Typed text is taken as HTML only if it holds a tag HTML knows: "<Not a tag>" in a letter stays as words.
_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*(" + "|".join(sorted(_KNOWN_TAGS)) + r")\b[^>]*>", re.IGNORECASE)
_BREAK = "<br>"


@dataclass
class _Block:
    tag: str
    list_tag: str = ""
    parts: list[str] = field(default_factory=list)
    open_inline: list[str] = field(default_factory=list)

    def close_inline(self) -> None:
        while self.open_inline:
            self.parts.append(f"</{self.open_inline.pop()}>")

    def inner_html(self) -> str:
        inner = "".join(self.parts).strip()
        # A block of nothing but line breaks and empty formatting says nothing.
        if not re.sub(r"</?(strong|em|u)>|<br>|\s", "", inner):
            return ""
        while inner.endswith(_BREAK):
            inner = inner[: -len(_BREAK)].rstrip()
        return inner


class _Cleaner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self.block: _Block | None = None
        self.lists: list[str] = []
        self.dropping: list[str] = []

    # Blocks

    def _end_block(self) -> None:
        if self.block is not None:
            self.block.close_inline()
            self.blocks.append(self.block)
            self.block = None

    def _start_block(self, tag: str) -> None:
        self._end_block()
        if tag == "li":
            self.block = _Block("li", list_tag=self.lists[-1] if self.lists else "ul")
        else:
            self.block = _Block(tag)

    def _ensure_block(self) -> _Block:
        if self.block is None:
            self._start_block("li" if self.lists else "p")
        return self.block

    # Parser callbacks

    def handle_starttag(self, tag, attrs):
        tag = _RENAMED.get(tag.lower(), tag.lower())
        if self.dropping:
            if tag == self.dropping[-1] and tag not in _VOID:
                self.dropping.append(tag)
            return
        if tag in _DROPPED:
            self.dropping.append(tag)
            return
        if tag == "br":
            self._ensure_block().parts.append(_BREAK)
        elif tag in LIST_TAGS:
            self._end_block()
            self.lists.append(tag)
        elif tag in BLOCK_TAGS:
            self._start_block(tag)
        elif tag in INLINE_TAGS:
            block = self._ensure_block()
            block.parts.append(f"<{tag}>")
            block.open_inline.append(tag)
        elif tag in _BOUNDARIES:
            self._end_block()
        # Any other tag (span, a, font, img...) is unwrapped: its text stays, the tag and its attributes go.

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        tag = _RENAMED.get(tag.lower(), tag.lower())
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        tag = _RENAMED.get(tag.lower(), tag.lower())
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in LIST_TAGS:
            if self.block is not None and self.block.tag == "li":
                self._end_block()
            if tag in self.lists:
                while self.lists and self.lists.pop() != tag:
                    pass
        elif tag in BLOCK_TAGS or tag in _BOUNDARIES:
            self._end_block()
        elif tag in INLINE_TAGS and self.block is not None and tag in self.block.open_inline:
            while self.block.open_inline:
                closed = self.block.open_inline.pop()
                self.block.parts.append(f"</{closed}>")
                if closed == tag:
                    break

    def handle_data(self, data):
        if self.dropping:
            return
        text = _WHITESPACE.sub(" ", data)
        if not text.strip() and self.block is None:
            return
        block = self._ensure_block()
        if not block.parts or block.parts[-1] == _BREAK:
            text = text.lstrip()
        if text:
            block.parts.append(html.escape(text, quote=False))

    def close(self):
        super().close()
        self._end_block()


def sanitise(dirty: str) -> str:
    """The HTML cut down to the letter subset: `<p>`, `<h2>`, `<h3>`, `<blockquote>`, lists, bold, italic, underline."""
    cleaner = _Cleaner()
    cleaner.feed(dirty or "")
    cleaner.close()
    output: list[str] = []
    open_list = ""
    for block in cleaner.blocks:
        inner = block.inner_html()
        if not inner:
            continue
        if block.tag == "li":
            if open_list != block.list_tag:
                if open_list:
                    output.append(f"</{open_list}>")
                output.append(f"<{block.list_tag}>")
                open_list = block.list_tag
        elif open_list:
            output.append(f"</{open_list}>")
            open_list = ""
        output.append(f"<{block.tag}>{inner}</{block.tag}>")
    if open_list:
        output.append(f"</{open_list}>")
    return "\n".join(output)


def from_plain_text(text: str) -> str:
    """Typed text as paragraphs: a blank line starts a new paragraph, a single line break stays a line break."""
    paragraphs = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    blocks = []
    for paragraph in paragraphs:
        lines = [html.escape(line.strip(), quote=False) for line in paragraph.strip().split("\n")]
        if any(lines):
            blocks.append(f"<p>{_BREAK.join(lines)}</p>")
    return "\n".join(blocks)


def from_typed(text: str) -> str:
    """What was typed into the draft box: HTML from the editor (or pasted from Word), or plain paragraphs."""
    text = text or ""
    return sanitise(text if _LOOKS_LIKE_HTML.search(text) else from_plain_text(text))


class _TextReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.current = []
        elif tag == "br" and self.current is not None:
            self.current.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS and self.current is not None:
            text = "".join(self.current)
            self.paragraphs.append("\n".join(_WHITESPACE.sub(" ", line).strip() for line in text.split("\n")))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def paragraphs(clean_html: str) -> list[str]:
    """The text of each block of sanitised HTML, in order: paragraph 1 is the first. A list item is a paragraph."""
    reader = _TextReader()
    reader.feed(clean_html or "")
    reader.close()
    return reader.paragraphs


def plain_text(clean_html: str) -> str:
    """The text of sanitised HTML, a blank line between paragraphs (for the communications log and searching)."""
    return "\n\n".join(paragraphs(clean_html))
