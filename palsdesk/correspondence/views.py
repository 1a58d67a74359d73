"""Staff pages for a case's correspondence: the communications log, its entries and files, emails and letters.

Views parse input, call one selector or service, and render. Every case is found through cases.selectors
(a case the user may not see answers 404) and every change goes through correspondence.services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from palsdesk.accounts.permissions import Permission, can
from palsdesk.cases import extensions
from palsdesk.cases import selectors as case_selectors
from palsdesk.core.errors import RuleBroken, StaleEdit
from palsdesk.core.forms import put_errors_on_form
from palsdesk.correspondence import selectors, services
from palsdesk.correspondence.forms import EmailForm, EntryForm, LetterForm, NewLetterForm, ProduceForm, UploadForm
from palsdesk.correspondence.models import Letter
from palsdesk.people.models import Person

SECTION_ENTRIES = 10
LOG_PAGE_SIZE = 25


def correspondence_section(user, case) -> extensions.CaseSection:
    """The case page's "Correspondence" section: the latest entries, draft letters, and the forms to add to them."""
    entries = list(selectors.entries_of(case)[: SECTION_ENTRIES + 1])
    return extensions.CaseSection(
        heading="Correspondence",
        anchor="correspondence",
        template="correspondence/_section.html",
        context={
            "entries": entries[:SECTION_ENTRIES],
            "has_more": len(entries) > SECTION_ENTRIES,
            "drafts": list(selectors.letters_of(case).filter(status=Letter.Status.DRAFT)),
            "can_add": can(user, Permission.ADD_NOTES),
            "can_write": can(user, Permission.SEND_CORRESPONDENCE),
            "entry_form": EntryForm(),
        },
    )


def _case_to_change(request, reference, permission: Permission, doing: str):
    """The case (404 if the user may not see it), then 403 if their role may not do this, before any input is read."""
    case = case_selectors.visible_case(request.user, reference)
    if not can(request.user, permission):
        raise PermissionDenied(f"Your role cannot {doing}.")
    return case


def _log_url(case) -> str:
    return reverse("correspondence:log", kwargs={"reference": case.reference})


@require_http_methods(["GET", "POST"])
def communications_log(request, reference):
    """Every entry on the case, newest first; a post files a new one with its files."""
    if request.method == "POST":
        case = _case_to_change(request, reference, Permission.ADD_NOTES, "add to the communications log")
        form = EntryForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                entry = services.file_correspondence(case, actor=request.user, **form.service_arguments())
            except ValidationError as error:
                put_errors_on_form(form, error)
            else:
                messages.success(request, f"“{entry}” added to the communications log.")
                if request.POST.get("from_case"):
                    return redirect(reverse("cases:detail", kwargs={"reference": case.reference}) + "#correspondence")
                return redirect(_log_url(case))
    else:
        case = case_selectors.visible_case(request.user, reference)
        form = EntryForm()
    page = Paginator(selectors.entries_of(case), LOG_PAGE_SIZE, allow_empty_first_page=True).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "correspondence/log.html",
        {
            "case": case,
            "page_obj": page,
            "entry_form": form,
            "can_add": can(request.user, Permission.ADD_NOTES),
            "can_write": can(request.user, Permission.SEND_CORRESPONDENCE),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def entry_detail(request, reference, entry_id):
    """One entry with its files; a post adds files to it."""
    entry = selectors.entry_on_case(request.user, reference, entry_id)
    form = UploadForm()
    if request.method == "POST":
        if not can(request.user, Permission.ADD_NOTES):
            raise PermissionDenied("Your role cannot add to the communications log.")
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                stored = services.attach_files(entry, actor=request.user, attachments=form.cleaned_data["attachments"])
            except ValidationError as error:
                put_errors_on_form(form, error)
            else:
                messages.success(request, f"{len(stored)} file{'s' if len(stored) != 1 else ''} added.")
                return redirect(request.path)
    return render(
        request,
        "correspondence/entry.html",
        {
            "case": entry.case,
            "entry": entry,
            "letter": getattr(entry, "letter", None),
            "upload_form": form,
            "can_add": can(request.user, Permission.ADD_NOTES),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def download(request, reference, attachment_id):
    """A file from a case, only to someone who may see the case; always downloaded, never shown in the page."""
    attachment = selectors.visible_attachment(request.user, attachment_id)
    if attachment.entry.case.reference != reference:
        raise Http404("No such file on a case you can see.")
    services.record_download(attachment, actor=request.user)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def send_email(request, reference):
    case = _case_to_change(request, reference, Permission.SEND_CORRESPONDENCE, "send emails from a case")
    if request.method == "POST":
        form = EmailForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                entry = services.send_email(case, actor=request.user, **form.service_arguments())
            except (ValidationError, RuleBroken) as error:
                put_errors_on_form(form, error)
            else:
                messages.success(request, f"Email sent to {entry.recipient} and filed on the case.")
                return redirect("correspondence:entry", reference=case.reference, entry_id=entry.pk)
    else:
        main_contact = next(
            (party.person for party in selectors.parties_of(case) if party.is_main_contact and party.person.email),
            None,
        )
        form = EmailForm(initial={"to": main_contact.email if main_contact else "", "subject": f"{case.reference}: "})
    return render(
        request, "correspondence/email.html", {"case": case, "form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def new_letter(request, reference):
    """Choose a template and who it is to. Each template is checked against the case first, with its problems."""
    case = _case_to_change(request, reference, Permission.SEND_CORRESPONDENCE, "write letters")
    parties = selectors.parties_of(case)
    people = selectors.recipients_of(parties)
    templates = selectors.templates_in_use()
    form = NewLetterForm(
        request.POST or None, templates=templates, people=Person.objects.filter(pk__in=[p.pk for p in people])
    )
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.draft_letter(
                case,
                actor=request.user,
                template=form.cleaned_data["template"],
                recipient=form.cleaned_data["recipient"],
            )
        except ValidationError as error:
            put_errors_on_form(form, error)
        else:
            messages.success(request, "Draft letter made. Read it through and edit it before producing it.")
            return redirect("correspondence:letter", reference=case.reference, letter_id=letter.pk)
    checks = selectors.letter_checks(case, templates=list(templates), parties=parties, today=timezone.localdate())
    return render(
        request,
        "correspondence/letter_new.html",
        {"case": case, "form": form, "checks": checks},
        status=400 if form.errors else 200,
    )


def _letter_page(request, letter, *, form=None, produce_form=None, status=200):
    return render(
        request,
        "correspondence/letter.html",
        {
            "case": letter.case,
            "letter": letter,
            "form": form or LetterForm.for_letter(letter),
            "produce_form": produce_form or ProduceForm(initial={"version": letter.version}),
            "parts_to_write": selectors.parts_to_write(letter),
            "can_write": can(request.user, Permission.SEND_CORRESPONDENCE),
            "files": list(letter.entry.attachments.all()) if letter.entry_id else [],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def letter_detail(request, reference, letter_id):
    """The draft to read and edit; once produced, the letter as sent with its Word and PDF files."""
    letter = selectors.letter_on_case(request.user, reference, letter_id)
    if request.method == "GET":
        return _letter_page(request, letter)
    if not can(request.user, Permission.SEND_CORRESPONDENCE):
        raise PermissionDenied("Your role cannot write letters.")
    form = LetterForm.for_letter(letter, request.POST)
    if form.is_valid():
        values = dict(form.cleaned_data)
        try:
            services.edit_letter(letter, actor=request.user, expected_version=values.pop("version"), **values)
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(form, error)
            if isinstance(error, StaleEdit):
                letter.refresh_from_db()
                form.data = form.data.copy()
                form.data["version"] = letter.version
        else:
            messages.success(request, "Draft saved.")
            return redirect(request.path)
    return _letter_page(request, letter, form=form, status=400)


@require_POST
def produce_letter(request, reference, letter_id):
    letter = selectors.letter_on_case(request.user, reference, letter_id)
    if not can(request.user, Permission.SEND_CORRESPONDENCE):
        raise PermissionDenied("Your role cannot write letters.")
    produce_form = ProduceForm(request.POST)
    if produce_form.is_valid():
        try:
            services.produce_letter(letter, actor=request.user, expected_version=produce_form.cleaned_data["version"])
        except (ValidationError, RuleBroken) as error:
            put_errors_on_form(produce_form, error)
        else:
            messages.success(request, "Letter produced as Word and PDF and filed in the communications log.")
            return redirect("correspondence:letter", reference=reference, letter_id=letter.pk)
    letter.refresh_from_db()
    return _letter_page(request, letter, produce_form=produce_form, status=400)
