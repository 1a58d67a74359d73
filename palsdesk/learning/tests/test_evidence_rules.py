"""The attachment rules an evidence file must meet: its size, and its real type (by content) against the allow list."""

import pytest
from django.core.exceptions import ValidationError

from palsdesk.learning import evidence
from palsdesk.learning.tests.factories import (
    EMAIL_TEXT,
    EXE_BYTES,
    OLE_HEADER,
    PDF_BYTES,
    docx_bytes,
    jpeg_bytes,
    outlook_msg_bytes,
    png_bytes,
    upload,
    word_97_bytes,
)


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        evidence.check_upload(upload(name, content))
    (message,) = refused.value.message_dict["file"]
    return message


@pytest.mark.parametrize(
    ("name", "content", "real_type"),
    [
        ("audit.pdf", PDF_BYTES, evidence.PDF),
        ("Audit.PDF", PDF_BYTES, evidence.PDF),
        ("minutes.docx", docx_bytes(), evidence.DOCX),
        ("minutes.doc", word_97_bytes(), evidence.DOC),
        ("poster.png", png_bytes(), evidence.PNG),
        ("photo.jpg", jpeg_bytes(), evidence.JPEG),
        ("photo.jpeg", jpeg_bytes(), evidence.JPEG),
        ("confirmation.eml", EMAIL_TEXT.encode(), evidence.EML),
        ("confirmation.msg", outlook_msg_bytes(), evidence.MSG),
        ("notes.txt", b"Checklist in use on 12 wards.\n", evidence.TEXT),
        ("notes.txt", "\ufeffChecklist – in use.\n".encode(), evidence.TEXT),
        ("notes.txt", "Café checklist\n".encode("cp1252"), evidence.TEXT),
        ("audit.csv", b"ward,letters on time\n7,95%\n12,98%\n", evidence.CSV),
    ],
)
def test_each_allowed_type_passes_when_its_content_is_what_its_name_says(name, content, real_type):
    checked = evidence.check_upload(upload(name, content))

    assert checked.content_type == real_type
    assert checked.size_bytes == len(content)
    assert checked.name == name


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("audit.pdf", EXE_BYTES, "The file is named .pdf but it is really a Windows program (.exe)"),
        ("audit.docx", EXE_BYTES, "The file is named .docx but it is really a Windows program (.exe)"),
        ("poster.png", PDF_BYTES, "The file is named .png but it is really a PDF"),
        ("audit.pdf", png_bytes(), "The file is named .pdf but it is really a PNG picture"),
        ("audit.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 300, "it is really a Linux or Unix program"),
        ("minutes.docx", b"PK\x03\x04" + b"\x00" * 300, "it is really a zip archive"),
        ("audit.pdf", b"Just some words\n", "The file is named .pdf but it is a text file, not a PDF"),
        ("minutes.doc", OLE_HEADER + b"\x00" * 600, "is not a Word 97-2003 document (.doc)"),
        ("mail.msg", word_97_bytes(), "is not an Outlook message (.msg)"),
        ("mail.eml", b"Dear PALS, thank you.\n", "it is not a saved email"),
        ("notes.txt", b"#!/bin/sh\nrm -rf /\n", "The file is a script"),
        ("notes.txt", b"<html><script>alert(1)</script></html>", "The file is a web page or XML"),
        ("notes.txt", b"\x00\x01\x02\x03binary", "cannot tell what kind of file notes.txt is"),
        ("run.exe", EXE_BYTES, "Files ending .exe cannot be added"),
        ("macro.docm", docx_bytes(), "Files ending .docm cannot be added"),
        ("README", b"words", "Files with no ending (such as .pdf) cannot be added"),
        ("empty.pdf", b"", "empty.pdf is empty"),
    ],
)
def test_a_refused_file_is_told_why(name, content, says):
    assert says in refusal(name, content)


def test_the_size_limit_comes_from_the_settings(settings):
    settings.PALSDESK_MAX_UPLOAD_BYTES = 1024

    assert evidence.check_upload(upload("small.pdf", PDF_BYTES.ljust(1024, b" "))).size_bytes == 1024
    assert refusal("big.pdf", PDF_BYTES.ljust(1025, b" ")) == "big.pdf is 0.0 MB: a file can be up to 0.0 MB."


def test_the_size_limit_is_20_megabytes_unless_set(settings):
    del settings.PALSDESK_MAX_UPLOAD_BYTES

    assert evidence.max_upload_bytes() == 20 * 1024 * 1024
    assert refusal("big.pdf", PDF_BYTES.ljust(20 * 1024 * 1024 + 1, b" ")) == (
        "big.pdf is 20 MB: a file can be up to 20 MB."
    )


def test_a_word_stream_far_into_the_file_is_still_found():
    content = OLE_HEADER + b"\x00" * 200_000 + "WordDocument".encode("utf-16-le")

    assert evidence.check_upload(upload("long.doc", content)).content_type == evidence.DOC


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\pals\\ward audit.pdf", "ward audit.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("line\nbreak.pdf", "line break.pdf"),
        ("A" * 300 + ".pdf", "A" * 196 + ".pdf"),
    ],
)
def test_the_name_as_uploaded_is_cleaned(raw, clean):
    assert evidence.clean_name(raw) == clean
