"""Writes for action plans: raising a plan, its actions and their progress, evidence, and the public wording.

Each function checks the actor's role and that the plan is one they may see, runs in one transaction, and writes
its audit event (and a timeline entry on each case the change concerns) in that transaction. Nothing here changes
a case's row, so no case is locked and no case version moves.
"""

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, require
from palsdesk.audit import services as audit
from palsdesk.cases import timeline
from palsdesk.cases.models import Case, TimelineEntry
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.coding.models import Code, LocalSubject, TaxonomyKind
from palsdesk.core.dates import long_date
from palsdesk.core.errors import RuleBroken
from palsdesk.learning import evidence as evidence_rules
from palsdesk.learning import personal_data, selectors
from palsdesk.learning.models import (
    Action,
    ActionPlan,
    ActionStatus,
    Evidence,
    PlanScope,
    PublicWording,
)
from palsdesk.organisation.models import Division

TITLE_MAX_CHARACTERS = 200
THEME_MAX_CHARACTERS = 200
TEXT_MAX_CHARACTERS = 4_000
REASON_MAX_CHARACTERS = 1_000
WORDING_MAX_CHARACTERS = 1_000
MAX_LINKED_CASES = 50
EVIDENCE_FOLDER = "learning/evidence"
THEME_KINDS = (TaxonomyKind.SUBJECT, TaxonomyKind.HCAT_CATEGORY)
# What change_action may change.
ACTION_FIELDS = ("description", "owner", "due_on", "cases", "subjects", "local_subjects")


def _text(problems: dict, name: str, value: str, limit: int, *, needed: str = "") -> str:
    value = (value or "").strip()
    if needed and not value:
        problems.setdefault(name, []).append(needed)
    elif len(value) > limit:
        problems.setdefault(name, []).append(f"This must be {limit:,} characters or fewer; it has {len(value):,}.")
    return value


def _ensure_may_change(actor, plan: ActionPlan) -> None:
    """The actor may work on plans, and on this one: a divisional manager only on their divisions' plans."""
    require(actor, Permission.MANAGE_ACTION_PLANS, "work on action plans")
    if not selectors.action_plans_visible_to(actor).filter(pk=plan.pk).exists():
        raise PermissionDenied("This action plan is not one of your divisions' plans, so you cannot change it.")


def _note_on_case(plan: ActionPlan, body: str, *, actor) -> None:
    """A plan raised on a case notes its work on the case's timeline.

    Only the plan's own case: a case linked from another division's plan is seen by staff who may not see that
    plan, so its link shows only in the case page's section, to those who may (learning.selectors.case_section).
    There is no timeline kind for learning yet, so it is a note.
    """
    if plan.case_id:
        timeline.add_entry(plan.case, kind=TimelineEntry.EntryKind.NOTE, body=body, actor=actor)


# --- Plans -----------------------------------------------------------------------------------------------------------


@transaction.atomic
def raise_action_plan(
    *,
    actor,
    title: str,
    scope: str,
    case: Case | None = None,
    subject: Code | None = None,
    local_subject: LocalSubject | None = None,
    theme: str = "",
    division: Division | None = None,
    summary: str = "",
) -> ActionPlan:
    """Raise a plan for a case, a theme (a national subject or HCAT category, a local subject, or the team's own words)
    or a division. A divisional manager raises plans only for their own divisions."""
    require(actor, Permission.MANAGE_ACTION_PLANS, "raise action plans")
    problems: dict[str, list[str]] = {}
    title = _text(problems, "title", title, TITLE_MAX_CHARACTERS, needed="Enter a title for the plan.")
    summary = _text(problems, "summary", summary, TEXT_MAX_CHARACTERS)
    theme = _text(problems, "theme", theme, THEME_MAX_CHARACTERS)
    if scope not in PlanScope.values:
        problems.setdefault("scope", []).append("Choose what the plan is for: a case, a theme or a division.")
    if scope == PlanScope.CASE:
        if case is None:
            problems.setdefault("case", []).append("Enter the reference of the case the plan is for.")
        elif not cases_visible_to(actor).filter(pk=case.pk).exists():
            problems.setdefault("case", []).append(f"There is no case {case.reference} that you can see.")
        subject, local_subject, theme = None, None, ""
    else:
        case = None
    if scope == PlanScope.THEME:
        named = [value for value in (subject, local_subject, theme) if value]
        if len(named) != 1:
            problems.setdefault("subject", []).append(
                "Choose one theme: a national subject or HCAT category, a local subject, or the theme in your words."
            )
        if subject is not None and subject.taxonomy.kind not in THEME_KINDS:
            problems.setdefault("subject", []).append("Choose a KO41a subject or an HCAT category.")
        if local_subject is not None and not local_subject.is_active:
            problems.setdefault("local_subject", []).append(f"'{local_subject}' is no longer in use.")
    elif scope == PlanScope.DIVISION:
        subject, local_subject, theme = None, None, ""
        if division is None:
            problems.setdefault("division", []).append("Choose the division the plan is for.")
    if division is not None and not division.is_active:
        problems.setdefault("division", []).append(f"{division} is no longer in use.")
    if problems:
        raise ValidationError(problems)
    if not selectors.in_reach(actor, division_id=division.pk if division else None, case=case):
        raise ValidationError(
            {"division": ["Choose one of your divisions: you can raise plans only for your divisions and their cases."]}
        )
    plan = ActionPlan.objects.create(
        title=title,
        scope=scope,
        case=case,
        subject=subject,
        local_subject=local_subject,
        theme=theme,
        division=division,
        summary=summary,
        created_by=actor,
        modified_by=actor,
    )
    _note_on_case(plan, f"Action plan raised: {title}.", actor=actor)
    audit.record(
        actor=actor,
        action="learning.plan_raised",
        target=plan,
        case=case,
        changes={
            name: [None, value]
            for name, value in audit.snapshot(
                plan, ["title", "scope", "case", "subject", "local_subject", "theme", "division", "summary"]
            ).items()
            if value not in (None, "")
        },
    )
    return plan


# --- Actions ---------------------------------------------------------------------------------------------------------


def _check_owner(problems: dict, owner, plan: ActionPlan) -> None:
    if owner is None:
        problems.setdefault("owner", []).append("Choose who owns the action.")
    elif not selectors.may_own_actions_on(owner, plan):
        problems.setdefault("owner", []).append(
            f"{owner} cannot own an action on this plan: they must be able to see it and work on action plans."
        )


def _check_due_on(problems: dict, due_on: datetime.date | None, *, today: datetime.date) -> None:
    if due_on is None:
        problems.setdefault("due_on", []).append("Enter the due date.")
    elif due_on < today:
        problems.setdefault("due_on", []).append(f"The due date must be today ({long_date(today)}) or later.")


def _check_links(problems: dict, actor, cases: list[Case], subjects: list[Code]) -> None:
    if len(cases) > MAX_LINKED_CASES:
        problems.setdefault("cases", []).append(f"Link at most {MAX_LINKED_CASES} cases; this has {len(cases)}.")
    elif cases:
        visible = set(cases_visible_to(actor).filter(pk__in=[case.pk for case in cases]).values_list("pk", flat=True))
        for case in cases:
            if case.pk not in visible:
                problems.setdefault("cases", []).append(f"There is no case {case.reference} that you can see.")
    kinds = dict(Code.objects.filter(pk__in=[code.pk for code in subjects]).values_list("pk", "taxonomy__kind"))
    for code in subjects:
        if kinds.get(code.pk) not in THEME_KINDS:
            problems.setdefault("subjects", []).append(f"'{code}' is not a KO41a subject or an HCAT category.")


def _unique(items) -> list:
    return list({item.pk: item for item in items or []}.values())


@transaction.atomic
def add_action(
    plan: ActionPlan,
    *,
    actor,
    description: str,
    owner,
    due_on: datetime.date | None,
    cases: Iterable[Case] = (),
    subjects: Iterable[Code] = (),
    local_subjects: Iterable[LocalSubject] = (),
) -> Action:
    """Add an action to a plan: what will be done, by whom, by when, and the cases and themes that prompted it."""
    _ensure_may_change(actor, plan)
    problems: dict[str, list[str]] = {}
    description = _text(problems, "description", description, TEXT_MAX_CHARACTERS, needed="Enter what will be done.")
    _check_owner(problems, owner, plan)
    _check_due_on(problems, due_on, today=timezone.localdate())
    cases, subjects, local_subjects = _unique(cases), _unique(subjects), _unique(local_subjects)
    _check_links(problems, actor, cases, subjects)
    if problems:
        raise ValidationError(problems)
    action = Action.objects.create(
        plan=plan, description=description, owner=owner, due_on=due_on, created_by=actor, modified_by=actor
    )
    action.cases.set(cases)
    action.subjects.set(subjects)
    action.local_subjects.set(local_subjects)
    _note_on_case(
        plan,
        f"Action added to the plan '{plan.title}': {description} Owner {owner}, due {long_date(due_on)}.",
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="learning.action_added",
        target=action,
        case=plan.case,
        changes={
            "plan": [None, audit.plain(plan)],
            **{name: [None, value] for name, value in _action_snapshot(action).items() if value not in (None, "", [])},
        },
    )
    return action


def _action_snapshot(action: Action) -> dict:
    values = audit.snapshot(action, ["description", "owner", "due_on", "status", "completed_on", "dropped_reason"])
    values["cases"] = sorted(case.reference for case in action.cases.all())
    values["subjects"] = sorted(code.label for code in action.subjects.all())
    values["local_subjects"] = sorted(local.name for local in action.local_subjects.all())
    return values


def _locked(action: Action) -> Action:
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("plan__case", "owner")
        .prefetch_related("cases", "subjects", "local_subjects")
        .get(pk=action.pk)
    )


@transaction.atomic
def change_action(action: Action, *, actor, **changes) -> Action:
    """Change what an action is, its owner, due date or links (ACTION_FIELDS). Fields left out keep their values."""
    action = _locked(action)
    _ensure_may_change(actor, action.plan)
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError({name: ["This cannot be changed here."] for name in sorted(unknown)})
    before = _action_snapshot(action)
    problems: dict[str, list[str]] = {}
    if "description" in changes:
        changes["description"] = _text(
            problems, "description", changes["description"], TEXT_MAX_CHARACTERS, needed="Enter what will be done."
        )
    if "owner" in changes and changes["owner"] != action.owner:
        _check_owner(problems, changes["owner"], action.plan)
    if "due_on" in changes and changes["due_on"] != action.due_on:
        if not action.is_outstanding:
            problems.setdefault("due_on", []).append("A finished action's due date stays as it was.")
        else:
            _check_due_on(problems, changes["due_on"], today=timezone.localdate())
    linked = list(action.cases.all())
    cases = _unique(changes.get("cases", linked))
    if "cases" in changes:
        # The actor is shown only the linked cases they may see: links to the others stay as they are.
        seen = set(cases_visible_to(actor).filter(pk__in=[case.pk for case in linked]).values_list("pk", flat=True))
        cases = _unique([*cases, *(case for case in linked if case.pk not in seen)])
    subjects = _unique(changes.get("subjects", action.subjects.all()))
    local_subjects = _unique(changes.get("local_subjects", action.local_subjects.all()))
    already = {case.pk for case in linked}
    _check_links(problems, actor, [case for case in cases if case.pk not in already], subjects)
    if problems:
        raise ValidationError(problems)
    for name in ("description", "owner", "due_on"):
        if name in changes:
            setattr(action, name, changes[name])
    action.modified_by = actor
    action.save()
    if "cases" in changes:
        action.cases.set(cases)
    if "subjects" in changes:
        action.subjects.set(subjects)
    if "local_subjects" in changes:
        action.local_subjects.set(local_subjects)
    action = _locked(action)
    after = _action_snapshot(action)
    changed = audit.changes_between(before, after)
    if not changed:
        return action
    _note_on_case(action.plan, f"Action on the plan '{action.plan.title}' changed: {action.description}", actor=actor)
    audit.record(actor=actor, action="learning.action_changed", target=action, case=action.plan.case, changes=changed)
    return action


STATUS_WORDS = {
    ActionStatus.OPEN: "reopened",
    ActionStatus.IN_PROGRESS: "in progress",
    ActionStatus.DONE: "done",
    ActionStatus.DROPPED: "dropped",
}


@transaction.atomic
def update_action_status(
    action: Action,
    *,
    actor,
    status: str,
    reason: str = "",
    completed_on: datetime.date | None = None,
) -> Action:
    """Move an action on: in progress, done (on a day, today unless said), or dropped with the reason why.

    A done action whose public words are approved is published: withdraw the words before reopening or dropping it.
    """
    action = _locked(action)
    _ensure_may_change(actor, action.plan)
    today = timezone.localdate()
    problems: dict[str, list[str]] = {}
    reason = _text(problems, "reason", reason, REASON_MAX_CHARACTERS)
    if status not in ActionStatus.values:
        problems.setdefault("status", []).append("Choose open, in progress, done or dropped.")
    elif status == action.status:
        problems.setdefault("status", []).append(f"The action is already {ActionStatus(status).label.lower()}.")
    if status == ActionStatus.DROPPED and not reason and "reason" not in problems:
        problems.setdefault("reason", []).append("Say why the action is dropped.")
    if status == ActionStatus.DONE:
        completed_on = completed_on or today
        if completed_on > today:
            problems.setdefault("completed_on", []).append("The day it was done cannot be in the future.")
    elif completed_on is not None:
        problems.setdefault("completed_on", []).append("Only a done action has the day it was done.")
    if problems:
        raise ValidationError(problems)
    wording = PublicWording.objects.filter(action=action).first()
    if action.status == ActionStatus.DONE and wording is not None and wording.is_approved:
        raise RuleBroken(
            "Its 'you said, we did' words are approved for the trust's website: withdraw them before the action "
            "is reopened or dropped.",
            field="status",
        )
    before = _action_snapshot(action)
    action.status = status
    action.completed_on = completed_on if status == ActionStatus.DONE else None
    action.dropped_reason = reason if status == ActionStatus.DROPPED else ""
    action.modified_by = actor
    action.save()
    body = f"Action on the plan '{action.plan.title}' {STATUS_WORDS[ActionStatus(status)]}: {action.description}"
    if status == ActionStatus.DONE:
        body += f" Done on {long_date(completed_on)}."
    elif reason:
        body += f" Reason: {reason}"
    _note_on_case(action.plan, body, actor=actor)
    audit.record(
        actor=actor,
        action="learning.action_status_changed",
        target=action,
        case=action.plan.case,
        changes=audit.changes_between(before, _action_snapshot(action)),
        context={"reason": reason} if reason else None,
    )
    return action


# --- Evidence --------------------------------------------------------------------------------------------------------


@transaction.atomic
def add_evidence(action: Action, *, actor, note: str = "", upload=None) -> Evidence:
    """Add evidence that an action was done: a note, a file that meets the attachment rules, or both.

    The file is checked before anything is written, and stored under a name of PALS Desk's own outside the public
    web root; if anything fails after it is stored, it is removed, so a refusal leaves nothing half-saved.
    """
    action = _locked(action)
    _ensure_may_change(actor, action.plan)
    problems: dict[str, list[str]] = {}
    note = _text(problems, "note", note, TEXT_MAX_CHARACTERS)
    checked = None
    if upload is not None:
        try:
            checked = evidence_rules.check_upload(upload, field="file")
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems.setdefault(name, []).extend(messages)
    elif not note and "note" not in problems:
        problems.setdefault("file", []).append("Choose a file, or write a note, as evidence.")
    if problems:
        raise ValidationError(problems)
    stored = ""
    try:
        if checked is not None:
            upload.seek(0)
            stored = default_storage.save(f"{EVIDENCE_FOLDER}/{uuid.uuid4().hex}{checked.extension}", upload)
        evidence = Evidence.objects.create(
            action=action,
            note=note,
            file=stored,
            file_name=checked.name if checked else "",
            content_type=checked.content_type if checked else "",
            size_bytes=checked.size_bytes if checked else None,
            created_by=actor,
            modified_by=actor,
        )
        what = f"the file {checked.name}" if checked else "a note"
        _note_on_case(action.plan, f"Evidence added to the action '{action.description}': {what}.", actor=actor)
        changes = {"action": [None, audit.plain(action)]}
        if note:
            changes["note"] = [None, note]
        if checked:
            changes |= {
                "file": [None, checked.name],
                "content_type": [None, checked.content_type],
                "size_bytes": [None, checked.size_bytes],
            }
        audit.record(
            actor=actor, action="learning.evidence_added", target=evidence, case=action.plan.case, changes=changes
        )
    except BaseException:
        # Called at the top of a request, this is the outermost transaction: its rollback and this removal agree.
        if stored:
            default_storage.delete(stored)
        raise
    return evidence


def record_evidence_download(evidence: Evidence, *, actor) -> None:
    """Who opened which evidence file, for the audit trail (as a case view is)."""
    audit.record(
        actor=actor,
        action="learning.evidence_downloaded",
        target=evidence,
        case=evidence.action.plan.case,
        context={"file": evidence.file_name},
    )


# --- "You said, we did" --------------------------------------------------------------------------------------------


def _check_wording_text(problems: dict, you_said: str, we_did: str) -> tuple[str, str]:
    you_said = _text(
        problems, "you_said", you_said, WORDING_MAX_CHARACTERS, needed="Enter what patients and families told us."
    )
    we_did = _text(problems, "we_did", we_did, WORDING_MAX_CHARACTERS, needed="Enter what the trust did about it.")
    return you_said, we_did


@transaction.atomic
def write_public_wording(action: Action, *, actor, you_said: str, we_did: str) -> PublicWording:
    """Write (or rewrite) the words the trust's website will show for this action. Rewriting approved words takes the
    approval away: they are published only once approved again."""
    action = _locked(action)
    require(actor, Permission.PUBLISH_LEARNING, "write 'you said, we did' words")
    _ensure_may_change(actor, action.plan)
    problems: dict[str, list[str]] = {}
    you_said, we_did = _check_wording_text(problems, you_said, we_did)
    if problems:
        raise ValidationError(problems)
    wording = PublicWording.objects.select_for_update().filter(action=action).first()
    before = audit.snapshot(wording, ["you_said", "we_did", "approved_at"]) if wording else {}
    if wording is None:
        wording = PublicWording(action=action, created_by=actor)
    elif wording.you_said == you_said and wording.we_did == we_did:
        return wording
    wording.you_said, wording.we_did = you_said, we_did
    wording.approved_at, wording.approved_by = None, None
    wording.modified_by = actor
    wording.save()
    audit.record(
        actor=actor,
        action="learning.wording_written",
        target=wording,
        case=action.plan.case,
        changes=audit.changes_between(before, audit.snapshot(wording, ["you_said", "we_did", "approved_at"])),
    )
    return wording


@transaction.atomic
def approve_public_wording(action: Action, *, actor) -> PublicWording:
    """Approve an action's words for the trust's website, once the action is done and the words hold no personal data:
    no NHS number, date of birth, email address or phone number, and no name of anyone on the cases it links to."""
    action = _locked(action)
    require(actor, Permission.PUBLISH_LEARNING, "approve 'you said, we did' words")
    _ensure_may_change(actor, action.plan)
    wording = PublicWording.objects.select_for_update().filter(action=action).first()
    if wording is None:
        raise RuleBroken("Write the 'you said, we did' words before approving them.", field="you_said")
    if wording.is_approved:
        raise RuleBroken("These words are already approved.")
    if action.status != ActionStatus.DONE:
        raise RuleBroken(
            "Only a done action goes on the 'you said, we did' list: mark the action done first.", field="status"
        )
    names = selectors.names_for(action)
    problems = {}
    for name in ("you_said", "we_did"):
        message = personal_data.refusal(getattr(wording, name), names=names)
        if message:
            problems[name] = [message]
    if problems:
        raise ValidationError(problems)
    wording.approved_at = timezone.now()
    wording.approved_by = actor
    wording.modified_by = actor
    wording.save()
    audit.record(
        actor=actor,
        action="learning.wording_approved",
        target=wording,
        case=action.plan.case,
        changes={"approved_at": [None, wording.approved_at]},
        context={"you_said": wording.you_said, "we_did": wording.we_did},
    )
    return wording


@transaction.atomic
def withdraw_public_wording(action: Action, *, actor, reason: str) -> PublicWording:
    """Take approved words off the 'you said, we did' list (they stay, to be mended and approved again)."""
    action = _locked(action)
    require(actor, Permission.PUBLISH_LEARNING, "withdraw 'you said, we did' words")
    _ensure_may_change(actor, action.plan)
    problems: dict[str, list[str]] = {}
    reason = _text(problems, "reason", reason, REASON_MAX_CHARACTERS, needed="Say why the words are withdrawn.")
    if problems:
        raise ValidationError(problems)
    wording = PublicWording.objects.select_for_update().filter(action=action).first()
    if wording is None or not wording.is_approved:
        raise RuleBroken("These words are not approved, so there is nothing to withdraw.")
    approved_at = wording.approved_at
    wording.approved_at, wording.approved_by = None, None
    wording.modified_by = actor
    wording.save()
    audit.record(
        actor=actor,
        action="learning.wording_withdrawn",
        target=wording,
        case=action.plan.case,
        changes={"approved_at": [approved_at, None]},
        context={"reason": reason},
    )
    return wording
