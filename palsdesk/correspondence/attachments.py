"""Checking an uploaded file before it is kept: its size, and its real type against the types a case file may hold."""

import email.parser
import email.policy
import io
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
EML = "message/rfc822"
MSG = "application/vnd.ms-outlook"
TEXT = "text/plain"


@dataclass(frozen=True)
class AllowedType:
    content_type: str
    label: str
    extensions: tuple[str, ...]


# The allow list: what a complaint file holds (letters, forms, photographs, emails, notes). Anything else,
# and anything that can run (programs, scripts, macros, SVG), is refused whatever its name.
ALLOWED_TYPES = {
    allowed.content_type: allowed
    for allowed in (
        AllowedType(PDF, "a PDF", (".pdf",)),
        AllowedType(DOCX, "a Word document", (".docx",)),
        AllowedType(DOC, "a Word 97-2003 document", (".doc",)),
        AllowedType("image/jpeg", "a JPEG image", (".jpg", ".jpeg", ".jpe", ".jfif")),
        AllowedType("image/png", "a PNG image", (".png",)),
        AllowedType("image/gif", "a GIF image", (".gif",)),
        AllowedType("image/tiff", "a TIFF image", (".tif", ".tiff")),
        AllowedType("image/webp", "a WebP image", (".webp",)),
        AllowedType("image/heic", "a HEIC photo", (".heic", ".heif")),
        AllowedType(EML, "an email", (".eml",)),
        AllowedType(MSG, "an Outlook email", (".msg",)),
        AllowedType(TEXT, "a text file", (".txt", ".text")),
    )
}

ALLOWED_DESCRIPTION = (
    "a PDF, a Word document (.docx or .doc), an image (JPEG, PNG, GIF, TIFF, WebP, HEIC), "
    "an email (.eml or .msg) or a text file"
)

_EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows programs and libraries
    b"\x7fELF",  # Linux programs
    b"\xfe\xed\xfa\xce",  # macOS programs (Mach-O, both byte orders and widths, and universal binaries)
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # also Java class files
    b"#!",  # scripts
)
_EXECUTABLE_TYPES = {
    "application/x-msdownload",
    "application/x-executable",
    "application/x-mach-binary",
    "application/wasm",
}
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EMAIL_HEADERS = {"from", "to", "subject", "date", "message-id", "received", "mime-version"}
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def max_upload_bytes() -> int:
    return getattr(settings, "PALSDESK_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def _size(size: int, *, round_up: bool = False) -> str:
    """A size in MB to one decimal place (KB below 1 MB); a file's size is rounded up, never to equal the limit."""
    unit, scale = ("MB", 1024 * 1024) if size >= 1024 * 1024 else ("KB", 1024)
    tenths = size * 10 / scale
    tenths = math.ceil(tenths) if round_up else round(tenths)
    return f"{tenths / 10:.1f} {unit}".replace(f".0 {unit}", f" {unit}")


def _refuse(name: str, reason: str) -> ValidationError:
    return ValidationError(f"{name}: {reason}", code="refused_file")


def _read_all(uploaded_file, limit: int) -> bytes:
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    if hasattr(uploaded_file, "chunks"):
        content = bytearray()
        for chunk in uploaded_file.chunks():
            content.extend(chunk)
            if len(content) > limit:
                break
    else:
        content = uploaded_file.read(limit + 1)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    return bytes(content)


def _is_executable(content: bytes, guessed: str | None) -> bool:
    return guessed in _EXECUTABLE_TYPES or content.startswith(_EXECUTABLE_SIGNATURES)


def _word_document_type(content: bytes) -> str | None:
    """DOCX if the zip is a Word document without macros; raise for other zips that pretend to be one."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return None
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise ValueError("it is a Word document with macros, which could run code when opened")
            content_types = archive.read("[Content_Types].xml")
    except zipfile.BadZipFile:
        return None
    if b"wordprocessingml.document.main+xml" not in content_types:
        raise ValueError("it is a macro-enabled or template Word file, which is not accepted")
    return DOCX


def _ole_type(content: bytes) -> str | None:
    """A Word 97-2003 document or an Outlook message: both are OLE compound files, told apart by their streams."""
    if "WordDocument".encode("utf-16-le") in content:
        return DOC
    if "__substg1.0_".encode("utf-16-le") in content:
        return MSG
    return None


def _decoded_text(content: bytes) -> str | None:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            return None
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                return None
    return None if _CONTROL_CHARACTERS.search(text) else text


def _is_email(content: bytes) -> bool:
    """An RFC 5322 message: it starts with header lines and names at least a sender and one other header."""
    first_lines = content.lstrip()[:4096].splitlines()[:3]
    if not first_lines or not all(_HEADER_LINE.match(line) or line[:1] in (b" ", b"\t") for line in first_lines):
        return False
    message = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(content[:65536])
    present = {name.lower() for name, _value in message.items()}
    return "from" in present and len(present & _EMAIL_HEADERS) >= 2


def _real_type(content: bytes) -> str | None:
    guessed = filetype.guess_mime(content[:8192])
    if _is_executable(content, guessed):
        raise ValueError("it is a program or script, which is never accepted")
    if content.startswith(_OLE_SIGNATURE):
        return _ole_type(content)
    if content.startswith(b"PK\x03\x04"):
        return _word_document_type(content)
    if content.lstrip(b"\r\n\t ").startswith(b"%PDF-"):
        return PDF
    if guessed is not None:
        return guessed if guessed in ALLOWED_TYPES else None
    text = _decoded_text(content)
    if text is None:
        return None
    if text.lstrip().lower().startswith(("<svg", "<?xml", "<!doctype html", "<html", "<script")):
        return None
    return EML if _is_email(content) else TEXT


def validate_upload(uploaded_file) -> str:
    """Check one file before it is stored, and return its real content type.

    Raise ValidationError with the reason a person can act on: too big, empty, not a type a case file may
    hold, a program or script (whatever it is called), or a name whose ending does not match what it is.
    The file's own claimed content type is never trusted.
    """
    name = PurePath(getattr(uploaded_file, "name", "") or "").name or "The file"
    limit = max_upload_bytes()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _refuse(name, f"it is {_size(size, round_up=True)}; files must be {_size(limit)} or smaller.")
    content = _read_all(uploaded_file, limit)
    if len(content) > limit:
        raise _refuse(name, f"it is larger than {_size(limit)}; files must be {_size(limit)} or smaller.")
    if not content:
        raise _refuse(name, "the file is empty.")
    try:
        content_type = _real_type(content)
    except ValueError as reason:
        raise _refuse(name, f"{reason}.") from None
    if content_type is None or content_type not in ALLOWED_TYPES:
        raise _refuse(name, f"this type of file is not accepted. Upload {ALLOWED_DESCRIPTION}.")
    extension = PurePath(name).suffix.lower()
    if content_type == EML and extension in ALLOWED_TYPES[TEXT].extensions:
        content_type = TEXT  # an email saved as text is still text
    allowed = ALLOWED_TYPES[content_type]
    if extension not in allowed.extensions:
        raise _refuse(
            name,
            f"the file is {allowed.label} but its name ends “{extension or 'with no extension'}”. "
            f"Rename it to end {' or '.join(allowed.extensions)} and upload it again.",
        )
    return content_type
