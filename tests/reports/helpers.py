"""Walking a citizen through the report's pages from a test client, as a browser without JS."""

from __future__ import annotations

from tests.dossiers.helpers import path_of, post
from webapp.core.db import database
from webapp.reports.models import Report


def begin(client) -> str:
    """Start a report; return the draft's token."""
    response = post(client, "/phan-anh")
    assert response.status_code == 303, response.status_code
    return path_of(response.location).split("/")[3]


def answer(client, token: str, slug: str, **fields) -> str:
    response = post(client, f"/phan-anh/nhap/{token}/{slug}", fields)
    assert response.status_code == 303, (slug, response.status_code,
                                         response.get_data(as_text=True)[:3000])
    return path_of(response.location)


def fill(client, token: str, *, category="lighting", commune=None, landmark="Trước chợ",
         description="Đèn đường tắt đã một tuần", public="yes", anonymous="no") -> None:
    answer(client, token, "loai", category=category)
    answer(client, token, "xa", commune=commune)
    answer(client, token, "dia-diem", landmark=landmark)
    answer(client, token, "mo-ta", description=description)
    answer(client, token, "cong-khai", public=public)
    if public == "yes":
        answer(client, token, "an-danh", anonymous=anonymous)


def send(client, token: str):
    return post(client, f"/phan-anh/nhap/{token}/gui")


def report_sent(client, commune, **answers) -> Report:
    """Begin, answer every page and send; the report written."""
    token = begin(client)
    fill(client, token, commune=commune.code, **answers)
    response = send(client, token)
    assert response.status_code == 303, response.status_code
    code = path_of(response.location).rsplit("/", 1)[1]
    with database.connection_context():
        return Report.get(Report.code == code)
