"""Walking a citizen through the wizard from a test client, as a browser without JS would."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

from flask.testing import FlaskClient

from tests.accounts.helpers import sign_in_citizen
from tests.uploads.builders import encode, noise
from webapp.accounts.auth import SESSION_KEY, create_session_row
from webapp.core.db import database

# A citizen ID number consistent with a birth in 1953 in Tây Ninh (072, 0 = man born 19xx).
BIRTH_1953 = {"day": "24", "month": "11", "year": "1953"}
CITIZEN_ID_1953 = "072053001234"
SOCIAL_ALLOWANCE = "tro-cap-xa-hoi-hang-thang"
DEATH_REGISTRATION = "dang-ky-khai-tu"


def csrf(client: FlaskClient) -> str:
    """The visitor's CSRF token (made on first use, as a page view would)."""
    with client.session_transaction() as session:
        session.setdefault("csrf_token", "test-csrf-token")
        return session["csrf_token"]


def post(client: FlaskClient, path: str, data: dict | None = None, **kwargs):
    return client.post(path, data={"csrf_token": csrf(client), **(data or {})}, **kwargs)


def path_of(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_in_again(client: FlaskClient, citizen) -> None:
    """Sign the same citizen in on another client: another phone, the same person."""
    with client.application.app_context(), database.connection_context():
        token, _ = create_session_row(citizen=citizen)
    with client.session_transaction() as session:
        session[SESSION_KEY] = token


def jpeg(size=(900, 700), seed: int = 7) -> bytes:
    return encode(noise(size, seed), "JPEG", quality=85)


def start(client: FlaskClient, slug: str = SOCIAL_ALLOWANCE) -> str:
    """Start a draft; return the path of its first page."""
    response = post(client, f"/nop-ho-so/{slug}")
    assert response.status_code == 303, response.status_code
    response = client.get(path_of(response.location))
    assert response.status_code == 303
    return path_of(response.location)


def answer(client: FlaskClient, path: str, **fields) -> str:
    """Answer the question at `path`; return where the wizard goes next."""
    data = {}
    for name, value in fields.items():
        if isinstance(value, dict):
            data.update({f"{name}-{part}": v for part, v in value.items()})
        else:
            data[name] = value
    response = post(client, path, data)
    assert response.status_code == 303, _first_error(response)
    return path_of(response.location)


def upload(client: FlaskClient, path: str, *files: bytes, side: str | None = None):
    """Send photos to a paper's page; `side` ("front", "back") for a paper with sides."""
    data = {"photos": [(io.BytesIO(f), f"photo{i}.jpg") for i, f in enumerate(files)]}
    return post(client, f"{path}/anh", {**data, **({"side": side} if side else {})},
                content_type="multipart/form-data")


def photograph_id_card(client: FlaskClient, path: str) -> None:
    """Both sides of the citizen ID card, one photo each."""
    for seed, side in enumerate(("front", "back"), start=11):
        assert upload(client, path, jpeg(seed=seed), side=side).status_code == 303


def _first_error(response) -> str:
    found = re.search(r'class="error-message"[^>]*>.*?</span>(.*?)</span>',
                      response.get_data(as_text=True), re.S)
    return found.group(1) if found else str(response.status_code)


def error_message(response) -> str:
    return _first_error(response)


def commune_code(client: FlaskClient) -> str:
    from webapp.places.models import Commune

    with client.application.app_context(), database.connection_context():
        return Commune.in_order().first().code


SOCIAL_ALLOWANCE_ANSWERS = [
    {"date_of_birth": BIRTH_1953},
    {"citizen_id": CITIZEN_ID_1953},
    {"situation": "older_poor"},
    {"has_supporter": "no"},
    {"payment": "cash"},
    # Where she lives, one page: the commune (filled with a real code) and the street.
    {"commune": None, "address": "Ấp Thạnh Đông, số nhà 12"},
]


def fill_social_allowance(client: FlaskClient, first: str) -> str:
    """Answer every question and photograph the ID card; return the check-answers path."""
    path = first
    code = commune_code(client)
    for fields in SOCIAL_ALLOWANCE_ANSWERS:
        fields = {k: (v if v is not None else code) for k, v in fields.items()}
        assert f"/cau-hoi/{next(iter(fields)).replace('_', '-')}" in path, path
        path = answer(client, path, **fields)
    assert "/giay-to/citizen-id-card" in path, path
    photograph_id_card(client, path)
    path = path_of(post(client, path).location)  # "other papers, if any": on the check page
    assert path.endswith("/kiem-tra"), path
    return path


def submission_key(client: FlaskClient, check_path: str) -> str:
    html = client.get(check_path).get_data(as_text=True)  # the declaration is at its foot
    return re.search(r'name="submission_key" value="([^"]+)"', html).group(1)


def send(client: FlaskClient, check_path: str, key: str):
    return post(client, check_path.replace("/kiem-tra", "/gui"),
                {"submission_key": key, "declaration": "yes", "consent": "yes"})


def signed_in_with_draft(client: FlaskClient, **fields):
    """A citizen (with a phone in the profile) who has filled in a whole draft."""
    citizen = sign_in_citizen(client, full_name="Nguyễn Thị Tư", **fields)
    check = fill_social_allowance(client, start(client))
    return citizen, check
