"""A volunteer walking through "Làm hồ sơ giúp người dân" from a test client (no JS)."""

from __future__ import annotations

import io

from tests.dossiers.helpers import (
    BIRTH_1953,
    CITIZEN_ID_1953,
    SOCIAL_ALLOWANCE,
    answer,
    commune_code,
    jpeg,
    path_of,
    photograph_id_card,
    post,
)
from tests.mandates.helpers import last_consent_code
from webapp.core.db import database

ANSWERS = {"full-name": {"full_name": "Lê Thị Tư"}, "date-of-birth": {"date_of_birth": BIRTH_1953},
           "citizen-id": {"citizen_id": CITIZEN_ID_1953}, "situation": {"situation": "older_poor"},
           "has-supporter": {"has_supporter": "no"}, "payment": {"payment": "cash"},
           "address": {"address": "Ấp Thạnh Đông, số nhà 12"}}


def ask(client, phone: str, name: str = "Lê Thị Tư", evidence: str = "code",
        scope: str = "dossier", slug: str = SOCIAL_ALLOWANCE):
    return post(client, "/tinh-nguyen/giup-nguoi-dan", {
        "person_name": name, "phone": phone, "commune": commune_code(client),
        "procedure": slug, "scope": scope, "evidence": evidence})


def consent_by_code(client, phone: str, **fields) -> str:
    """Ask, read the code from her phone's message, type it; return the wizard's first page."""
    response = ask(client, phone, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    code_page = path_of(response.location)
    assert code_page.endswith("/ma"), code_page
    with client.application.app_context(), database.connection_context():
        code = last_consent_code(phone)
    response = post(client, code_page, {"code": code})
    assert response.status_code == 303, response.status_code
    return _first_step(client, path_of(response.location))


def consent_by_paper(client, phone: str, **fields) -> str:
    response = ask(client, phone, evidence="paper", **fields)
    assert response.status_code == 303
    paper_page = path_of(response.location)
    assert paper_page.endswith("/giay"), paper_page
    response = post(client, paper_page, {"photo": (io.BytesIO(jpeg()), "giay.jpg")},
                    content_type="multipart/form-data")
    assert response.status_code == 303, response.status_code
    return _first_step(client, path_of(response.location))


def _first_step(client, resume: str) -> str:
    assert resume.startswith("/ho-so-nhap/"), resume
    response = client.get(resume)
    assert response.status_code == 303
    return path_of(response.location)


def fill(client, path: str) -> str:
    """Answer whatever the wizard asks (what her profile lacks); return the check page."""
    code = commune_code(client)
    for _step in range(20):
        if path.endswith("/kiem-tra"):
            return path
        if "/cau-hoi/" in path:
            slug = path.split("/cau-hoi/")[1].split("?")[0]
            fields = ANSWERS.get(slug, {"commune": code, **ANSWERS["address"]}
                                 if slug == "commune" else None)
            assert fields, f"no answer for {slug}"
            path = answer(client, path, **fields)
        elif "/giay-to/citizen-id-card" in path:
            photograph_id_card(client, path)  # both sides: the form asks for each
            path = path_of(post(client, path).location)
        else:
            path = path_of(post(client, path).location)
    raise AssertionError(f"the wizard did not end: {path}")
