"""Photos of papers on a draft: add them safely, remove them, and say why one was refused.

Each file goes through `webapp.uploads.process_upload` (type judged from the bytes, size and
pixel limits, images re-encoded, shrunk and stripped of all metadata including GPS), is stored
under a random name outside the web root, and gets a small thumbnail for the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.dossiers import storage
from webapp.dossiers.formdefs import Paper
from webapp.dossiers.models import Attachment, DossierDraft
from webapp.dossiers.services import touch
from webapp.uploads import (
    ProcessedUpload,
    RejectionCode,
    UploadRejected,
    process_upload,
    random_storage_name,
    thumbnail,
)

REJECTIONS = {
    RejectionCode.EMPTY: _l("The file is empty. Take the photo again."),
    RejectionCode.TOO_LARGE: _l("The file is too large. Take a new photo with the phone's "
                                "camera, or choose a smaller file."),
    RejectionCode.NOT_SUPPORTED: _l("This file is not a photo. Choose a photo (JPEG, PNG or "
                                    "HEIC) or a PDF file."),
    RejectionCode.CORRUPT: _l("The photo could not be opened; it may be damaged. Take it "
                              "again."),
    RejectionCode.TOO_MANY_PIXELS: _l("The picture is too big to open. Take a new photo with "
                                      "the phone's camera."),
    RejectionCode.ANIMATED: _l("Moving pictures are not accepted. Take a still photo of the "
                               "paper."),
    RejectionCode.PDF_ENCRYPTED: _l("This PDF is protected by a password. Send it without a "
                                    "password, or send a photo of the paper."),
    RejectionCode.PDF_ACTIVE_CONTENT: _l("This PDF contains scripts or forms, which are not "
                                         "allowed. Send a photo of the paper instead."),
}


@dataclass
class Outcome:
    """What happened to the files sent in one request."""

    added: int = 0
    errors: list = field(default_factory=list)


def _store(processed: ProcessedUpload) -> str:
    name = random_storage_name(processed.extension)
    storage.save(name, processed.content)
    if processed.width:  # images only: PDFs show as a document icon
        storage.save(storage.thumbnail_name(name), thumbnail(processed.content))
    return name


def _add_one(draft: DossierDraft, paper: Paper, data: bytes) -> None:
    processed = process_upload(data, max_bytes=current_app.config["UPLOAD_MAX_BYTES"])
    name = _store(processed)
    try:
        Attachment.create(
            draft=draft, citizen=draft.citizen_id, paper_key=paper.key, purpose="paper",
            storage_name=name, media_type=processed.media_type, size=len(processed.content),
            width=processed.width, height=processed.height, sha256=processed.sha256,
        )
    except Exception:
        storage.delete(name)  # no row, no file: nothing unreachable is left behind
        raise


def add_photos(draft: DossierDraft, paper: Paper, files: list[bytes]) -> Outcome:
    """Add each file that passes the checks; refuse the others with a sentence each."""
    outcome = Outcome()
    room = paper.max_photos - Attachment.of_draft(draft).where(
        Attachment.paper_key == paper.key).count()
    if not files:
        outcome.errors.append(_("Choose a photo to add, or take one with the camera."))
    for number, data in enumerate(files, start=1):
        if outcome.added >= room:
            outcome.errors.append(_("You can add at most %(max)d photos of this paper. Remove "
                                    "one before adding another.", max=paper.max_photos))
            break
        try:
            _add_one(draft, paper, data)
            outcome.added += 1
        except UploadRejected as rejection:
            message = REJECTIONS[rejection.code]
            outcome.errors.append(message if len(files) == 1 else _(
                "Photo %(number)d: %(problem)s", number=number, problem=message))
    if outcome.added:
        touch(draft)
    return outcome


def remove_photo(draft: DossierDraft, attachment_id: int) -> bool:
    """Remove one of the draft's photos; False when it is not one of them."""
    attachment = Attachment.get_or_none(
        (Attachment.id == attachment_id) & (Attachment.draft == draft))
    if attachment is None:
        return False
    attachment.delete_instance()
    storage.delete(attachment.storage_name)
    touch(draft)
    return True


def paper_key_of(draft: DossierDraft, attachment_id: int) -> str | None:
    attachment = Attachment.get_or_none(
        (Attachment.id == attachment_id) & (Attachment.draft == draft))
    return attachment.paper_key if attachment else None


def photos_by_paper(draft: DossierDraft) -> dict[str, list[Attachment]]:
    photos: dict[str, list[Attachment]] = {}
    for attachment in Attachment.of_draft(draft):
        photos.setdefault(attachment.paper_key, []).append(attachment)
    return photos
