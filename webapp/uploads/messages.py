"""What to tell a person whose file was refused: one sentence per reason, for every room."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .errors import RejectionCode

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
    RejectionCode.TOO_COSTLY: _l("This picture takes too much work to open. Take a new photo of "
                                 "the paper with the phone's camera, or choose a smaller file."),
    RejectionCode.BUSY: _l("Many photos are being sent right now. Please wait a minute, then "
                           "send this photo again."),
    RejectionCode.STORE_UNAVAILABLE: _l("The photo could not be saved just now. Please wait a "
                                        "minute, then send it again; your answers are kept."),
}


def rejection_message(rejected) -> object:
    """The sentence for an UploadRejected."""
    return REJECTIONS[rejected.code]
