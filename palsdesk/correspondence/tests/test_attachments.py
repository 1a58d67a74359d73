"""validate_upload: a file is kept only if it is small enough and really is a type a case file may hold."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from palsdesk.correspondence.attachments import validate_upload
from palsdesk.correspondence.tests import files


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("letter.pdf", files.pdf_bytes(), "application/pdf"),
        (
            "Statement.DOCX",
            files.docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("old-letter.doc", files.word_97_bytes(), "application/msword"),
        ("bruise.png", files.png_bytes(), "image/png"),
        ("email from Ada.eml", files.email_bytes(), "message/rfc822"),
        ("email from Ada.msg", files.outlook_message_bytes(), "application/vnd.ms-outlook"),
        ("email saved as text.txt", files.email_bytes(), "text/plain"),
        ("notes.txt", "Called Mrs Patel — she’s happy with the plan.\n".encode(), "text/plain"),
    ],
)
def test_it_accepts_the_allowed_types_and_returns_the_real_type(name, content, content_type):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")

    assert validate_upload(upload) == content_type
    assert upload.read() == content  # left ready to be stored


def _refusal(name: str, content: bytes, claimed: str = "application/pdf") -> str:
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, content, content_type=claimed))
    return refused.value.messages[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("statement.pdf", files.windows_program_bytes()),
        ("photo.png", files.windows_program_bytes()),
        ("notes.txt", files.linux_program_bytes()),
        ("run.pdf", b"#!/bin/sh\nrm -rf /\n"),
    ],
)
def test_a_program_is_refused_whatever_it_is_called(name, content):
    assert _refusal(name, content) == f"{name}: it is a program or script, which is never accepted."


def test_a_file_over_the_limit_is_refused_with_the_limit(settings):
    settings.PALSDESK_MAX_UPLOAD_BYTES = 1024 * 1024

    message = _refusal("scan.pdf", files.pdf_bytes() + b"0" * (1024 * 1024))

    assert message == "scan.pdf: it is 1.1 MB; files must be 1 MB or smaller."


def test_the_limit_is_checked_on_what_is_read_when_the_size_is_not_known(settings):
    settings.PALSDESK_MAX_UPLOAD_BYTES = 100
    file = ContentFile(files.pdf_bytes() + b"0" * 200, name="scan.pdf")
    file.size = None

    with pytest.raises(ValidationError, match="larger than"):
        validate_upload(file)


def test_the_default_limit_is_20_megabytes(settings):
    del settings.PALSDESK_MAX_UPLOAD_BYTES

    message = _refusal("big.pdf", files.pdf_bytes() + b"0" * (20 * 1024 * 1024))

    assert "files must be 20 MB or smaller" in message


def test_an_empty_file_is_refused():
    assert _refusal("empty.pdf", b"") == "empty.pdf: the file is empty."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 100),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("page.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("spreadsheet.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
        ("binary.txt", b"\x00\x01\x02\x03binary"),
    ],
)
def test_other_types_are_refused_naming_what_is_accepted(name, content):
    message = _refusal(name, content)

    assert message.startswith(f"{name}: this type of file is not accepted. Upload a PDF, a Word document")


def test_a_word_file_with_macros_is_refused():
    import io
    import zipfile

    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00")

    assert "with macros" in _refusal("minutes.docx", output.getvalue())


def test_a_name_that_does_not_match_the_content_is_refused_with_the_fix():
    message = _refusal("statement.docx", files.pdf_bytes())

    assert message == (
        "statement.docx: the file is a PDF but its name ends “.docx”. Rename it to end .pdf and upload it again."
    )
