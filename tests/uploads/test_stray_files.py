"""No photo outlives its row: a crash between writing a file and inserting its row, or a full
disk, leaves files that `flask housekeeping` removes once they are an hour old."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask import current_app

from tests.backoffice.conftest import make_dossier, make_photo
from webapp.config import PROJECT_ROOT
from webapp.uploads import storage, stores

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

TWO_HOURS = 2 * 3600


def files_in(folder: Path) -> set[str]:
    return {path.name for path in folder.glob("*/*")}


def age(folder: Path, seconds: float) -> None:
    then = time.time() - seconds
    for path in folder.glob("*/*"):
        os.utime(path, (then, then))


def housekeeping(app) -> str:
    result = app.test_cli_runner().invoke(args=["housekeeping"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def folder(app, in_app, tmp_path):
    """A private upload folder, for the test's app and the one that prepares its data."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    before = current_app.config["UPLOAD_DIR"]
    for each in (app, current_app):
        each.config["UPLOAD_DIR"] = str(folder)
    yield folder
    current_app.config["UPLOAD_DIR"] = before


def test_a_worker_killed_between_file_and_row_leaves_files_that_housekeeping_removes(
        app, in_app, folder, database_url):
    crashed = subprocess.run(
        [sys.executable, "-m", "tests.uploads.crash_upload", database_url, str(folder)],
        cwd=PROJECT_ROOT, capture_output=True, timeout=120)
    assert crashed.returncode == -9, crashed.stderr[-2000:]
    stray = files_in(folder)
    assert len(stray) == 2  # the photo and its thumbnail, both whole, and no row names them
    kept = make_photo(make_dossier())  # a photo with its row, as old as the stray one
    age(folder, TWO_HOURS)

    assert "Removed 2 stray upload file(s)." in housekeeping(app)

    assert files_in(folder) == {kept.storage_name, storage.thumbnail_name(kept.storage_name)}


def test_files_younger_than_an_hour_and_files_not_ours_are_left_alone(app, in_app, folder):
    storage.save("0" * 32 + ".jpg", b"an upload whose row is being inserted right now")
    (folder / "README").write_text("an operator's note")
    (folder / "00" / "notes.txt").write_text("not a storage name")
    os.utime(folder / "00" / "notes.txt", (time.time() - TWO_HOURS,) * 2)

    assert "Removed 0 stray upload file(s)." in housekeeping(app)

    assert (folder / "00" / ("0" * 32 + ".jpg")).exists()
    assert (folder / "00" / "notes.txt").exists() and (folder / "README").exists()


def test_a_full_disk_leaves_no_temporary_file(app, in_app, folder, monkeypatch):

    def disk_full(_descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(stores.os, "fsync", disk_full)
    with pytest.raises(OSError):
        storage.save("1" * 32 + ".jpg", b"x" * 1000)

    assert files_in(folder) == set()


def test_temporary_files_and_turned_copies_of_deleted_photos_are_removed(app, in_app, folder):
    gone = "2" * 32
    for name in (f"{gone}.jpg.part", f"{gone}.turned90.jpg", f"{gone}.thumb.jpg"):
        storage.save(name.removesuffix(".part"), b"...")
    (folder / "22" / f"{gone}.jpg").rename(folder / "22" / f"{gone}.jpg.part")
    age(folder, TWO_HOURS)

    assert "Removed 3 stray upload file(s)." in housekeeping(app)

    assert files_in(folder) == set()


def test_without_any_room_registered_nothing_is_deleted(folder, monkeypatch):
    storage.save("3" * 32 + ".jpg", b"...")
    age(folder, TWO_HOURS)
    monkeypatch.setitem(current_app.extensions, "upload_owners", [])

    with pytest.raises(RuntimeError):
        storage.remove_stray_files()

    assert files_in(folder) == {"3" * 32 + ".jpg"}
