"""Where other apps add a section to the case page and deadlines to "My work", without `cases` importing them.

An app registers its functions in its AppConfig.ready(); `cases` calls them in INSTALLED_APPS order. So the
correspondence, meetings or Ombudsman work of a case shows on its page, and their deadlines in "My work",
while the dependency still points one way (those apps use `cases`; `cases` knows only this registry).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CaseSection:
    """A section of the case page: its heading, its anchor, and the template that renders it with `context`.

    The template is included with `section` in its context (so it reads `section.context.…`) alongside the
    case page's own context (`case`, `user`...).
    """

    heading: str
    anchor: str
    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class WorkItem:
    """A deadline of someone's that is not one of a case's own clocks: a PHSO request, a contribution, an action."""

    case_reference: str
    what: str
    due_on: datetime.date
    url: str
    is_met: bool = False


CaseSectionFunction = Callable[..., CaseSection | None]  # (user, case) -> the section, or None to show none
WorkItemsFunction = Callable[..., list[WorkItem]]  # (user, *, today) -> the user's open items

_case_sections: list[CaseSectionFunction] = []
_work_items: list[WorkItemsFunction] = []


def register_case_section(function: CaseSectionFunction) -> None:
    if function not in _case_sections:
        _case_sections.append(function)


def register_work_items(function: WorkItemsFunction) -> None:
    if function not in _work_items:
        _work_items.append(function)


def case_sections(user, case) -> list[CaseSection]:
    """The sections other apps show on this case's page, for this user."""
    return [section for function in _case_sections if (section := function(user, case)) is not None]


def work_items(user, *, today: datetime.date) -> list[WorkItem]:
    """The user's deadlines from other apps, soonest first."""
    items = [item for function in _work_items for item in function(user, today=today)]
    return sorted(items, key=lambda item: (item.due_on, item.case_reference, item.what))
