"""UPLOAD_STORE=s3 against a real SeaweedFS (tests/object_store.py): photos sent through the
wizard go to the bucket and never to the disk, are streamed only to the people entitled to them,
go with their rows (the citizen removing one, the kiosk forgetting its visitor, a deletion of her
data, the retention chore), stray objects go by `flask housekeeping`, news audio plays from the
bucket, and /healthz says when the store is down."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest

from tests.accounts.helpers import sign_in_citizen, sign_in_staff
from tests.backoffice.conftest import first_commune, make_dossier, make_photo
from tests.dossiers.helpers import jpeg, post, start, upload
from tests.dossiers.test_photos_and_drafts import ID_CARD
from tests.kiosk.test_kiosk import make_kiosk
from tests.object_store import objects
from tests.privacy.test_my_data import _officer
from tests.test_object_access import ACTORS, TABLE, _outcome, world  # noqa: F401 - a fixture
from webapp.accounts.models import ADMIN
from webapp.core.clock import utcnow
from webapp.core.db import database
from webapp.dossiers import steps
from webapp.dossiers.models import Attachment, DossierDraft
from webapp.dossiers.personal_data import purge_decided_photos
from webapp.news.models import DONE, PROCEDURE_AUDIO, SpeechAudio
from webapp.privacy.models import DataRequest
from webapp.tracking.lifecycle import Move
from webapp.uploads import random_storage_name, storage

pytestmark = [pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
              pytest.mark.parametrize("upload_store", ["s3"], indirect=True)]

TWO_HOURS = 2 * 3600
FILE_ROUTES = [pattern for pattern in TABLE if "{paper}" in pattern and "tep" in pattern
               or "{report_photo}" in pattern]


@pytest.fixture
def bucket(app, seaweedfs):
    """The keys of the test's bucket, read straight from the store."""
    client = seaweedfs.client()
    return lambda: objects(client, app.config["S3_BUCKET"])


def key(name: str) -> str:
    return f"{name[:2]}/{name}"


def on_disk(app) -> set[str]:
    from pathlib import Path

    return {path.name for path in Path(app.config["UPLOAD_DIR"]).glob("*/*")}


def test_a_photo_sent_through_the_wizard_lands_in_the_bucket_and_is_served_to_her_only(
        app, client, bucket):
    sign_in_citizen(client, full_name="Nguyễn Thị Tư")
    page = f"/ho-so-nhap/{start(client).split('/')[2]}/{ID_CARD}"
    assert upload(client, page, jpeg(seed=11), side="front").status_code == 303
    with app.app_context(), database.connection_context():
        photo = Attachment.select().order_by(Attachment.id.desc()).first()
    name, thumb = photo.storage_name, storage.thumbnail_name(photo.storage_name)
    assert {key(name), key(thumb)} <= bucket()
    assert not {name, thumb} & on_disk(app)

    html = client.get(page).get_data(as_text=True)
    small = re.search(rf'src="(/ho-so/tep/{photo.id}/nho)"', html).group(1)
    shown = client.get(small)
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert shown.data.startswith(b"\xff\xd8") and shown.headers["Content-Length"] == str(
        len(shown.data))
    assert shown.headers["Content-Security-Policy"].startswith("sandbox")
    assert shown.headers["Cache-Control"] == "private, no-store"
    whole = client.get(f"/ho-so/tep/{photo.id}")
    assert whole.status_code == 200 and len(whole.data) == photo.size
    stranger = app.test_client()
    sign_in_citizen(stranger, full_name="Trần Văn Lạ")
    assert stranger.get(small).status_code == 404
    assert app.test_client().get(small).status_code == 404

    remove = re.search(r'action="([^"]*/anh/\d+/xoa[^"]*)"', html).group(1)
    assert post(client, remove.replace("&amp;", "&")).status_code == 303
    assert not {key(name), key(thumb)} & bucket()
    assert client.get(small).status_code == 404


def test_each_file_route_streams_from_the_bucket_to_whom_the_table_says(world):  # noqa: F811
    for pattern in FILE_ROUTES:
        url = pattern.format(code=world.code, paper=world.paper_id, report=world.report,
                             report_photo=world.report_photo)
        seen = {actor: _outcome(world.clients[actor].get(url)) for actor in ACTORS}
        assert seen == TABLE[pattern], pattern


def test_a_stray_object_is_removed_by_housekeeping_after_an_hour(app, in_app, bucket,
                                                                 monkeypatch):
    kept = make_photo(make_dossier())
    stray = random_storage_name(".jpg")
    storage.save(stray, b"a photo whose row was never inserted (the worker was killed)")
    storage.save(storage.thumbnail_name(stray), b"its thumbnail")
    runner = app.test_cli_runner()

    assert "Removed 0 stray" in runner.invoke(args=["uploads", "purge-stray"]).output
    monkeypatch.setattr(storage, "clock", lambda: time.time() + TWO_HOURS)  # an hour on
    result = runner.invoke(args=["housekeeping"])

    assert result.exit_code == 0 and "Removed 2 stray upload file(s)." in result.output
    assert bucket() == {key(kept.storage_name), key(storage.thumbnail_name(kept.storage_name))}


def test_the_kiosk_forgetting_its_visitor_deletes_her_photos_from_the_bucket(app, bucket):
    with app.app_context(), database.connection_context():
        commune = first_commune()
    kiosk = app.test_client()
    assert make_kiosk(kiosk, commune).status_code == 303
    sign_in_citizen(kiosk, full_name="Lê Thị Khách")
    page = f"/ho-so-nhap/{start(kiosk).split('/')[2]}/{ID_CARD}"
    assert upload(kiosk, page, jpeg(seed=12), side="front").status_code == 303
    assert len(bucket()) == 2  # the photo and its thumbnail

    assert post(kiosk, "/quay/bat-dau-lai").status_code == 303

    assert bucket() == set()


def test_a_deletion_of_her_data_deletes_her_photos_from_the_bucket(app, in_app, bucket):
    client = app.test_client()
    sign_in_citizen(client, full_name="Phạm Thị Năm")
    token = start(client).split("/")[2]
    assert upload(client, f"/ho-so-nhap/{token}/{ID_CARD}", jpeg(seed=13),
                  side="back").status_code == 303
    assert len(bucket()) == 2
    assert post(client, "/du-lieu-cua-toi/yeu-cau", {"kind": "deletion"}).status_code == 303
    request = DataRequest.select().order_by(DataRequest.id.desc()).first()
    admin = app.test_client()
    sign_in_staff(admin, role=ADMIN)

    assert post(admin, f"/can-bo/yeu-cau-du-lieu/{request.code}/xong",
                {"decision": "Đã xóa hồ sơ làm dở."}).status_code == 303

    assert DossierDraft.get_or_none(DossierDraft.token == token) is None and bucket() == set()


def test_the_retention_chore_deletes_old_photos_from_the_bucket(app, in_app, bucket):
    decided = make_dossier("received")
    steps.perform(decided, Move("refuse", decided.version, staff=_officer(app),
                                public_message="Không thuộc thẩm quyền."))
    old = make_photo(decided)
    assert bucket() == {key(old.storage_name), key(storage.thumbnail_name(old.storage_name))}
    later = utcnow() + dt.timedelta(days=app.config["PHOTO_RETENTION_DAYS"] + 1)

    assert "Deleted 1 photo" in purge_decided_photos(later)

    assert bucket() == set()


def test_news_audio_is_streamed_from_the_bucket_with_ranges(app, in_app, client, bucket):
    row = SpeechAudio.create(kind=PROCEDURE_AUDIO, ref="1.000894", version="x", status=DONE,
                             webm_name=random_storage_name("webm"),
                             mp3_name=random_storage_name("mp3"))
    sound = bytes(range(256)) * 40
    storage.save(row.webm_name, sound)
    storage.save(row.mp3_name, sound[::-1])
    assert {key(row.webm_name), key(row.mp3_name)} <= bucket()
    assert not {row.webm_name, row.mp3_name} & on_disk(app)

    whole = client.get(f"/nghe-doc/{row.id}.mp3")
    assert whole.status_code == 200 and whole.data == sound[::-1]
    assert whole.mimetype == "audio/mpeg" and whole.headers["X-Content-Type-Options"] == "nosniff"
    partial = client.get(f"/nghe-doc/{row.id}.webm", headers={"Range": "bytes=1000-1099"})
    assert partial.status_code == 206 and partial.data == sound[1000:1100]
    assert partial.headers["Content-Range"] == f"bytes 1000-1099/{len(sound)}"
    again = client.get(f"/nghe-doc/{row.id}.webm", headers={"If-None-Match": whole.headers[
        "ETag"].replace("mp3", "webm")})
    assert again.status_code == 304


def test_health_reports_the_object_store_and_503_when_it_is_down(app, client):
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.get_json()["uploads"] == "ok"

    app.config["S3_ENDPOINT_URL"] = "http://127.0.0.1:9"  # nothing listens there
    app.extensions.pop("upload_s3_store", None)
    down = client.get("/healthz")

    assert down.status_code == 503
    assert down.get_json()["uploads"] == "unreachable" and down.get_json()["status"] == "error"


def test_the_files_of_the_old_folder_are_copied_into_the_bucket(app, tmp_path, bucket):
    from webapp.uploads.stores import LocalStore

    old = LocalStore(tmp_path / "old-uploads")
    photo = random_storage_name(".jpg")
    for name in (photo, storage.thumbnail_name(photo)):
        old.put(name, b"bytes of " + name.encode())
    (old.path(photo).parent / "notes.txt").write_text("an operator's note, not a file of ours")

    result = app.test_cli_runner().invoke(args=["uploads", "copy-to-store", str(old.folder)])

    assert result.exit_code == 0 and "Copied 2 file(s)." in result.output
    assert bucket() == {key(photo), key(storage.thumbnail_name(photo))}
    with app.app_context():
        assert storage.read(photo) == b"bytes of " + photo.encode()
