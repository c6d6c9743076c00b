"""Operators' commands of the uploads room: `flask uploads purge-stray` (also a daily
housekeeping chore) and `flask uploads copy-to-store FOLDER` (moving to an object store)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.core import db

from . import storage
from .stores import LocalStore

uploads_cli = AppGroup("uploads", help="Stored photos and PDFs.")


def purge_stray() -> str:
    """Delete stray upload files (see storage.remove_stray_files); say how many."""
    with db.database.connection_context():
        return f"Removed {storage.remove_stray_files()} stray upload file(s)."


def copy_folder_to_store(folder: Path) -> int:
    """Copy every stored file of an upload folder into the configured store (moving from
    UPLOAD_STORE=local to s3); temporary files and names not ours are left. Copying again is
    harmless: an object is rewritten with the same bytes."""
    source, copied = LocalStore(folder), 0
    for name, _modified in source.listing():
        if storage.is_storage_name(name):
            storage.save(name, source.path(name).read_bytes())
            copied += 1
    return copied


@uploads_cli.command("copy-to-store")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def copy_to_store_command(folder: Path) -> None:
    """Copy the files of an upload FOLDER (the old UPLOAD_DIR) into the store UPLOAD_STORE names,
    before the app machines switch to it (docs/operations.md)."""
    click.echo(f"Copied {copy_folder_to_store(folder)} file(s).")


@uploads_cli.command("purge-stray")
def purge_stray_command() -> None:
    """Delete stored files over an hour old that no row uses (left by a crash between writing
    the file and its row) and temporary files left by a crash or a full disk."""
    click.echo(purge_stray())
