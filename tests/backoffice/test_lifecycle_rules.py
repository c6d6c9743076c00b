"""Every allowed and every forbidden move of the dossier state machine, by who may make it."""

from __future__ import annotations

import itertools

import pytest

from webapp.dossiers import lifecycle as lc
from webapp.tracking import lifecycle as tracked

# Written out by hand from the issue, independently of lifecycle.ACTIONS, so that a change to
# the machine has to be made in two places on purpose.
ALLOWED = {
    (lc.SUBMITTED, "receive", "staff"): lc.RECEIVED,
    (lc.RECEIVED, "request_papers", "staff"): lc.MORE_PAPERS_REQUESTED,
    (lc.PAPERS_ADDED, "request_papers", "staff"): lc.MORE_PAPERS_REQUESTED,
    (lc.MORE_PAPERS_REQUESTED, "add_papers", "citizen"): lc.PAPERS_ADDED,
    (lc.RECEIVED, "approve", "staff"): lc.APPROVED,
    (lc.PAPERS_ADDED, "approve", "staff"): lc.APPROVED,
    (lc.RECEIVED, "refuse", "staff"): lc.REFUSED,
    (lc.PAPERS_ADDED, "refuse", "staff"): lc.REFUSED,
    (lc.APPROVED, "close", "staff"): lc.CLOSED,
}
ACTIONS = ["receive", "request_papers", "add_papers", "approve", "refuse", "close", "reopen"]
EVERY_MOVE = list(itertools.product(lc.STATUSES, ACTIONS, ["staff", "citizen"]))


@pytest.mark.parametrize(("status", "action", "by"), list(ALLOWED))
def test_allowed_move_leads_to_the_next_status(status, action, by):
    assert lc.next_status(status, action, by) == ALLOWED[(status, action, by)]


@pytest.mark.parametrize(("status", "action", "by"),
                         [move for move in EVERY_MOVE if move not in ALLOWED])
def test_every_other_move_is_refused(status, action, by):
    with pytest.raises(tracked.IllegalTransition):
        lc.next_status(status, action, by)


def test_the_buttons_offered_are_exactly_the_allowed_moves():
    for status in lc.STATUSES:
        for by in ("staff", "citizen"):
            offered = {a.key for a in lc.allowed_actions(status, by)}
            assert offered == {a for (s, a, b) in ALLOWED if s == status and b == by}


def test_finished_dossiers_cannot_move_except_an_approved_one_being_returned():
    assert lc.allowed_actions(lc.REFUSED) == []
    assert lc.allowed_actions(lc.CLOSED) == []
    assert [a.key for a in lc.allowed_actions(lc.APPROVED)] == ["close"]


def test_every_status_has_words_for_the_citizen_and_the_officer():
    for status in lc.STATUSES:
        assert str(lc.public_label(status)) != status
        assert str(lc.staff_label(status)) != status


def small_lifecycle() -> tracked.Lifecycle:
    # Built in the test, not at import, so that every line of Lifecycle runs under the test.
    return tracked.Lifecycle(
        statuses=("new", "done"),
        actions=(tracked.Action("finish", ("new",), "done", tracked.STAFF, "Finish"),
                 tracked.Action("withdraw", ("new",), "done", tracked.CITIZEN, "Withdraw")),
        public_labels={"new": "Sent"}, staff_labels={"new": "New"}, step_words={},
        open_statuses=("new",), waiting_statuses=(), decision_statuses=("done",),
        finished_statuses=("done",))


def test_a_lifecycle_finds_each_action_by_its_key():
    life = small_lifecycle()
    assert life.by_key == {action.key: action for action in life.actions}
    assert life.next_status("new", "finish") == "done"
    assert life.next_status("new", "withdraw", tracked.CITIZEN) == "done"
    assert [a.key for a in life.allowed_actions("new", tracked.CITIZEN)] == ["withdraw"]


def test_a_status_without_words_shows_as_itself_rather_than_blank():
    life = small_lifecycle()
    assert (life.public_label("new"), life.staff_label("new")) == ("Sent", "New")
    assert (life.public_label("done"), life.staff_label("done")) == ("done", "done")


def test_a_refused_move_says_which_and_from_where():
    # What the log of a refused request shows the operator, and what the views read.
    with pytest.raises(tracked.IllegalTransition,
                       match=r"^'approve' is not allowed from 'submitted'$") as caught:
        lc.next_status(lc.SUBMITTED, "approve")
    assert (caught.value.status, caught.value.action) == (lc.SUBMITTED, "approve")
