"""Photos of papers and result files: finding them, showing them turned, storing results.

Files live outside the web root (instance/uploads); they are only ever sent through a view
that has checked the officer's entitlement. Turned and small copies are made on demand and
kept next to the original, so a second look costs no image work.
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import abort, current_app, send_file
from PIL import Image

from webapp.dossiers.models import Attachment
from webapp.uploads import process_upload, random_storage_name, thumbnail

TURNS = (0, 90, 180, 270)


def uploads_dir() -> Path:
    return Path(current_app.instance_path) / "uploads"


def papers_of(dossier_id: int) -> list[Attachment]:
    """The citizen's photos and PDFs of papers, in the order they were sent."""
    return list(Attachment.select()
                .where((Attachment.dossier == dossier_id) & (Attachment.purpose == "paper"))
                .order_by(Attachment.created_at, Attachment.id))


def attachment_of(dossier_id: int, attachment_id: int) -> Attachment | None:
    return Attachment.get_or_none((Attachment.id == attachment_id)
                                  & (Attachment.dossier == dossier_id))


def paper_label(dossier, attachment: Attachment) -> str:
    """Which paper a photo shows, in the words of the procedure's form when it names it."""
    return attachment.paper_key.replace("_", " ").replace("-", " ").strip().capitalize()


def answer_rows(dossier) -> list[tuple[str, str]]:
    """The citizen's answers as (question, answer) pairs, in the order they were given."""
    rows = []
    for key, value in (dossier.answers or {}).items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        rows.append((key.replace("_", " ").capitalize(), shown))
    return rows


def clean_turn(raw: str) -> int:
    """Degrees clockwise, one of 0, 90, 180, 270 (anything else is 0)."""
    value = int(raw) if raw.lstrip("-").isdigit() else 0
    return value % 360 if value % 360 in TURNS else 0


def _derived(path: Path, turn: int, small: bool) -> Path:
    """A turned and/or small copy of a JPEG, made once and kept beside the original."""
    target = path.with_name(f"{path.stem}-t{turn}{'-s' if small else ''}.jpg")
    if not target.exists():
        content = path.read_bytes()
        if small:
            content = thumbnail(content)
        if turn:
            with Image.open(io.BytesIO(content)) as image:
                turned = image.rotate(-turn, expand=True)  # PIL turns anticlockwise
                buffer = io.BytesIO()
                turned.save(buffer, "JPEG", quality=82, progressive=True)
                content = buffer.getvalue()
        target.write_bytes(content)
    return target


def send(attachment: Attachment, *, turn: int = 0, small: bool = False):
    """Send the file; personal data, so no browser or proxy may keep a copy."""
    path = uploads_dir() / attachment.storage_name
    if not path.is_file():
        abort(404)
    if attachment.media_type == "image/jpeg" and (turn or small):
        path = _derived(path, turn, small)
    response = send_file(path, mimetype=attachment.media_type, conditional=False,
                         max_age=0, download_name=f"{attachment.id}{path.suffix}")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def store_result_file(data: bytes):
    """Check and clean an uploaded result (photo or PDF) and write it; returns (upload, name).

    Raises webapp.uploads.UploadRejected with a code the view turns into a sentence.
    """
    upload = process_upload(data)
    name = random_storage_name(upload.extension)
    directory = uploads_dir()
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(upload.content)
    return upload, name


def discard(name: str) -> None:
    """Remove a stored file whose step did not happen (another officer was faster)."""
    (uploads_dir() / name).unlink(missing_ok=True)
