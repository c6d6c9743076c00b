"""Photos of papers and result files for officers: finding them and showing them turned.

The bytes live in the uploads room's storage (outside the web root, random names); they are
only ever sent through a view that has checked the officer's entitlement. A turned copy is made
on demand and kept next to the original, so a second look costs no image work.
"""

from __future__ import annotations

import io

from flask import Response, abort
from PIL import Image

from webapp.core.i18n import current_language
from webapp.dossiers.api import Attachment, dossier_answers
from webapp.uploads import storage
from webapp.uploads.serving import stored_file_response

TURNS = (0, 90, 180, 270)
JPEG = "image/jpeg"


def papers_of(dossier_id: int) -> list[Attachment]:
    """The citizen's photos and PDFs of papers, in the order they were sent."""
    return list(Attachment.of_dossier(dossier_id, purpose="paper"))


def attachment_of(dossier_id: int, attachment_id: int) -> Attachment | None:
    return Attachment.get_or_none((Attachment.id == attachment_id)
                                  & (Attachment.dossier == dossier_id))


def answer_rows(dossier) -> list[tuple[str, str]]:
    """The citizen's answers as (question, answer in words), in the form's order."""
    return dossier_answers(dossier, current_language())


def clean_turn(raw: str) -> int:
    """Degrees clockwise, one of 0, 90, 180, 270 (anything else is 0)."""
    value = int(raw) if raw.lstrip("-").isdigit() else 0
    return value % 360 if value % 360 in TURNS else 0


def _turned(attachment: Attachment, turn: int) -> bytes | None:
    """The photo turned `turn` degrees clockwise, made once and kept in storage."""
    name = f"{attachment.storage_name.rsplit('.', 1)[0]}.turned{turn}.jpg"
    content = storage.read(name)
    if content is None:
        original = storage.read(attachment.storage_name)
        if original is None:
            return None
        with Image.open(io.BytesIO(original)) as image:
            buffer = io.BytesIO()
            image.rotate(-turn, expand=True).save(buffer, "JPEG", quality=82, progressive=True)
        content = buffer.getvalue()
        storage.save(name, content)
    return content


def send(attachment: Attachment, *, turn: int = 0, small: bool = False) -> Response:
    """Send the file; personal data, so no browser or proxy may keep a copy."""
    turned = None
    if attachment.media_type == JPEG and turn and not small:
        turned = _turned(attachment, turn) or abort(404)
    return stored_file_response(attachment.storage_name, attachment.media_type, small=small,
                                content=turned)
