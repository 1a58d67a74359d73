"""Real files of each kind for upload tests, made in memory (python-docx, WeasyPrint) or written byte by byte."""

import io
import struct
import zlib

from docx import Document


def docx_bytes(text: str = "A letter from the patient") -> bytes:
    document = Document()
    document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def pdf_bytes() -> bytes:
    # The smallest PDF a reader accepts: one empty page.
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def windows_program_bytes() -> bytes:
    """The start of a Windows program: the MZ header and its PE signature."""
    header = bytearray(b"MZ" + b"\x90\x00" * 29 + b"\x00" * 2)
    header += b"\x00" * (0x3C - len(header)) + struct.pack("<I", 0x80)
    header += b"\x00" * (0x80 - len(header)) + b"PE\x00\x00" + b"\x4c\x01" + b"\x00" * 200
    return bytes(header)


def linux_program_bytes() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 200


def email_bytes() -> bytes:
    return (
        b"From: Ada Lovelace <ada@example.com>\r\nTo: complaints@nhs.example\r\nSubject: My mother's care\r\n"
        b"Date: Fri, 20 Nov 2026 10:00:00 +0000\r\nMessage-ID: <abc@example.com>\r\n\r\nI am writing about ...\r\n"
    )


def outlook_message_bytes() -> bytes:
    """An OLE compound file holding the stream names an Outlook .msg has."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "__substg1.0_0037001F".encode("utf-16-le") + b"\x00" * 64
    )


def word_97_bytes() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 64
