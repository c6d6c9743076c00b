"""An object store set up wrong stops the app when it starts, not at a citizen's first photo;
without any setting the files stay in the local folder, as before."""

from __future__ import annotations

import pytest

from tests.conftest import make_app
from webapp.uploads.stores import LocalStore, store_for


@pytest.mark.parametrize(("settings", "words"), [
    ({"UPLOAD_STORE": "nfs"}, "UPLOAD_STORE must be 'local' or 's3'"),
    ({"UPLOAD_STORE": "s3", "S3_BUCKET": ""}, "UPLOAD_STORE=s3 needs S3_BUCKET"),
])
def test_a_wrong_store_setting_stops_the_app_at_start(sqlite_url, settings, words):
    with pytest.raises(RuntimeError, match=words):
        make_app(sqlite_url, **settings)


def test_the_local_folder_is_the_default(sqlite_url, upload_dir):
    app = make_app(sqlite_url)
    store = store_for(app)
    assert isinstance(store, LocalStore) and store.folder == upload_dir
