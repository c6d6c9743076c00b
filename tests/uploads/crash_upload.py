"""A process that dies (SIGKILL) after an upload's files are written and before its row is
inserted: the worst moment for storage, as a killed gunicorn worker would have it.

    python -m tests.uploads.crash_upload DATABASE_URL UPLOAD_DIR
"""

from __future__ import annotations

import os
import secrets
import signal
import sys

from tests.backoffice.conftest import make_citizen, make_dossier, make_photo
from tests.conftest import make_app
from webapp.core.db import database
from webapp.dossiers.models import Attachment


def die_instead_of_inserting(*_args, **_kwargs) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    app = make_app(sys.argv[1], UPLOAD_DIR=sys.argv[2])
    with app.app_context(), database.connection_context():
        unique = secrets.randbelow(10**6)  # this process's own citizen, never one of the suite's
        citizen = make_citizen(phone=f"0397{unique:06d}", citizen_id=f"07219{unique:07d}")
        dossier = make_dossier(citizen=citizen)
        Attachment.from_upload = die_instead_of_inserting
        make_photo(dossier)  # stores the photo and its thumbnail, then "inserts" its row


if __name__ == "__main__":
    main()
