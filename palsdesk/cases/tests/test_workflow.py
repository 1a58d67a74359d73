"""The written pathways: which moves exist for each kind of case, and how an illegal move is refused."""

import pytest

from palsdesk.accounts.permissions import Permission
from palsdesk.cases import workflow
from palsdesk.cases.models import FINISHED_STATUSES, Kind, Status


def test_a_complaint_runs_from_received_to_closed():
    path = [Status.RECEIVED]
    for name in ("acknowledge", "start_investigation", "submit_draft", "send_response", "close"):
        path.append(workflow.transition_named(Kind.COMPLAINT, path[-1], name).target)
    assert path == [
        Status.RECEIVED,
        Status.ACKNOWLEDGED,
        Status.UNDER_INVESTIGATION,
        Status.RESPONSE_IN_REVIEW,
        Status.RESPONSE_SENT,
        Status.CLOSED,
    ]


@pytest.mark.parametrize("status", [Status.RESPONSE_SENT, Status.CLOSED])
def test_a_complaint_can_be_reopened_after_its_response(status):
    reopen = workflow.transition_to(Kind.COMPLAINT, status, Status.UNDER_INVESTIGATION)
    assert reopen.name == "reopen"
    assert reopen.needs_reason


@pytest.mark.parametrize(
    "status", [Status.RECEIVED, Status.ACKNOWLEDGED, Status.UNDER_INVESTIGATION, Status.RESPONSE_IN_REVIEW]
)
def test_a_complaint_can_be_withdrawn_until_the_response_is_sent(status):
    assert workflow.transition_to(Kind.COMPLAINT, status, Status.WITHDRAWN).needs_reason


def test_a_complaint_cannot_be_withdrawn_once_the_response_is_sent():
    with pytest.raises(workflow.InvalidTransition):
        workflow.transition_to(Kind.COMPLAINT, Status.RESPONSE_SENT, Status.WITHDRAWN)


def test_a_pals_concern_is_resolved_or_escalated():
    assert {t.target for t in workflow.moves_from(Kind.PALS_CONCERN, Status.OPEN)} == {
        Status.RESOLVED,
        Status.ESCALATED,
    }


def test_returning_a_draft_needs_a_reason():
    assert workflow.transition_to(Kind.COMPLAINT, Status.RESPONSE_IN_REVIEW, Status.UNDER_INVESTIGATION).needs_reason


def test_only_investigators_submit_the_draft_and_caseworkers_send_it():
    assert workflow.transition_named(Kind.COMPLAINT, Status.UNDER_INVESTIGATION, "submit_draft").permission == (
        Permission.INVESTIGATE
    )
    assert workflow.transition_named(Kind.COMPLAINT, Status.RESPONSE_IN_REVIEW, "send_response").permission == (
        Permission.MOVE_CASE
    )


def _every_move():
    for kind in Kind:
        for status in workflow.statuses_of(kind):
            for target in Status:
                yield kind, status, target


@pytest.mark.parametrize(("kind", "status", "target"), list(_every_move()))
def test_every_move_outside_the_pathway_is_refused_with_the_moves_that_exist(kind, status, target):
    allowed = {t.target for t in workflow.moves_from(kind, status)}
    if target in allowed:
        assert workflow.transition_to(kind, status, target).target == target
        return
    with pytest.raises(workflow.InvalidTransition) as refusal:
        workflow.transition_to(kind, status, target)
    message = refusal.value.message
    assert f"'{Status(status).label}'" in message
    assert f"'{Status(target).label}'" in message
    for possible in allowed:
        assert possible.label in message


def test_a_finished_case_says_nothing_can_move_it():
    with pytest.raises(workflow.InvalidTransition, match="finished"):
        workflow.transition_to(Kind.COMPLAINT, Status.WITHDRAWN, Status.RECEIVED)


def test_an_unknown_status_is_named_in_the_refusal():
    with pytest.raises(workflow.InvalidTransition, match="'shelved' is not a status"):
        workflow.transition_to(Kind.COMPLAINT, Status.RECEIVED, "shelved")


@pytest.mark.parametrize("kind", list(Kind))
def test_every_status_of_a_kind_is_reachable_from_its_first(kind):
    reached = {workflow.INITIAL_STATUS[kind]}
    frontier = list(reached)
    while frontier:
        status = frontier.pop()
        for transition in workflow.moves_from(kind, status):
            if transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(workflow.statuses_of(kind))


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_can_finish(kind):
    assert set(workflow.statuses_of(kind)) & set(FINISHED_STATUSES)
