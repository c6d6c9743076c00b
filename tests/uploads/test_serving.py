"""Stored files are sent with headers that keep them private and inert, and a PDF never comes
back as a thumbnail: the one response builder (uploads/serving.py) used by both file views."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import sign_in_citizen
from tests.backoffice.conftest import make_dossier, make_photo
from webapp.dossiers.models import Attachment
from webapp.uploads import storage

from .builders import build_pdf_with_object_stream
from .test_pdfs import JAVASCRIPT, PAYLOAD, with_catalog

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def hostile_pdf() -> bytes:
    return build_pdf_with_object_stream(with_catalog(b"/OpenAction 9 0 R"), {9: JAVASCRIPT},
                                        padding=17_000)


def make_pdf(dossier):
    return Attachment.from_upload(storage.store_upload(hostile_pdf()), dossier=dossier,
                                  citizen=dossier.citizen, paper_key="to_khai", purpose="paper")


def officer_file(client, url, dossier, attachment, **args):
    return client.get(url("backoffice.attachment_file", code=dossier.code,
                          attachment_id=attachment.id, **args))


def assert_private_and_inert(response) -> None:
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].split(";")[0] == "sandbox"


def test_an_officer_gets_a_pdf_as_a_sandboxed_download_without_its_script(client, url, officer,
                                                                          commune):
    dossier = make_dossier(commune=commune)
    pdf = make_pdf(dossier)

    response = officer_file(client, url, dossier, pdf)

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert_private_and_inert(response)
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"%PDF-") and PAYLOAD not in response.data
    assert b"/OpenAction" not in response.data


def test_the_thumbnail_of_a_pdf_is_not_found_never_the_pdf_labelled_as_a_picture(
        client, url, officer, commune):
    dossier = make_dossier(commune=commune)
    pdf = make_pdf(dossier)

    response = officer_file(client, url, dossier, pdf, co="nho")

    assert response.status_code == 404
    assert not response.data.startswith(b"%PDF")


def test_a_citizen_gets_her_own_pdf_the_same_way_and_no_thumbnail(app, in_app):
    owner = app.test_client()
    citizen = sign_in_citizen(owner)
    pdf = make_pdf(make_dossier(commune=None, citizen=citizen))

    whole, small = owner.get(f"/ho-so/tep/{pdf.id}"), owner.get(f"/ho-so/tep/{pdf.id}/nho")

    assert whole.status_code == 200 and whole.mimetype == "application/pdf"
    assert_private_and_inert(whole)
    assert whole.headers["Content-Disposition"].startswith("attachment;")
    assert small.status_code == 404


def test_photos_are_shown_inline_with_the_same_protections(client, url, officer, commune):
    dossier = make_dossier(commune=commune)
    photo = make_photo(dossier, size=(800, 600))

    for args in ({}, {"co": "nho"}, {"xoay": "90"}):
        response = officer_file(client, url, dossier, photo, **args)
        assert response.status_code == 200 and response.mimetype == "image/jpeg", args
        assert response.data.startswith(b"\xff\xd8\xff")
        assert response.headers["Content-Disposition"].startswith("inline;")
        assert_private_and_inert(response)
    turned = officer_file(client, url, dossier, photo, xoay="90")
    small = officer_file(client, url, dossier, photo, co="nho")
    assert turned.data != small.data
