"""Sending a dossier: exactly one dossier whatever happens, a due date, a message, the photos."""

from __future__ import annotations

import re
import threading

from tests.accounts.helpers import sign_in_citizen
from tests.dossiers.helpers import (
    answer,
    csrf,
    jpeg,
    path_of,
    post,
    send,
    sign_in_again,
    signed_in_with_draft,
    start,
    submission_key,
    upload,
)
from webapp.core.db import database
from webapp.core.workdays import HolidayCalendar
from webapp.dossiers import lifecycle, services
from webapp.dossiers.models import Attachment, Dossier, DossierDraft, DossierEvent
from webapp.notifications.models import OutboxMessage
from webapp.uploads import storage

CODE = re.compile(r"^/ho-so/TN-[2-9A-Y]{3}-[2-9A-Y]{4}$")


def in_db(app, function):
    with app.app_context(), database.connection_context():
        return function()


def test_sending_creates_the_dossier_with_its_due_date_event_and_message(client, app):
    citizen, check = signed_in_with_draft(client)
    response = send(client, check, submission_key(client, check))
    assert response.status_code == 303 and CODE.match(path_of(response.location))
    code = path_of(response.location).rsplit("/", 1)[1]

    def facts():
        dossier = Dossier.get(Dossier.code == code)
        message = OutboxMessage.get(OutboxMessage.reference == f"dossier-{dossier.id}-submitted")
        return (dossier, list(dossier.events), message, dossier.commune.name,
                dossier.procedure.processing_working_days)

    dossier, events, message, commune, working_days = in_db(app, facts)
    assert dossier.citizen_id == citizen.id and dossier.status == lifecycle.SUBMITTED
    assert dossier.answers["citizen_id"] == "072053001234"
    assert dossier.answers["applicant_name"] == "Nguyễn Thị Tư"  # from the profile
    assert dossier.contact_phone == citizen.phone and dossier.version == 1
    local_day = services.local_date(dossier.submitted_at)
    assert dossier.due_date == HolidayCalendar.default().due_date(local_day, working_days)
    assert [(e.kind, e.to_status) for e in events] == [("submitted", lifecycle.SUBMITTED)]
    assert message.phone == citizen.phone and code in message.text and commune in message.text
    assert dossier.due_date.strftime("%d/%m/%Y") in message.text


def test_a_double_tap_lands_twice_on_the_same_receipt(client, app):
    _citizen, check = signed_in_with_draft(client)
    key = submission_key(client, check)
    first, second = send(client, check, key), send(client, check, key)
    assert first.status_code == second.status_code == 303
    assert first.location == second.location
    count = in_db(app, lambda: Dossier.select().where(Dossier.submission_key == key).count())
    assert count == 1
    # An old tab still showing a step of the sent draft is taken to the receipt too.
    assert client.get(check).location == first.location


def test_concurrent_submits_from_several_tabs_make_exactly_one_dossier(client, app):
    citizen, check = signed_in_with_draft(client)
    key = submission_key(client, check)
    tabs = []
    for _ in range(8):
        tab = app.test_client()
        sign_in_again(tab, citizen)
        csrf(tab)
        tabs.append(tab)
    barrier, responses = threading.Barrier(len(tabs)), []

    def fire(tab):
        barrier.wait()
        responses.append(send(tab, check, key))

    threads = [threading.Thread(target=fire, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [r.status_code for r in responses] == [303] * len(tabs)
    assert len({r.location for r in responses}) == 1, [r.location for r in responses]

    def counts():
        dossier = Dossier.get(Dossier.submission_key == key)
        return (Dossier.select().where(Dossier.submission_key == key).count(),
                DossierEvent.select().where(DossierEvent.dossier == dossier).count(),
                OutboxMessage.select().where(
                    OutboxMessage.reference == f"dossier-{dossier.id}-submitted").count())

    assert in_db(app, counts) == (1, 1, 1)


def test_the_declaration_and_consent_must_be_ticked(client, app):
    _citizen, check = signed_in_with_draft(client)
    key = submission_key(client, check)
    response = post(client, check.replace("/kiem-tra", "/gui"), {"submission_key": key})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Lỗi: " in html
    assert "đánh dấu vào ô để cam đoan" in html and "đánh dấu vào ô để đồng ý" in html
    assert in_db(app, lambda: Dossier.select().where(Dossier.submission_key == key).count()) == 0


def test_an_unfinished_draft_cannot_be_sent(client, app):
    sign_in_citizen(client)
    first = start(client)
    token = first.split("/")[2]
    key = in_db(app, lambda: DossierDraft.get(DossierDraft.token == token).submission_key)
    response = send(client, f"/ho-so-nhap/{token}/kiem-tra", key)
    assert path_of(response.location) == f"/ho-so-nhap/{token}/kiem-tra"
    assert in_db(app, lambda: Dossier.select().where(Dossier.submission_key == key).count()) == 0


def test_photos_go_with_the_dossier_and_those_of_hidden_papers_are_deleted(client, app):
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    path = answer(client, start(client), date_of_birth={"day": "1", "month": "1", "year": "1953"})
    path = answer(client, path, citizen_id="072053001234")
    token = path.split("/")[2]
    assert answer(client, path, situation="disability").endswith("/disability-level")
    disability_paper = f"/ho-so-nhap/{token}/giay-to/disability-certificate"
    assert upload(client, disability_paper, jpeg(seed=1)).status_code == 303
    answer(client, path, situation="older_poor")  # changed their mind: that paper is hidden
    id_card = f"/ho-so-nhap/{token}/giay-to/citizen-id-card"
    assert upload(client, id_card, jpeg(seed=2), side="front").status_code == 303
    assert upload(client, id_card, jpeg(seed=3), side="back").status_code == 303
    for name, value in (("has_supporter", "no"), ("payment", "cash"), ("address", "Ấp 3, xã A")):
        answer(client, f"/ho-so-nhap/{token}/cau-hoi/{name.replace('_', '-')}", **{name: value})
    from tests.dossiers.helpers import commune_code

    answer(client, f"/ho-so-nhap/{token}/cau-hoi/commune", commune=commune_code(client))
    check = f"/ho-so-nhap/{token}/kiem-tra"
    hidden_names = in_db(app, lambda: [a.storage_name for a in Attachment.select().where(
        Attachment.paper_key == "disability_certificate", Attachment.draft.is_null(False))
        .join(DossierDraft).where(DossierDraft.token == token)])
    response = send(client, check, submission_key(client, check))
    code = path_of(response.location).rsplit("/", 1)[1]

    def attachments():
        dossier = Dossier.get(Dossier.code == code)
        return [(a.paper_key, a.draft_id) for a in Attachment.of_dossier(dossier)]

    assert in_db(app, attachments) == [("citizen_id_card", None)] * 2
    with app.app_context():
        assert not any(storage.exists(name) for name in hidden_names)
