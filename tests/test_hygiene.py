"""A test session cleans up after itself: nothing of it stays in the system's temporary folder
but pytest's own numbered directories, which pytest prunes (it keeps the last three)."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_session_leaves_nothing_in_the_temporary_folder_but_pytest_s_own(tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary)}
    one_test = ("tests/site/test_pages.py::"
                "test_health_endpoint_reports_database_migrations_and_rate_limits[sqlite]")
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", one_test],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert [path.name for path in temporary.iterdir()] == [f"pytest-of-{getpass.getuser()}"]
