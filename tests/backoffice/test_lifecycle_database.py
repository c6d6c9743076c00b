"""Moving real dossiers: events, messages and due dates in one transaction, and two officers
acting at once on the same dossier."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from tests.backoffice.conftest import make_dossier
from webapp.core import clock
from webapp.core.db import database
from webapp.dossiers import lifecycle as lc
from webapp.dossiers import steps
from webapp.tracking import lifecycle as tracked
from webapp.tracking.lifecycle import Move


def make_officer(phone="0987654321"):
    from flask import current_app

    from tests.accounts.helpers import create_staff

    return create_staff(current_app._get_current_object(), role="officer",
                        full_name="Trần Văn Minh", phone=phone)


def outbox():
    from webapp.notifications.models import OutboxMessage

    return list(OutboxMessage.select().order_by(OutboxMessage.id))


def events(dossier):
    from webapp.dossiers.models import DossierEvent

    return list(DossierEvent.select().where(DossierEvent.dossier == dossier)
                .order_by(DossierEvent.id))


def reload(dossier):
    from webapp.dossiers.models import Dossier

    return Dossier.get_by_id(dossier.id)


def test_receiving_writes_the_event_and_tells_the_citizen_with_the_officers_phone(in_app):
    dossier = make_dossier()
    officer = make_officer()
    before = len(outbox())
    steps.perform(dossier, Move("receive", version=1, staff=officer))
    fresh = reload(dossier)
    assert (fresh.status, fresh.version) == (lc.RECEIVED, 2)
    assert [(e.from_status, e.to_status) for e in events(dossier)][-1] == ("submitted", "received")
    message = outbox()[before]
    assert message.template == "dossier_received"
    assert message.phone == dossier.contact_phone
    assert message.data["code"] == dossier.code
    assert message.data["officer_phone"] == "0987654321"


def test_an_officer_without_a_phone_never_gives_an_unconfirmed_number(in_app):
    # The province's support line (1022) is not confirmed, and no one-stop shop has a
    # confirmed phone yet: the message names the one-stop shop instead of a wrong number.
    dossier = make_dossier()
    steps.perform(dossier, Move("receive", version=1, staff=make_officer(phone="")))
    message = outbox()[-1]
    assert message.data["officer_phone"] == f"bộ phận một cửa {dossier.commune.name}"
    from webapp.notifications.templates import get

    assert "1022" not in get(message.template).render(message.data)


def test_asking_for_papers_then_getting_them_extends_the_due_date(in_app):
    # Sent Mon 2 Mar 2026 09:00 local; procedure with its own processing time.
    dossier = make_dossier(submitted_at=dt.datetime(2026, 3, 2, 2, 0))
    officer = make_officer()
    original_due = dossier.due_date
    steps.perform(dossier, Move("receive", 1, staff=officer))
    steps.perform(dossier, Move("request_papers", 2, staff=officer,
                             public_message="Bản sao giấy khai sinh của cháu."))
    assert reload(dossier).due_date == original_due  # the pause has not ended yet
    from webapp.dossiers.models import DossierEvent
    # Make the request three working days old, as if the citizen answered later.
    DossierEvent.update(created_at=dt.datetime(2026, 3, 3, 2, 0)).where(
        (DossierEvent.dossier == dossier) & (DossierEvent.to_status == lc.MORE_PAPERS_REQUESTED)
    ).execute()
    DossierEvent.update(created_at=dt.datetime(2026, 3, 2, 2, 0)).where(
        (DossierEvent.dossier == dossier) & (DossierEvent.to_status == lc.RECEIVED)).execute()
    citizen = dossier.citizen
    dossier = reload(dossier)
    from unittest import mock
    with mock.patch("webapp.core.clock.utcnow", return_value=dt.datetime(2026, 3, 6, 2, 0)):
        steps.perform(dossier, Move("add_papers", 3, citizen=citizen))
    # Paused Wed 4 - Fri 6 March: three working days are given back.
    assert reload(dossier).due_date == clock.calendar().due_date(
        dt.date(2026, 3, 2), dossier.procedure.processing_working_days,
        [(dt.date(2026, 3, 4), dt.date(2026, 3, 6))])
    assert reload(dossier).due_date > original_due
    assert outbox()[-1].template == "dossier_papers_added"
    assert outbox()[-1].data["officer_phone"] == officer.phone


def test_an_illegal_move_changes_nothing(in_app):
    dossier = make_dossier()
    before = (len(events(dossier)), len(outbox()))
    with pytest.raises(tracked.IllegalTransition):
        steps.perform(dossier, Move("approve", 1, staff=make_officer()))
    with pytest.raises(tracked.IllegalTransition):
        steps.perform(dossier, Move("receive", 1, citizen=dossier.citizen))
    assert reload(dossier).status == lc.SUBMITTED
    assert (len(events(dossier)), len(outbox())) == before


def test_acting_on_an_outdated_page_changes_nothing(in_app):
    dossier = make_dossier()
    officer = make_officer()
    steps.perform(dossier, Move("receive", 1, staff=officer))
    stale_copy = make_stale_copy(dossier, status=lc.SUBMITTED, version=1)
    before = (len(events(dossier)), len(outbox()))
    with pytest.raises(tracked.StaleItem):
        steps.perform(stale_copy, Move("receive", 1, staff=officer))
    assert (len(events(dossier)), len(outbox())) == before
    assert reload(dossier).version == 2


def make_stale_copy(dossier, **fields):
    copy = reload(dossier)
    for name, value in fields.items():
        setattr(copy, name, value)
    return copy


def test_a_decision_keeps_its_figures(in_app):
    from webapp.dossiers.models import DossierOutcome

    dossier = make_dossier()
    officer = make_officer()
    steps.perform(dossier, Move("receive", 1, staff=officer))
    steps.perform(dossier, Move("refuse", 2, staff=officer,
                                public_message="Không thuộc thẩm quyền."))
    outcome = DossierOutcome.get(DossierOutcome.dossier == dossier)
    assert outcome.decision == lc.REFUSED
    assert outcome.due_date == reload(dossier).due_date
    assert outbox()[-1].template == "dossier_refused"
    # The officer's full stop is dropped: the message adds its own ("...quyền. Xem chi tiết").
    assert outbox()[-1].data["reason"] == "Không thuộc thẩm quyền"
    assert ".." not in outbox()[-1].text


def test_a_failure_inside_the_step_rolls_everything_back(in_app):
    dossier = make_dossier()

    def broken(_dossier, _event):
        raise RuntimeError("disk full")

    before = (len(events(dossier)), len(outbox()))
    with pytest.raises(RuntimeError):
        steps.perform(dossier, Move("receive", 1, staff=make_officer(), after=broken))
    assert reload(dossier).status == lc.SUBMITTED
    assert (len(events(dossier)), len(outbox())) == before


@pytest.mark.parametrize("actions", [("receive", "receive"), ("approve", "refuse"),
                                     ("request_papers", "approve")])
def test_two_officers_acting_at_once_one_wins_and_the_other_changes_nothing(app, actions):
    with app.app_context(), database.connection_context():
        dossier = make_dossier()
        first, second = make_officer("0911111111"), make_officer("0922222222")
        if actions[0] != "receive":
            steps.perform(dossier, Move("receive", 1, staff=first))
        dossier_id = dossier.id
        messages_before = len(outbox())
    barrier = threading.Barrier(2)
    outcomes = []

    def act(officer, action):
        with app.app_context(), database.connection_context():
            mine = reload_by_id(dossier_id)
            barrier.wait()
            try:
                steps.perform(mine, Move(action, mine.version, staff=officer,
                                      public_message="Lý do cụ thể.",
                                      after=result_for(action)))
                outcomes.append("won")
            except tracked.StaleItem:
                outcomes.append("stale")

    threads = [threading.Thread(target=act, args=(officer, action))
               for officer, action in zip((first, second), actions, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["stale", "won"]
    with app.app_context(), database.connection_context():
        fresh = reload_by_id(dossier_id)
        changes = [e for e in events(fresh) if e.kind == "status_changed"]
        assert fresh.version == len(changes) + 1
        assert len(outbox()) == messages_before + 1


def reload_by_id(dossier_id):
    from webapp.dossiers.models import Dossier

    return Dossier.get_by_id(dossier_id)


def result_for(action):
    if action != "approve":
        return None

    def attach(dossier, event):
        from webapp.dossiers.models import DossierResult

        DossierResult.create(dossier=dossier.id, text="Giấy xác nhận", delivery="pickup")

    return attach


STEP_TIME = dt.datetime(2026, 3, 3, 3, 30)  # Tue 3 Mar 2026 10:30 local


def test_the_timeline_keeps_who_acted_and_both_texts_trimmed(in_app):
    # The officer's note stays with the staff and the citizen's words go to the citizen; both
    # are kept as typed, without the spaces a phone keyboard adds.
    from unittest import mock

    dossier = make_dossier()
    officer = make_officer()
    with mock.patch("webapp.core.clock.utcnow", return_value=STEP_TIME):
        steps.perform(dossier, Move("receive", 1, staff=officer))
        steps.perform(dossier, Move("request_papers", 2, staff=officer,
                                    public_message="  Bản sao giấy khai sinh.  ",
                                    internal_note="  Gọi lại chiều nay.\n"))
        steps.perform(dossier, Move("add_papers", 3, citizen=dossier.citizen))
    received, requested, added = events(dossier)[-3:]
    assert [(e.actor_staff_id, e.actor_citizen_id) for e in (received, requested, added)] == [
        (officer.id, None), (officer.id, None), (None, dossier.citizen_id)]
    assert (requested.public_message, requested.internal_note) == (
        "Bản sao giấy khai sinh.", "Gọi lại chiều nay.")
    assert (received.public_message, received.internal_note) == ("", "")
    assert {e.created_at for e in (received, requested, added)} == {STEP_TIME}
    assert (requested.kind, requested.from_status, requested.to_status) == (
        "status_changed", lc.RECEIVED, lc.MORE_PAPERS_REQUESTED)


def test_a_step_moves_the_dossier_to_the_top_of_the_lists_and_updates_the_page_copy(in_app):
    # Lists show the most recently changed dossier first (updated_at), and the page that made
    # the step goes on with the dossier it holds: both must say what the database says.
    from unittest import mock

    dossier = make_dossier()
    with mock.patch("webapp.core.clock.utcnow", return_value=STEP_TIME):
        steps.perform(dossier, Move("receive", 1, staff=make_officer()))
    fresh = reload(dossier)
    assert fresh.updated_at == STEP_TIME
    assert (dossier.status, dossier.version, dossier.due_date, dossier.updated_at) == (
        fresh.status, fresh.version, fresh.due_date, fresh.updated_at)
    assert (fresh.status, fresh.version) == (lc.RECEIVED, 2)


def test_a_step_on_one_dossier_leaves_another_at_the_same_point_untouched(in_app):
    # Two citizens' dossiers, both just sent (same status, same version): receiving one must
    # not receive, re-date or bump the other.
    from unittest import mock

    mine, theirs = make_dossier(), make_dossier()
    before = reload(theirs)
    with mock.patch("webapp.core.clock.utcnow", return_value=STEP_TIME):
        steps.perform(mine, Move("receive", 1, staff=make_officer()))
    after = reload(theirs)
    assert (after.status, after.version, after.due_date, after.updated_at) == (
        before.status, before.version, before.due_date, before.updated_at)
    assert [(e.from_status, e.to_status) for e in events(theirs)] == [("", "submitted")]
    assert reload(mine).status == lc.RECEIVED


def test_the_citizens_own_step_needs_the_citizen_and_no_officer(in_app):
    # Sending the papers is the citizen's move. A move that names an officer is the officer's,
    # even if it also names the citizen, and a move naming nobody is no one's: both refused.
    dossier = make_dossier(lc.MORE_PAPERS_REQUESTED)
    officer = make_officer()
    for move in (Move("add_papers", 1, staff=officer, citizen=dossier.citizen),
                 Move("add_papers", 1)):
        with pytest.raises(tracked.IllegalTransition):
            steps.perform(dossier, move)
    assert reload(dossier).status == lc.MORE_PAPERS_REQUESTED
    assert Move("receive", 1, staff=officer, citizen=dossier.citizen).by == "staff"
    assert Move("add_papers", 1, citizen=dossier.citizen).by == "citizen"


def test_a_decision_fixes_when_where_on_time_and_how_many_working_days(in_app):
    # The figures page sums these rows: each column must hold this decision's own values.
    from unittest import mock

    from webapp.dossiers.models import DossierOutcome

    dossier = make_dossier(submitted_at=dt.datetime(2026, 3, 2, 2, 0))  # Mon 2 Mar
    officer = make_officer()
    decided = dt.datetime(2026, 3, 5, 2, 0)  # Thu 5 Mar, three working days later
    with mock.patch("webapp.core.clock.utcnow", return_value=decided):
        steps.perform(dossier, Move("receive", 1, staff=officer))
        steps.perform(dossier, Move("refuse", 2, staff=officer, public_message="Sai mẫu."))
    outcome = DossierOutcome.get(DossierOutcome.dossier == dossier)
    assert (outcome.commune_id, outcome.procedure_id, outcome.decision) == (
        dossier.commune_id, dossier.procedure_id, lc.REFUSED)
    assert (outcome.decided_at, outcome.on_time, outcome.working_days) == (decided, True, 3)


def test_a_decision_after_the_due_date_counts_as_late(in_app):
    from unittest import mock

    from webapp.dossiers.models import DossierOutcome

    dossier = make_dossier(submitted_at=dt.datetime(2026, 3, 2, 2, 0))
    officer = make_officer()
    late = dt.datetime.combine(dossier.due_date + dt.timedelta(days=1), dt.time(2, 0))
    with mock.patch("webapp.core.clock.utcnow", return_value=late):
        steps.perform(dossier, Move("receive", 1, staff=officer))
        steps.perform(dossier, Move("approve", 2, staff=officer, after=result_for("approve")))
    outcome = DossierOutcome.get(DossierOutcome.dossier == dossier)
    assert (outcome.decision, outcome.on_time) == (lc.APPROVED, False)
    assert outcome.due_date == dossier.due_date


def test_the_working_days_of_a_decision_leave_out_the_wait_for_the_citizen(in_app):
    # Sent and received Mon 2 Mar, papers asked Tue 3, sent back Fri 6, approved Tue 10 March:
    # six working days went by, of which the office waited Wed 4 to Fri 6 for the citizen,
    # so it took three (Tue 3, Mon 9, Tue 10).
    from unittest import mock

    from webapp.dossiers.models import DossierOutcome

    dossier = make_dossier(submitted_at=dt.datetime(2026, 3, 2, 2, 0))
    officer = make_officer()
    moves = [(dt.datetime(2026, 3, 2, 3, 0), Move("receive", 1, staff=officer)),
             (dt.datetime(2026, 3, 3, 3, 0), Move("request_papers", 2, staff=officer,
                                                  public_message="Giấy khai sinh.")),
             (dt.datetime(2026, 3, 6, 3, 0), Move("add_papers", 3, citizen=dossier.citizen)),
             (dt.datetime(2026, 3, 10, 3, 0), Move("approve", 4, staff=officer,
                                                   after=result_for("approve")))]
    for moment, move in moves:
        with mock.patch("webapp.core.clock.utcnow", return_value=moment):
            steps.perform(dossier, move)
    outcome = DossierOutcome.get(DossierOutcome.dossier == dossier)
    assert (outcome.decision, outcome.working_days) == (lc.APPROVED, 3)


def test_a_decision_on_the_due_date_itself_is_on_time(in_app):
    from unittest import mock

    from webapp.dossiers.models import DossierOutcome

    dossier = make_dossier(submitted_at=dt.datetime(2026, 3, 2, 2, 0))
    officer = make_officer()
    on_the_day = dt.datetime.combine(dossier.due_date, dt.time(2, 0))  # 09:00 local
    with mock.patch("webapp.core.clock.utcnow", return_value=on_the_day):
        steps.perform(dossier, Move("receive", 1, staff=officer))
        steps.perform(dossier, Move("refuse", 2, staff=officer, public_message="Sai mẫu."))
    outcome = DossierOutcome.get(DossierOutcome.dossier == dossier)
    assert (outcome.due_date, outcome.on_time) == (dossier.due_date, True)


def test_what_a_step_records_with_it_belongs_to_that_step(in_app):
    # The papers ticked when asking for more are written by the step's after-hook against the
    # event it just wrote: the citizen's page lists them under that request.
    from webapp.dossiers.requested_papers import named_by, recorder

    dossier = make_dossier()
    officer = make_officer()
    steps.perform(dossier, Move("receive", 1, staff=officer))
    event = steps.perform(dossier, Move("request_papers", 2, staff=officer,
                                        public_message="Giấy khai sinh.",
                                        after=recorder(["giay_khai_sinh"])))
    assert event.id == events(dossier)[-1].id
    assert named_by(event) == ["giay_khai_sinh"]
