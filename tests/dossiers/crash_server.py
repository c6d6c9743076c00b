"""A real server for the crash test: it dies (SIGKILL) right after it commits a submission.

    python -m tests.dossiers.crash_server DATABASE_URL PORT UPLOAD_DIR MARKER_FILE

While MARKER_FILE exists, the first committed submission kills the process before the
response is written: the worst moment for a citizen on a flaky connection. The marker is
removed first, so the restarted server behaves normally.
"""

from __future__ import annotations

import os
import signal
import sys

from werkzeug.serving import make_server

from tests.conftest import make_app
from webapp.dossiers.services import submission_committed


def main() -> None:
    url, port, upload_dir, marker = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    app = make_app(url, SERVER_NAME=None, UPLOAD_DIR=upload_dir)

    def die_after_commit(_sender, **_extra) -> None:
        if os.path.exists(marker):
            os.remove(marker)
            os.kill(os.getpid(), signal.SIGKILL)

    submission_committed.connect(die_after_commit, weak=False)
    server = make_server("127.0.0.1", port, app)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
