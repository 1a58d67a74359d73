"""The rules an evidence file must meet before it is stored: its size, and its real type against the allow list.

A file is judged by its content, not its name: `filetype` reads the signature of binary files, and text (which has
no signature) is recognised here. The name must agree with the content, so an executable renamed .pdf is refused.

This is learning's own copy of the attachment rules, written while correspondence's validator
(palsdesk/correspondence/attachments.py) was being built. Switch to that validator once it lands, so that every
upload in PALS Desk follows one set of rules.
"""

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SIGNATURE_BYTES = 8192
TEXT_SAMPLE_BYTES = 64 * 1024
NAME_MAX_CHARACTERS = 200

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
PNG = "image/png"
JPEG = "image/jpeg"
EML = "message/rfc822"
MSG = "application/vnd.ms-outlook"
TEXT = "text/plain"
CSV = "text/csv"

# The allow list: each ending a file may have, and the one real type its content must be.
TYPE_OF_EXTENSION = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".doc": DOC,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".eml": EML,
    ".msg": MSG,
    ".txt": TEXT,
    ".csv": CSV,
}
DESCRIPTION = {
    PDF: "a PDF",
    DOCX: "a Word document (.docx)",
    DOC: "a Word 97-2003 document (.doc)",
    PNG: "a PNG picture",
    JPEG: "a JPEG picture",
    EML: "an email (.eml)",
    MSG: "an Outlook message (.msg)",
    TEXT: "a text file",
    CSV: "a CSV file",
}
ALLOWED_IN_WORDS = (
    "a PDF, a Word document (.docx or .doc), a picture (.png or .jpg), an email (.eml or .msg) or a text file "
    "(.txt or .csv)"
)
# How a refused file's real type is named, where filetype knows it: people recognise these.
KNOWN_KINDS = {
    "application/x-msdownload": "a Windows program (.exe)",
    "application/x-executable": "a Linux or Unix program",
    "application/x-mach-binary": "a macOS program",
    "application/zip": "a zip archive",
    "application/x-rar-compressed": "a RAR archive",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/vnd.ms-excel": "an Excel 97-2003 workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "an Excel workbook",
    "application/vnd.ms-powerpoint": "a PowerPoint 97-2003 presentation",
    "application/x-shockwave-flash": "a Flash file",
    "image/gif": "a GIF picture",
    "image/webp": "a WebP picture",
    "image/heic": "a HEIC picture",
}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names (UTF-16) inside an Office 97-2003 container: a Word document has one, an Outlook message the other.
WORD_STREAM = "WordDocument".encode("utf-16-le")
OUTLOOK_STREAM = "__substg1.0_".encode("utf-16-le")
# An email starts with its header block; these are the fields a saved email carries.
EMAIL_HEADER = re.compile(r"^(from|to|cc|subject|date|received|message-id|mime-version|return-path|reply-to):", re.I)
ANY_HEADER = re.compile(r"^[!-9;-~]+:[ \t]")  # RFC 5322 field name, a colon, then its value
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that met the rules: the name it came with (cleaned), its real type, its ending and its size."""

    name: str
    content_type: str
    extension: str
    size_bytes: int


def max_upload_bytes() -> int:
    return getattr(settings, "PALSDESK_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.1f} MB" if value < 10 else f"{value:.0f} MB"


def _refuse(message: str, field: str) -> ValidationError:
    return ValidationError({field: [message]})


def clean_name(raw: str) -> str:
    """The name as uploaded, without any folder, control characters or surrounding spaces; cut to fit."""
    name = PurePath((raw or "").replace("\\", "/")).name
    name = TEXT_CONTROL.sub("", name).replace("\n", " ").replace("\r", " ").strip()
    if len(name) > NAME_MAX_CHARACTERS:
        stem, dot, ending = name.rpartition(".")
        ending = f".{ending}" if dot and len(ending) <= 10 else ""
        name = (stem if ending else name)[: NAME_MAX_CHARACTERS - len(ending)] + ending
    return name


def _read_head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(TEXT_SAMPLE_BYTES)
    upload.seek(0)
    return head


def _contains(upload, needle: bytes) -> bool:
    """Whether the file holds these bytes anywhere, read a chunk at a time (the stream can be anywhere in it)."""
    upload.seek(0)
    carry = b""
    try:
        for chunk in upload.chunks():
            if needle in carry + chunk:
                return True
            carry = chunk[-len(needle) :]
    finally:
        upload.seek(0)
    return False


def _as_text(head: bytes, *, whole: bool) -> str | None:
    """The sample decoded, if the file is text: UTF-8 (with or without a byte order mark) or Windows-1252."""
    if b"\x00" in head:
        return None
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        text = decoder.decode(head, final=whole)
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError:
            return None
    if TEXT_CONTROL.search(text):
        return None
    return text


def _looks_like_email(text: str) -> bool:
    """A header block first (every line a field or a folded continuation), with at least two of an email's fields."""
    header_block = re.split(r"\r?\n\r?\n", text, maxsplit=1)[0]
    lines = [line for line in header_block.splitlines() if line]
    if not lines or not ANY_HEADER.match(lines[0]):
        return False
    if not all(ANY_HEADER.match(line) or line[0] in " \t" for line in lines):
        return False
    return len({match.group(1).lower() for line in lines if (match := EMAIL_HEADER.match(line))}) >= 2


def _text_type(text: str, extension: str, field: str) -> str:
    """The type of a text file, which must be named as text; plain text may not be a web page or a script."""
    expected = TYPE_OF_EXTENSION[extension]
    if expected == EML:
        if not _looks_like_email(text):
            raise _refuse(
                "The file is named .eml but it is not a saved email: it does not start with an email's headers "
                "(From, To, Subject, Date). Save the email again from your email program, or attach it as a PDF.",
                field,
            )
        return EML
    if expected not in (TEXT, CSV):
        raise _refuse(
            f"The file is named {extension} but it is a text file, not {DESCRIPTION[expected]}. "
            "Check you chose the right file.",
            field,
        )
    start = text.lstrip()[:200].lower()
    if start.startswith("#!"):
        raise _refuse("The file is a script (a program), not a text file, so it cannot be added.", field)
    if start.startswith(("<!doctype html", "<html", "<script", "<svg", "<?xml")):
        raise _refuse(
            "The file is a web page or XML, not plain text, so it cannot be added: it could run code when opened. "
            "Save it as a PDF instead.",
            field,
        )
    return expected


def _office_97_type(upload, extension: str, field: str) -> str:
    """An Office 97-2003 container: a .doc must hold a Word document, a .msg an Outlook message."""
    expected = TYPE_OF_EXTENSION[extension]
    if expected == DOC and _contains(upload, WORD_STREAM):
        return DOC
    if expected == MSG and _contains(upload, OUTLOOK_STREAM):
        return MSG
    raise _refuse(
        f"The file is named {extension} but it is not {DESCRIPTION.get(expected, 'a file of that type')}: it is "
        "another kind of Office 97-2003 file. Save it as a PDF and add that instead.",
        field,
    )


def _is_word_package(upload) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and "word/document.xml" in names


def check_upload(upload, *, field: str = "file") -> CheckedFile:
    """Check an uploaded file (Django's UploadedFile) against the rules; ValidationError({field: reason}) if not.

    Nothing is stored here: the caller stores the file only once it has passed.
    """
    name = clean_name(getattr(upload, "name", ""))
    extension = PurePath(name).suffix.lower()
    size = upload.size or 0
    limit = max_upload_bytes()
    if not name:
        raise _refuse("Choose a file to add.", field)
    if size == 0:
        raise _refuse(f"{name} is empty. Choose the file again, or another one.", field)
    if size > limit:
        raise _refuse(f"{name} is {megabytes(size)}: a file can be up to {megabytes(limit)}.", field)
    if extension not in TYPE_OF_EXTENSION:
        ending = f"Files ending {extension}" if extension else "Files with no ending (such as .pdf)"
        raise _refuse(f"{ending} cannot be added. Add {ALLOWED_IN_WORDS}.", field)

    expected = TYPE_OF_EXTENSION[extension]
    head = _read_head(upload)
    kind = filetype.guess(head[:SIGNATURE_BYTES])
    if head.startswith(OLE_SIGNATURE) and (kind is None or kind.mime == DOC):
        real = _office_97_type(upload, extension, field)
    elif kind is not None:
        real = kind.mime
        if real == "application/zip" and expected == DOCX and _is_word_package(upload):
            real = DOCX
        if real != expected:
            said = DESCRIPTION.get(real) or KNOWN_KINDS.get(real) or f"a .{kind.extension} file"
            raise _refuse(
                f"The file is named {extension} but it is really {said}, so it cannot be added. "
                f"Add {ALLOWED_IN_WORDS}.",
                field,
            )
    else:
        text = _as_text(head, whole=size <= len(head))
        if text is None:
            raise _refuse(
                f"PALS Desk cannot tell what kind of file {name} is, so it cannot be added. Add {ALLOWED_IN_WORDS}.",
                field,
            )
        real = _text_type(text, extension, field)
    return CheckedFile(name=name, content_type=real, extension=extension, size_bytes=size)
