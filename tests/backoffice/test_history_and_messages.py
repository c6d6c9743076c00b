"""The officer's history says who did each step, the citizen's words are labelled as hers, and
no message a citizen receives has doubled punctuation, whatever the officer typed."""

from __future__ import annotations

import re

import pytest

from tests.backoffice.conftest import make_dossier
from tests.backoffice.test_steps import post
from tests.notifications.test_sms_templates import SAMPLES
from webapp.dossiers import lifecycle as lc
from webapp.notifications import templates
from webapp.notifications.transports import to_ascii

# Doubled or misplaced punctuation: "sáng..", "sáng .", "sáng,.", "sáng!.", two spaces.
# ("..." alone is the ASCII form of an ellipsis, so only four dots count there.)
DOUBLED = re.compile(r"(?<!\.)\.\.(?!\.)|\.{4}|\s[.,;:!?]|[,;:!?]\.|…\.|  ")

# What officers really type: a full stop, none, an exclamation, a question, three dots, two
# stops, stray spaces, and words long enough to be cut for a text message.
OFFICER_WORDS = (
    "Ảnh giấy tờ bị mờ, Ông/Bà vui lòng chụp lại ở chỗ sáng.",
    "Ảnh giấy tờ bị mờ, Ông/Bà vui lòng chụp lại ở chỗ sáng",
    "Thiếu giấy khai sinh!",
    "Ông/Bà có sổ hộ khẩu không?",
    "Chụp lại ở chỗ sáng..",
    "Chụp lại ở chỗ sáng...  ",
    "  Thiếu   bản sao căn cước ;",
    "Bản sao giấy khai sinh có chứng thực, " * 6 + "và giấy xác nhận cư trú.",
)


def doubled(text: str) -> list[str]:
    return [text[max(0, m.start() - 12): m.end() + 12] for m in DOUBLED.finditer(text)]


def _rendered(message) -> str:
    return templates.get(message.template).render(message.data)


def test_the_pattern_finds_what_it_should():
    assert doubled("ở chỗ sáng.. Ông/Bà") and doubled("sáng . Ông") and doubled("sáng,. Ông")
    assert doubled("sáng!. Ông") and doubled("Giay to.... Ong") and doubled("hai  khoảng")
    assert not doubled("Giay to... Ong/Ba") and not doubled("https://a.vn/ho-so. Cần hỏi")


def test_every_template_with_every_variable_filled_reads_cleanly(in_app):
    from webapp.tracking.messages import quoted

    problems = {}
    with in_app.test_request_context():
        for spec in templates.registered():
            names = re.findall(r"%\((\w+)\)[sd]", str(spec.text))
            for words in OFFICER_WORDS:
                data = {name: SAMPLES.get(name, "Tây Ninh") for name in names}
                data.update(missing=quoted(words), reason=quoted(words))
                text = spec.render(data)
                found = doubled(text) + doubled(to_ascii(text))
                if found:
                    problems[(spec.key, words)] = found
    assert problems == {}


@pytest.mark.parametrize("words", OFFICER_WORDS)
def test_the_messages_officers_compose_read_cleanly(client, url, officer, commune, words):
    """Every step's message as the outbox holds it, after a real officer's words."""
    from webapp.notifications.models import OutboxMessage

    before = OutboxMessage.select().count()
    asked = make_dossier(commune=commune)
    post(client, url("backoffice.receive", code=asked.code), version="1")
    post(client, url("backoffice.request_papers", code=asked.code), version="2", missing=words,
         papers="bo_sung")
    refused = make_dossier(commune=commune)
    post(client, url("backoffice.receive", code=refused.code), version="1")
    post(client, url("backoffice.refuse", code=refused.code), version="2", reason=words)
    approved = make_dossier(commune=commune)
    post(client, url("backoffice.receive", code=approved.code), version="1")
    post(client, url("backoffice.approve", code=approved.code), version="2",
         result_text=words, delivery="pickup")

    messages = list(OutboxMessage.select().order_by(OutboxMessage.id).offset(before))
    kinds = {m.template for m in messages}
    assert {"dossier_received", "dossier_papers_requested", "dossier_refused",
            "dossier_result_pickup"} <= kinds
    problems = {m.template: doubled(_rendered(m)) for m in messages if doubled(_rendered(m))}
    assert problems == {}


def _history_lines(html: str) -> list[str]:
    section = html[html.index('id="history"'):html.index('id="note-heading"')]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip()
            for item in section.split("<li>")[1:]]


def test_the_history_names_the_officer_the_citizen_and_the_system(client, client_page, url,
                                                                  officer, commune):
    from webapp.core.clock import utcnow
    from webapp.dossiers.models import DossierEvent

    dossier = make_dossier(commune=commune)  # sent by the citizen, Nguyễn Thị Tư
    post(client, url("backoffice.receive", code=dossier.code), version="1")
    post(client, url("backoffice.request_papers", code=dossier.code), version="2",
         missing="Ảnh giấy khai sinh bị mờ, Ông/Bà chụp lại giúp.", papers="bo_sung")
    from webapp.dossiers import steps
    from webapp.dossiers.models import Dossier
    from webapp.tracking.lifecycle import Move

    fresh = Dossier.get_by_id(dossier.id)
    steps.perform(fresh, Move("add_papers", fresh.version, citizen=fresh.citizen,
                              public_message="Tôi đã chụp lại ở chỗ sáng."))
    DossierEvent.create(dossier=dossier, created_at=utcnow(), kind="reminder",
                        public_message="")  # nobody's: a reminder the system wrote

    lines = _history_lines(client_page("backoffice.dossier_detail", code=dossier.code).html)

    assert len(lines) == 5
    reminder, added, asked, received, sent = lines
    assert "hệ thống" in reminder
    assert officer.full_name in asked and officer.full_name in received
    assert "Nguyễn Thị Tư" in added and "Nguyễn Thị Tư" in sent
    assert "hệ thống" not in " ".join(lines[1:])
    # Her words are hers; the officer's words are what the citizen was told.
    assert "Lời của công dân: Tôi đã chụp lại ở chỗ sáng." in added
    assert "Đã báo công dân: Ảnh giấy khai sinh bị mờ" in asked


def test_the_history_is_one_query(client, url, officer, commune, in_app):
    from playhouse.test_utils import count_queries

    from webapp.backoffice import history

    dossier = make_dossier(commune=commune)
    post(client, url("backoffice.receive", code=dossier.code), version="1")
    with count_queries() as counted:
        events = history.timeline(dossier.id)
        names = [(e.actor_staff.full_name if e.actor_staff_id else None,
                  e.actor_citizen.full_name if e.actor_citizen_id else None) for e in events]
    assert counted.count == 1
    assert names == [(officer.full_name, None), (None, "Nguyễn Thị Tư")]


WHY = "Chỉ sau khi tiếp nhận mới yêu cầu bổ sung"


def test_asking_for_papers_before_receiving_says_why_it_is_not_there_yet(client_page, officer,
                                                                          commune):
    dossier = make_dossier(commune=commune)
    page = client_page("backoffice.dossier_detail", code=dossier.code)
    next_steps = page.html.split('id="next-steps-heading"')[1].split("</section>")[0]
    assert "Yêu cầu bổ sung giấy tờ" not in next_steps
    assert WHY in page.html
    dossier_received = make_dossier(lc.RECEIVED, commune=commune)
    page = client_page("backoffice.dossier_detail", code=dossier_received.code)
    assert WHY not in page.html
    page = client_page("backoffice.request_papers", code=dossier.code)
    assert WHY in page.html
