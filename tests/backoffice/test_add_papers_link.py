"""The link of the "more papers needed" message (issue 11, item 13): it opens that dossier's
add-papers page in a fresh browser without the phone number, for that dossier and that request
only, until it expires; the page offers exactly the papers asked for, none chosen in advance."""

from __future__ import annotations

import io
import re

from tests.accounts.helpers import sign_in_citizen
from tests.backoffice.conftest import first_commune, make_dossier, procedure_by_code
from tests.backoffice.test_follow_up import csrf, fresh, jpeg, officer_acting, waiting_dossier
from webapp.dossiers import lifecycle as lc
from webapp.dossiers import paper_links, steps
from webapp.notifications.models import OutboxMessage
from webapp.tracking.lifecycle import Move


def link_sent(dossier) -> str:
    message = (OutboxMessage.select().where(OutboxMessage.template == "dossier_papers_requested")
               .order_by(OutboxMessage.id.desc()).first())
    assert message.reference.startswith(f"dossier-{dossier.id}-")
    return re.search(r"https?://\S+/bo-sung/[\w.-]*\w", message.text).group(0)


def path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_the_messages_link_opens_the_add_papers_page_in_a_fresh_browser(app, in_app):
    owner_client = app.test_client()
    dossier = waiting_dossier(app, sign_in_citizen(owner_client))
    fresh_browser = app.test_client()  # Zalo's webview, nobody signed in, nothing looked up
    response = fresh_browser.get(path(link_sent(dossier)))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/tra-cuu-ho-so/{dossier.code}/bo-sung")
    page = fresh_browser.get(f"/tra-cuu-ho-so/{dossier.code}/bo-sung")
    assert page.status_code == 200 and "Ảnh giấy khai sinh bị mờ" in page.get_data(as_text=True)
    sent = fresh_browser.post(f"/tra-cuu-ho-so/{dossier.code}/bo-sung", data={
        "csrf_token": csrf(fresh_browser), "version": "3", "message": "Tôi gửi lại."})
    assert sent.status_code == 303 and fresh(dossier).status == lc.PAPERS_ADDED
    # Answered: the same link no longer opens anything.
    assert app.test_client().get(path(link_sent(dossier))).status_code == 410


def test_the_link_is_for_one_dossier_and_one_request_and_expires(app, in_app, monkeypatch):
    citizen = sign_in_citizen(app.test_client())
    dossier = waiting_dossier(app, citizen)
    other = waiting_dossier(app, citizen)
    link = path(link_sent(other))
    token = link.rsplit("/", 1)[1]
    dossier_id, request_id = paper_links.read_token(token)
    assert dossier_id == other.id
    forged = paper_links.make_token(dossier.id, request_id)  # another dossier, same request
    assert app.test_client().get(f"/bo-sung/{forged}").status_code == 410
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert app.test_client().get(f"/bo-sung/{tampered}").status_code == 410
    opened = app.test_client()
    assert opened.get(link).status_code == 303
    assert opened.get(f"/tra-cuu-ho-so/{dossier.code}/bo-sung").status_code == 303  # not that one
    monkeypatch.setitem(app.config, "ADD_PAPERS_LINK_DAYS", -1)  # signed over a day ago
    assert app.test_client().get(link).status_code == 410


def test_a_newer_request_replaces_the_older_link(app, in_app):
    citizen = sign_in_citizen(app.test_client())
    dossier = waiting_dossier(app, citizen)
    first = path(link_sent(dossier))
    officer = officer_acting(app, phone="0987000111")
    steps.perform(dossier, Move("add_papers", fresh(dossier).version, citizen=citizen))
    steps.perform(dossier, Move("request_papers", fresh(dossier).version, staff=officer,
                                public_message="Thêm ảnh mặt sau thẻ căn cước."))
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().get(path(link_sent(dossier))).status_code == 303


def test_the_page_offers_exactly_the_papers_asked_for_none_chosen_in_advance(client, app,
                                                                             in_app):
    owner = sign_in_citizen(client)
    dossier = make_dossier(commune=first_commune(), citizen=owner,
                           procedure=procedure_by_code("1.001776"))  # the social allowance
    officer = officer_acting(app)
    steps.perform(dossier, Move("receive", 1, staff=officer))
    steps.perform(dossier, Move("request_papers", 2, staff=officer,
                                public_message="Ảnh mặt sau thẻ căn cước bị mờ, xin chụp lại."))
    html = client.get(f"/tra-cuu-ho-so/{dossier.code}/bo-sung").get_data(as_text=True)
    assert 'type="radio"' not in html and "Giấy tờ khác" not in html
    assert 'name="paper" value="citizen_id_card"' in html and "thẻ căn cước" in html
    sent = client.post(f"/tra-cuu-ho-so/{dossier.code}/bo-sung", data={
        "csrf_token": csrf(client), "version": "3", "paper": "citizen_id_card",
        "photos": [(io.BytesIO(jpeg()), "a.jpg")]}, content_type="multipart/form-data")
    assert sent.status_code == 303 and fresh(dossier).status == lc.PAPERS_ADDED


def test_when_the_request_names_no_paper_she_chooses_and_nothing_is_preselected(client, app,
                                                                                in_app):
    dossier = make_dossier(commune=first_commune(), citizen=sign_in_citizen(client),
                           procedure=procedure_by_code("1.001776"))
    officer = officer_acting(app)
    steps.perform(dossier, Move("receive", 1, staff=officer))
    steps.perform(dossier, Move("request_papers", 2, staff=officer,  # names none of its papers
                                public_message="Ảnh giấy khai sinh bị mờ, Ông/Bà chụp lại."))
    html = client.get(f"/tra-cuu-ho-so/{dossier.code}/bo-sung").get_data(as_text=True)
    assert 'type="radio"' in html and " checked" not in html  # nothing chosen for her
    refused = client.post(f"/tra-cuu-ho-so/{dossier.code}/bo-sung", data={
        "csrf_token": csrf(client), "version": "3",
        "photos": [(io.BytesIO(jpeg()), "a.jpg")]}, content_type="multipart/form-data")
    assert refused.status_code == 200
    assert "Vui lòng chọn ảnh này là giấy tờ nào." in refused.get_data(as_text=True)
    assert fresh(dossier).status == lc.MORE_PAPERS_REQUESTED
