"""Photos of papers on a draft, what the citizen told us before, and drafts that expire."""

from __future__ import annotations

import datetime as dt
import io
import re

from PIL import ExifTags, Image

from tests.accounts.helpers import sign_in_citizen
from tests.dossiers.helpers import (
    BIRTH_1953,
    CITIZEN_ID_1953,
    answer,
    error_message,
    jpeg,
    path_of,
    post,
    send,
    signed_in_with_draft,
    start,
    submission_key,
    upload,
)
from tests.uploads.builders import encode, phone_exif, top_red_bottom_blue
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.dossiers import services
from webapp.dossiers.models import Attachment, DossierDraft
from webapp.uploads import storage

ID_CARD = "giay-to/citizen-id-card"


def paper_page(client) -> str:
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    token = start(client).split("/")[2]
    return f"/ho-so-nhap/{token}/{ID_CARD}"


def test_a_file_that_is_not_a_photo_is_refused_with_a_way_forward(client):
    page = paper_page(client)
    response = upload(client, page, b"%!PS-Adobe-3.0 not an image at all", side="front")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Lỗi: " in html
    assert "Tệp này không phải là ảnh" in error_message(response)
    assert 'accept="image/*"' in html and 'capture="environment"' in html


def test_a_photo_is_stored_cleaned_without_its_gps_position(client, app):
    page = paper_page(client)
    photo = encode(top_red_bottom_blue((1200, 900)), "JPEG", exif=phone_exif().tobytes())
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # it had one
    assert upload(client, page, photo, side="front").status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "Mặt trước: <span" in html and "đã chụp" in html
    with app.app_context(), database.connection_context():
        attachment = Attachment.select().order_by(Attachment.id.desc()).first()
        stored = storage.read(attachment.storage_name)
    assert len(attachment.storage_name) == 36 and attachment.storage_name.endswith(".jpg")
    image = Image.open(io.BytesIO(stored))
    assert image.getexif() == {} and "exif" not in image.info
    assert (attachment.width, attachment.height) == image.size


def test_several_photos_per_paper_up_to_the_limit_and_remove_one(client, app):
    page = paper_page(client).replace(ID_CARD, "giay-to/other-papers")
    assert upload(client, page, *[jpeg(seed=i) for i in range(4)]).status_code == 303
    assert upload(client, page, jpeg(seed=5), jpeg(seed=6)).status_code == 303
    refused = upload(client, page, jpeg(seed=7))
    assert "tối đa 6 ảnh" in refused.get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert "Đã thêm 6 ảnh" in html
    remove = re.search(r'action="([^"]*/anh/\d+/xoa[^"]*)"', html).group(1)
    response = post(client, remove.replace("&amp;", "&"))
    assert path_of(response.location) == page
    assert "Đã thêm 5 ảnh" in client.get(page).get_data(as_text=True)


def test_a_required_paper_needs_a_photo_before_going_on(client):
    page = paper_page(client).replace(ID_CARD, "giay-to/other-papers")
    token = page.split("/")[2]
    answer(client, f"/ho-so-nhap/{token}/cau-hoi/date-of-birth", date_of_birth=BIRTH_1953)
    answer(client, f"/ho-so-nhap/{token}/cau-hoi/citizen-id", citizen_id=CITIZEN_ID_1953)
    answer(client, f"/ho-so-nhap/{token}/cau-hoi/situation", situation="disability")
    response = post(client, f"/ho-so-nhap/{token}/giay-to/disability-certificate")
    assert response.status_code == 200
    assert "thêm ít nhất một ảnh" in error_message(response)


def test_a_paper_with_sides_needs_the_photo_of_each_side(client, app):
    page = paper_page(client)
    html = client.get(page).get_data(as_text=True)
    assert html.count('class="camera-input"') == 2 and 'name="side" value="back"' in html
    response = post(client, page)
    assert response.status_code == 200
    assert "Còn thiếu: mặt trước, mặt sau" in error_message(response)
    assert upload(client, page, jpeg(seed=1)).status_code == 200  # which side is it?
    assert upload(client, page, jpeg(seed=1), side="front").status_code == 303
    assert "Còn thiếu: mặt sau." in error_message(post(client, page))
    assert upload(client, page, jpeg(seed=2), side="front").status_code == 303  # taken again
    assert upload(client, page, jpeg(seed=3), side="back").status_code == 303
    with app.app_context(), database.connection_context():
        sides = sorted(a.side for a in Attachment.select().join(DossierDraft).where(
            DossierDraft.token == page.split("/")[2]))
    assert sides == ["back", "front"]  # the first front photo was replaced
    assert post(client, page).status_code == 303


def test_what_was_answered_in_an_earlier_dossier_is_not_asked_again(client):
    _citizen, check = signed_in_with_draft(client)
    send(client, check, submission_key(client, check))
    first = start(client, "cap-lai-the-bao-hiem-y-te")
    # Name and phone from the profile; date of birth, citizen ID, commune and address from
    # the first dossier: the first question asked is the first new one.
    assert first.endswith("/cau-hoi/reason"), first
    check = path_of(client.get(first.replace("/cau-hoi/reason", "/kiem-tra")).request.path)
    text = client.get(check).get_data(as_text=True)
    assert CITIZEN_ID_1953 in text and "24/11/1953" in text


def test_expired_drafts_are_purged_with_their_photos(client, app):
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    first = start(client)
    answer(client, first, date_of_birth=BIRTH_1953)
    token = first.split("/")[2]
    assert upload(client, f"/ho-so-nhap/{token}/{ID_CARD}", jpeg(), side="back").status_code == 303
    with app.app_context(), database.connection_context():
        draft = DossierDraft.get(DossierDraft.token == token)
        names = [a.storage_name for a in Attachment.of_draft(draft)]
        later = utcnow() + dt.timedelta(days=app.config["DRAFT_RETENTION_DAYS"], minutes=1)
        assert services.purge_expired_drafts(later) >= 1
        assert DossierDraft.get_or_none(DossierDraft.token == token) is None
        assert not any(storage.exists(name) for name in names)
    assert client.get(first).status_code == 404


def test_daily_housekeeping_deletes_expired_drafts_codes_and_old_messages(client, app):
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    token = start(client).split("/")[2]
    with app.app_context(), database.connection_context():
        DossierDraft.update(expires_at=utcnow() - dt.timedelta(minutes=1)).where(
            DossierDraft.token == token).execute()
    result = app.test_cli_runner().invoke(args=["housekeeping"])
    assert result.exit_code == 0, result.output
    assert "expired draft" in result.output and "one-time code" in result.output
    assert "finished message" in result.output
    with app.app_context(), database.connection_context():
        assert DossierDraft.get_or_none(DossierDraft.token == token) is None


def test_the_purge_command_runs(app):
    result = app.test_cli_runner().invoke(args=["dossiers", "purge-drafts"])
    assert result.exit_code == 0 and "expired draft" in result.output
