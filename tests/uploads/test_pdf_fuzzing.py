"""A bounded, nice'd run of the PDF fuzzer (tests/uploads/fuzz_pdf.py) in every test run: no
input may crash the inspection or cost it over 2 s of CPU. `make fuzz` runs it for 10 minutes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECONDS = int(os.environ.get("PDF_FUZZ_SECONDS", "30"))


def test_fuzzed_pdfs_never_crash_or_stall_the_inspection(tmp_path):
    run = subprocess.run(
        ["nice", "-n", "19", sys.executable, "-m", "tests.uploads.fuzz_pdf",
         "--seconds", str(SECONDS)],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
        text=True, timeout=SECONDS * 10 + 120)

    report = run.stderr[-3000:]
    assert run.returncode == 0, report
    assert "Done " in report and "stat::number_of_executed_units" in report
    executed = int(report.split("stat::number_of_executed_units:")[1].split()[0])
    assert executed > 100, report  # it really fuzzed, even on a busy machine
    assert not list(tmp_path.glob("crash-*")) and not list(tmp_path.glob("timeout-*"))
