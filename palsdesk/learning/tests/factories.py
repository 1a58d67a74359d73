"""Plans and actions made through learning.services, and files of each kind for the attachment rules."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from palsdesk.learning import services
from palsdesk.learning.models import Action, ActionPlan, ActionStatus, PlanScope

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 400
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EMAIL_TEXT = (
    "From: Ward Manager <ward.manager@nhs.example>\r\n"
    "To: PALS <pals@nhs.example>\r\n"
    "Subject: New discharge checklist in use\r\n"
    "Date: Fri, 20 Nov 2026 10:00:00 +0000\r\n"
    "MIME-Version: 1.0\r\n"
    "\r\n"
    "The checklist is in use on every ward from Monday.\r\n"
)


def docx_bytes(text: str = "Minutes of the ward meeting: the new checklist was agreed.") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "JPEG")
    return out.getvalue()


def word_97_bytes() -> bytes:
    """An Office 97-2003 container holding a WordDocument stream (its directory entry names it in UTF-16)."""
    return OLE_HEADER + "WordDocument".encode("utf-16-le") + b"\x00" * 600


def outlook_msg_bytes() -> bytes:
    """An Office 97-2003 container holding an Outlook message's property streams."""
    return OLE_HEADER + "__substg1.0_0037001F".encode("utf-16-le") + b"\x00" * 600


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf_upload(name: str = "ward-audit.pdf") -> SimpleUploadedFile:
    return upload(name, PDF_BYTES, "application/pdf")


def make_plan(actor, *, scope: str = PlanScope.DIVISION, title: str = "Discharge on time", **values) -> ActionPlan:
    return services.raise_action_plan(actor=actor, title=title, scope=scope, **values)


def make_action(
    plan: ActionPlan,
    *,
    actor,
    owner=None,
    due_on: datetime.date | None = None,
    description: str = "Start the discharge checklist on every ward",
    **values,
) -> Action:
    return services.add_action(
        plan,
        actor=actor,
        description=description,
        owner=owner or actor,
        due_on=due_on or timezone.localdate() + datetime.timedelta(days=14),
        **values,
    )


def finish(action: Action, *, actor, on: datetime.date | None = None) -> Action:
    return services.update_action_status(action, actor=actor, status=ActionStatus.DONE, completed_on=on)


def publish(action: Action, *, actor, you_said: str, we_did: str) -> Action:
    """Done, with its words written and approved: on the "you said, we did" list."""
    if action.status != ActionStatus.DONE:
        action = finish(action, actor=actor)
    services.write_public_wording(action, actor=actor, you_said=you_said, we_did=we_did)
    services.approve_public_wording(action, actor=actor)
    return action


def stored_files(media) -> list:
    """Every file under the media folder: equal before and after means nothing was stored."""
    return sorted(path for path in media.rglob("*") if path.is_file()) if media.exists() else []
