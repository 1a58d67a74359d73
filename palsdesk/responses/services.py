"""Every write to a final response: saving a draft version, submitting it for review, returning it with comments,
the regulation 14 checks, signing it off and sending it; and the trust's standard paragraphs.

Each function locks the case first and then its response, so two people reviewing at once are taken in
turn; moves along the pathway go through cases.services.move_case, which checks, stamps and records them.
Each writes its timeline entry and audit event in its own transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, require
from palsdesk.audit import services as audit
from palsdesk.cases import services as case_services
from palsdesk.cases import timeline, workflow
from palsdesk.cases.concurrency import lock_for_change
from palsdesk.cases.models import Case, Status, TimelineEntry
from palsdesk.core.dates import long_date, long_time_and_date
from palsdesk.core.errors import RuleBroken, StaleEdit
from palsdesk.correspondence.attachments import DOCX, validate_upload
from palsdesk.responses import letters, richtext, selectors, word
from palsdesk.responses.models import (
    Element,
    FinalResponse,
    ParagraphPurpose,
    Regulation14Check,
    ResponseReturn,
    ResponseVersion,
    SendMethod,
    Source,
    StandardParagraph,
)
from palsdesk.responses.readiness import current_round

DRAFT_MAX_CHARACTERS = 40_000  # of text; a long final response runs to about 3,000 words (18,000 characters)
DRAFT_MAX_HTML_CHARACTERS = 200_000
COMMENTS_MAX_CHARACTERS = case_services.REASON_MAX_CHARACTERS  # the comments are the reason for the return
SIGNED_AS_MAX_CHARACTERS = 200
QUOTE_MAX_CHARACTERS = 2_000
PARAGRAPH_TITLE_MAX_CHARACTERS = 120
# The response's own steps go on the timeline as notes: the timeline has no kind of its own for them yet.
TIMELINE_KIND = TimelineEntry.EntryKind.NOTE


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _check_complaint(case: Case) -> None:
    if case.kind not in selectors.RESPONSE_KINDS:
        raise RuleBroken(
            f"Only a complaint has a final response under regulation 14, not {workflow.with_article(case.kind)}."
        )


def _locked_response(case: Case, *, create: bool = False, actor=None) -> FinalResponse | None:
    """The current round's response, locked for this transaction; made first if `create` and there is none."""
    responses = FinalResponse.objects.select_for_update(of=("self",)).filter(case=case, round=current_round(case))
    response = responses.first()
    if response is None and create:
        try:
            with transaction.atomic():
                FinalResponse.objects.create(case=case, round=current_round(case), created_by=actor, modified_by=actor)
        except IntegrityError:
            pass  # someone else started it a moment ago; theirs is the one
        response = responses.first()
    return response


def _response_in_review(case: Case, *, doing: str, done: str) -> tuple[FinalResponse, ResponseVersion]:
    response = _locked_response(case)
    latest = selectors.latest_version(response)
    if latest is None:
        raise RuleBroken(f"There is no draft response to {doing} yet.")
    if case.status != Status.RESPONSE_IN_REVIEW:
        raise RuleBroken(
            f"A draft response is {done} only while it is in review; this complaint is '{case.get_status_display()}'."
        )
    return response, latest


def _require_signer(actor, case: Case, *, doing: str) -> None:
    """Refuse unless the actor's role may sign off a response at the level the complaint's grade asks for."""
    if not selectors.may_sign(actor, case):
        role = actor.get_role_display() if getattr(actor, "role", None) else "Your account"
        raise PermissionDenied(
            f"{role}: this role cannot {doing} this response. It is signed off by {selectors.who_signs(case)}."
        )


def _note(case: Case, body: str, *, actor) -> None:
    timeline.add_entry(case, kind=TIMELINE_KIND, body=f"Final response: {body}", actor=actor)


# --- Drafting -------------------------------------------------------------------------------------------------------


def _draft_html(*, draft: str, document) -> tuple[str, str, str]:
    """The sanitised HTML of what was typed or uploaded, where it came from, and the Word file's name."""
    if document is not None:
        try:
            content_type = validate_upload(document)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from None
        if content_type != DOCX:
            raise ValidationError({"document": ["Upload the draft as a Word document (.docx)."]})
        document.seek(0)
        try:
            clean = word.html_from_word(document.read())
        except word.UnreadableDocument as error:
            raise ValidationError({"document": [str(error)]}) from None
        if not richtext.plain_text(clean).strip():
            raise ValidationError({"document": ["The Word document has no text in its body."]})
        return clean, Source.WORD, (getattr(document, "name", "") or "")[:255]
    if len(draft or "") > DRAFT_MAX_HTML_CHARACTERS:
        raise ValidationError(
            {
                "draft": [
                    f"The draft is too long to save; it must be {DRAFT_MAX_CHARACTERS:,} characters of text or fewer."
                ]
            }
        )
    clean = richtext.from_typed(draft)
    if not richtext.plain_text(clean).strip():
        raise ValidationError({"draft": ["Write the draft response."]})
    return clean, Source.TYPED, ""


@transaction.atomic
def save_draft(
    case: Case,
    *,
    actor,
    draft: str = "",
    document=None,
    based_on: int | None = None,
) -> ResponseVersion:
    """Save the draft response as a new version: rich text (sanitised), or the text of an uploaded Word document.

    The investigator drafts while the complaint is under investigation; a reviewer edits while it is in
    review. `based_on` is the number of the version the person started from (0 for none): if someone has
    saved a version since, nothing is saved and StaleEdit says who.
    """
    _check_complaint(case)
    case = lock_for_change(case, None)
    if case.status == Status.UNDER_INVESTIGATION:
        require(actor, Permission.INVESTIGATE, "write draft responses")
    elif case.status == Status.RESPONSE_IN_REVIEW:
        require(actor, Permission.REVIEW_RESPONSES, "change a draft response in review")
    else:
        raise RuleBroken(
            "A draft response is written while the complaint is under investigation, and changed in review; "
            f"this complaint is '{case.get_status_display()}'."
        )
    response = _locked_response(case, create=True, actor=actor)
    if response.is_signed_off:
        raise RuleBroken(
            f"Version {response.signed_off_version.number} was signed off by {response.signed_off_by}: it cannot be "
            "changed now. Return it to the investigator if it needs changing; it will need signing off again."
        )
    latest = selectors.latest_version(response)
    if based_on is not None and based_on != (latest.number if latest else 0):
        raise StaleEdit(
            f"{latest.created_by or 'Someone'} saved version {latest.number} of the draft at "
            f"{long_time_and_date(timezone.localtime(latest.created_at))}, after you opened it. Your text has not "
            "been saved: compare it with the latest version, then save again."
        )
    clean, source, filename = _draft_html(draft=draft, document=document)
    text = richtext.plain_text(clean)
    if len(text) > DRAFT_MAX_CHARACTERS:
        field = "document" if document is not None else "draft"
        raise ValidationError(
            {field: [f"The draft must be {DRAFT_MAX_CHARACTERS:,} characters or fewer; it has {len(text):,}."]}
        )
    if latest is not None and latest.html == clean:
        field = "document" if document is not None else "draft"
        raise ValidationError({field: [f"This is the same as version {latest.number}: there is nothing new to save."]})
    is_review_edit = case.status == Status.RESPONSE_IN_REVIEW
    version = ResponseVersion.objects.create(
        response=response,
        number=(latest.number if latest else 0) + 1,
        html=clean,
        text=text,
        source=source,
        word_filename=filename,
        is_review_edit=is_review_edit,
        created_by=actor,
        modified_by=actor,
    )
    how = f" from the Word document {filename}" if source == Source.WORD else ""
    stage = " (edited in review)" if is_review_edit else ""
    _note(case, f"draft version {version.number} saved{how}{stage}.", actor=actor)
    audit.record(
        actor=actor,
        action="final_response.version_saved",
        target=version,
        case=case,
        changes={"text": [latest.text if latest else None, text]},
        context={"round": response.round, "number": version.number, "source": source, "in_review": is_review_edit},
    )
    return version


# --- Review ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def submit_for_review(case: Case, *, actor, expected_version: int | None = None) -> Case:
    """Send the latest draft to review: the complaint moves to "response in review" and leaves "My work"."""
    _check_complaint(case)
    case = lock_for_change(case, expected_version)
    response = _locked_response(case)
    latest = selectors.latest_version(response)
    if latest is None:
        raise RuleBroken("Save a draft response before submitting it for review.")
    case = case_services.move_case(case, to=Status.RESPONSE_IN_REVIEW, actor=actor, expected_version=expected_version)
    response.is_returned = False
    response.modified_by = actor
    response.save(update_fields=["is_returned", "modified_by", "modified_at"])
    audit.record(
        actor=actor,
        action="final_response.submitted",
        target=response,
        case=case,
        context={"version": latest.number},
    )
    return case


@transaction.atomic
def return_with_comments(case: Case, *, comments: str, actor, expected_version: int | None = None) -> Case:
    """Return the draft in review to the investigator with the reviewer's comments; it goes back to their "My work".

    A sign-off given to the draft no longer stands: the changed response is signed off again.
    """
    _check_complaint(case)
    require(actor, Permission.REVIEW_RESPONSES, "return draft responses")
    case = lock_for_change(case, expected_version)
    response, latest = _response_in_review(case, doing="return", done="returned")
    comments = (comments or "").strip()
    if not comments:
        raise ValidationError({"comments": ["Enter your comments for the investigator."]})
    if len(comments) > COMMENTS_MAX_CHARACTERS:
        raise ValidationError(
            {
                "comments": [
                    f"The comments must be {COMMENTS_MAX_CHARACTERS:,} characters or fewer; they have "
                    f"{len(comments):,}. Make longer changes in the draft itself."
                ]
            }
        )
    case = case_services.move_case(
        case, to=Status.UNDER_INVESTIGATION, reason=comments, actor=actor, expected_version=expected_version
    )
    ResponseReturn.objects.create(
        response=response, version=latest, comments=comments, created_by=actor, modified_by=actor
    )
    withdrawn = response.signed_off_by if response.is_signed_off else None
    response.is_returned = True
    response.signed_off_version = None
    response.signed_off_by = None
    response.signed_off_at = None
    response.sign_off_level = ""
    response.signed_as = ""
    response.modified_by = actor
    response.save()
    if withdrawn is not None:
        _note(
            case,
            f"the sign-off of version {latest.number} by {withdrawn} no longer stands: it was returned.",
            actor=actor,
        )
    audit.record(
        actor=actor,
        action="final_response.returned",
        target=response,
        case=case,
        changes={"signed_off_by": [audit.plain(withdrawn), None]} if withdrawn else {},
        context={"version": latest.number, "comments": comments},
    )
    return case


@transaction.atomic
def record_regulation_14_checks(case: Case, *, actor, paragraphs: dict[str, int | None]) -> list[Regulation14Check]:
    """Tick each element of regulation 14(2) with the number of the paragraph of the latest version that gives it.

    None unticks an element. Elements not named are left as they are. Returns the version's checks.
    """
    _check_complaint(case)
    case = lock_for_change(case, None)
    _require_signer(actor, case, doing="check")
    response, latest = _response_in_review(case, doing="check", done="checked")
    if response.is_signed_off:
        raise RuleBroken("The response is signed off: its checks stand as they were when it was signed.")
    problems: dict[str, list[str]] = {}
    for name in sorted(set(paragraphs) - set(Element.values)):
        problems[name] = [f"'{name}' is not an element of regulation 14. The elements: {', '.join(Element.values)}."]
    texts = richtext.paragraphs(latest.html)
    for name, number in paragraphs.items():
        if name in Element.values and number is not None and not 1 <= number <= len(texts):
            problems[name] = [
                f"There is no paragraph {number}: version {latest.number} has paragraphs 1 to {len(texts)}."
            ]
    if problems:
        raise ValidationError(problems)
    existing = {check.element: check for check in latest.regulation_14_checks.all()}
    changes = {}
    for name, number in paragraphs.items():
        check = existing.get(name)
        if number is None:
            if check is not None:
                changes[name] = [check.paragraph, None]
                check.delete()
            continue
        if check is not None and check.paragraph == number:
            continue
        quote = texts[number - 1][:QUOTE_MAX_CHARACTERS]
        changes[name] = [check.paragraph if check else None, number]
        if check is None:
            Regulation14Check.objects.create(
                version=latest, element=name, paragraph=number, quote=quote, created_by=actor, modified_by=actor
            )
        else:
            check.paragraph, check.quote, check.modified_by = number, quote, actor
            check.save()
    checks = selectors.checks_of(latest)
    if changes:
        ticked = [
            f"{_lower_first(element.label)} (paragraph {checks[element.value].paragraph})"
            for element in Element
            if element.value in checks
        ]
        missing = [_lower_first(element.label) for element in selectors.missing_elements(checks)]
        body = f"regulation 14 checks of version {latest.number}: "
        body += f"shown: {'; '.join(ticked)}." if ticked else "nothing ticked."
        if missing:
            body += f" Not yet shown: {'; '.join(missing)}."
        _note(case, body, actor=actor)
        audit.record(
            actor=actor,
            action="final_response.regulation_14_checked",
            target=latest,
            case=case,
            changes=changes,
            context={"version": latest.number},
        )
    return [checks[element.value] for element in Element if element.value in checks]


@transaction.atomic
def sign_off(case: Case, *, actor, signed_as: str = "") -> FinalResponse:
    """Sign off the latest version, at the level the complaint's grade asks for, once regulation 14 is met.

    Every element of regulation 14(2) must be ticked with the paragraph that gives it; a missing one is
    refused with a message naming it.
    """
    _check_complaint(case)
    case = lock_for_change(case, None)
    _require_signer(actor, case, doing="sign off")
    response, latest = _response_in_review(case, doing="sign off", done="signed off")
    if response.is_signed_off:
        raise RuleBroken(
            f"Version {response.signed_off_version.number} was already signed off by {response.signed_off_by}."
        )
    signed_as = (signed_as or "").strip()
    problems: dict[str, list[str]] = {}
    for element in selectors.missing_elements(selectors.checks_of(latest)):
        problems[element.value] = [
            f"Regulation 14(2): the response must show {_lower_first(element.label)}. Choose the paragraph that "
            "does before signing it off."
        ]
    if len(signed_as) > SIGNED_AS_MAX_CHARACTERS:
        problems["signed_as"] = [f"Signed as must be {SIGNED_AS_MAX_CHARACTERS} characters or fewer."]
    if problems:
        raise ValidationError(problems)
    level = selectors.sign_off_level_of(case) or ""
    response.signed_off_version = latest
    response.signed_off_by = actor
    response.signed_off_at = timezone.now()
    response.sign_off_level = level
    response.signed_as = signed_as
    response.modified_by = actor
    response.save()
    at_level = (
        f" at the {case.grade.get_sign_off_level_display().lower()} level ({case.grade.name.lower()} grade)"
        if level
        else ""
    )
    signed = f", signing as {signed_as}" if signed_as else ""
    _note(case, f"version {latest.number} signed off by {actor}{signed}{at_level}.", actor=actor)
    audit.record(
        actor=actor,
        action="final_response.signed_off",
        target=response,
        case=case,
        changes={"signed_off_version": [None, latest.number], "signed_off_by": [None, audit.plain(actor)]},
        context={"sign_off_level": level, "signed_as": signed_as},
    )
    return response


# --- Sending --------------------------------------------------------------------------------------------------------


@transaction.atomic
def send_response(
    case: Case,
    *,
    actor,
    method: str = SendMethod.LETTER,
    sent_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> FinalResponse:
    """Record the signed response as sent: the complaint moves to "response sent" (its response clock stops),
    and the signed letter is produced as a Word document and a PDF and filed in the communications log.
    """
    _check_complaint(case)
    case = lock_for_change(case, expected_version)
    response = _locked_response(case)
    if response is None or not response.is_signed_off:
        raise RuleBroken("The final response must be signed off before it is sent (regulation 14(2)).")
    if response.is_sent:
        raise RuleBroken(f"The final response was sent on {long_date(response.sent_on)}.")
    problems: dict[str, list[str]] = {}
    if method not in SendMethod.values:
        problems["method"] = ["Choose how it was sent: by post or by email."]
    signed_on = timezone.localdate(response.signed_off_at)
    sent_on = sent_on or timezone.localdate()
    if sent_on < signed_on:
        problems["sent_on"] = [f"It was signed off on {long_date(signed_on)}, so it cannot have been sent before then."]
    if problems:
        raise ValidationError(problems)
    recipient = letters.recipient_of(case)
    if recipient is None:
        raise RuleBroken("Record the complainant on the case before sending the response: the letter is to them.")
    try:
        case = case_services.move_case(
            case, to=Status.RESPONSE_SENT, on=sent_on, actor=actor, expected_version=expected_version
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "on" in error.error_dict:
            raise ValidationError({"sent_on" if k == "on" else k: v for k, v in error.error_dict.items()}) from None
        raise
    response.sent_on = sent_on
    response.sent_by = actor
    response.sent_method = method
    response.modified_by = actor
    response.save()
    filed = letters.file_signed_response(response, case=case, recipient=recipient, actor=actor)
    how = SendMethod(method).label.lower()
    _note(
        case,
        f"signed version {response.signed_off_version.number} sent {how} on {long_date(sent_on)} to "
        f"{recipient.full_name}. The letter is filed in the communications log as a Word document and a PDF.",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="final_response.sent",
        target=response,
        case=case,
        changes={"sent_on": [None, sent_on]},
        context={"method": method, "version": response.signed_off_version.number, "filed_as": audit.plain(filed)},
    )
    return response


# --- Standard paragraphs --------------------------------------------------------------------------------------------


def _check_paragraph(*, title: str, purpose: str, html: str, exclude_pk=None) -> tuple[str, str]:
    problems: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        problems["title"] = ["Enter a title."]
    elif len(title) > PARAGRAPH_TITLE_MAX_CHARACTERS:
        problems["title"] = [f"The title must be {PARAGRAPH_TITLE_MAX_CHARACTERS} characters or fewer."]
    elif StandardParagraph.objects.filter(title__iexact=title).exclude(pk=exclude_pk).exists():
        problems["title"] = [f"There is already a paragraph called '{title}'."]
    if purpose not in ParagraphPurpose.values:
        problems["purpose"] = ["Choose what the paragraph is for."]
    clean = richtext.from_typed(html)
    if not richtext.plain_text(clean).strip():
        problems["html"] = ["Write the paragraph."]
    elif len(richtext.plain_text(clean)) > DRAFT_MAX_CHARACTERS:
        problems["html"] = [f"The paragraph must be {DRAFT_MAX_CHARACTERS:,} characters or fewer."]
    if problems:
        raise ValidationError(problems)
    return title, clean


@transaction.atomic
def add_standard_paragraph(*, actor, title: str, purpose: str, html: str, order: int = 0) -> StandardParagraph:
    require(actor, Permission.ADMINISTER, "change the standard paragraphs")
    title, clean = _check_paragraph(title=title, purpose=purpose, html=html)
    paragraph = StandardParagraph.objects.create(
        title=title, purpose=purpose, html=clean, order=order, created_by=actor, modified_by=actor
    )
    audit.record(
        actor=actor,
        action="standardparagraph.created",
        target=paragraph,
        changes={"title": [None, title], "purpose": [None, purpose], "html": [None, clean]},
    )
    return paragraph


@transaction.atomic
def change_standard_paragraph(
    paragraph: StandardParagraph,
    *,
    actor,
    title: str,
    purpose: str,
    html: str,
    order: int = 0,
    disabled_on: datetime.date | None = None,
) -> StandardParagraph:
    """Change a standard paragraph, or retire it from a date. Drafts it was put into keep their own words."""
    require(actor, Permission.ADMINISTER, "change the standard paragraphs")
    paragraph = StandardParagraph.objects.select_for_update().get(pk=paragraph.pk)
    title, clean = _check_paragraph(title=title, purpose=purpose, html=html, exclude_pk=paragraph.pk)
    fields = ["title", "purpose", "html", "order", "disabled_on"]
    before = audit.snapshot(paragraph, fields)
    paragraph.title, paragraph.purpose, paragraph.html = title, purpose, clean
    paragraph.order, paragraph.disabled_on = order, disabled_on
    changes = audit.changes_between(before, audit.snapshot(paragraph, fields))
    if not changes:
        return paragraph
    paragraph.modified_by = actor
    paragraph.save()
    audit.record(actor=actor, action="standardparagraph.changed", target=paragraph, changes=changes)
    return paragraph
