"""Photos of papers on a draft: add them safely, remove them, and say why one was refused.

Each file goes through `webapp.uploads.storage.store_upload` (type judged from the bytes, size
and pixel limits, images re-encoded, shrunk and stripped of all metadata including GPS), is
stored under a random name outside the web root, and gets a small thumbnail for the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from webapp.core.i18n import current_language
from webapp.dossiers.formdefs import Paper
from webapp.dossiers.models import Attachment, DossierDraft
from webapp.dossiers.services import forms, touch
from webapp.uploads import UploadRejected, storage
from webapp.uploads.messages import rejection_message

ADDED_LATER = "bo_sung"  # photos the citizen sent after a request for papers


@dataclass
class Outcome:
    """What happened to the files sent in one request."""

    added: int = 0
    errors: list = field(default_factory=list)


def _add_one(draft: DossierDraft, paper: Paper, data: bytes, side: str = "") -> None:
    stored = storage.store_upload(data)
    try:
        Attachment.from_upload(stored, draft=draft, citizen=draft.citizen_id,
                               paper_key=paper.key, side=side, purpose="paper")
    except Exception:
        storage.delete(stored.name)  # no row, no file: nothing unreachable is left behind
        raise


def _photos_of_side(draft: DossierDraft, paper: Paper, side: str):
    return list(Attachment.of_draft(draft).where(
        (Attachment.paper_key == paper.key) & (Attachment.side == side)))


def add_side_photo(draft: DossierDraft, paper: Paper, side: str, files: list[bytes]) -> Outcome:
    """The photo of one side of a paper: it takes the place of the one taken before, if any
    (taking it again is how a blurred photo is put right)."""
    outcome = Outcome()
    if paper.side(side) is None:
        outcome.errors.append(_("Choose which side of the paper the photo shows."))
        return outcome
    if not files:
        outcome.errors.append(_("Take a photo with the camera, or choose one."))
        return outcome
    before = _photos_of_side(draft, paper, side)
    try:
        _add_one(draft, paper, files[0], side)
    except UploadRejected as rejection:
        outcome.errors.append(rejection_message(rejection))
        return outcome
    outcome.added = 1
    for old in before:
        old.delete_instance()
        storage.delete(old.storage_name)
    touch(draft)
    return outcome


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
            message = rejection_message(rejection)
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


def photos_by_side(photos: list[Attachment]) -> dict[str, Attachment]:
    """The latest photo of each side, among one paper's photos."""
    return {photo.side: photo for photo in photos if photo.side}


def paper_labels(dossier) -> dict[str, str]:
    """Paper keys of a dossier's form and their names in the reader's language; "key/side"
    for each side of a paper with sides ("Ảnh thẻ căn cước – Mặt sau")."""
    form = forms().get(dossier.procedure.code)
    language = current_language()
    labels = {}
    for paper in form.papers if form else ():
        labels[paper.key] = paper.label(language)
        for side in paper.sides:
            labels[f"{paper.key}/{side.key}"] = f"{paper.label(language)} – {side.label(language)}"
    return {**labels, ADDED_LATER: _("Paper added after a request")}


def paper_label(labels: dict[str, str], attachment: Attachment) -> str:
    """Which paper a photo shows, as the form names it (or its key, tidied, if it does not)."""
    side = labels.get(f"{attachment.paper_key}/{attachment.side}") if attachment.side else None
    return (side or labels.get(attachment.paper_key)
            or attachment.paper_key.replace("_", " ").capitalize())
