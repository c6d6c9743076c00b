"""`make mutation`: mutation testing (mutmut) of the modules that guard citizens, one at a time.

mutmut reads its settings from the `pyproject.toml` of the folder it runs in and mutates what
is under that folder. To run each module against only the tests that call it, this script gives
every module a folder of its own, `.mutation/<module>/`, holding links to the project's code
and tests and a `pyproject.toml` whose `[tool.mutmut]` table is the project's plus the
module (`only_mutate`) and its tests (`pytest_add_cli_args_test_selection`), both taken from
`[tool.mutation.modules]`. Within those tests, mutmut runs each mutant against the tests that
called the mutated function.

    python -m tests.mutation.run                        # every module, from scratch
    python -m tests.mutation.run webapp/core/ratelimit.py --keep   # one, keeping earlier results

At the end it prints one line per module (mutants, killed, survived, percentage) for
docs/testing.md, and lists every survivor that docs/testing.md does not name as equivalent.
It exits 1 when a module is below the bar or has such a survivor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".mutation"
MUTMUT = Path(sys.executable).parent / "mutmut"
EQUIVALENTS = ROOT / "docs" / "testing.md"
# What the app needs beside its code: templates, assets, compiled translations, migrations.
LINKED = ("webapp", "tests", "templates", "static", "translations", "migrations", "babel.cfg")
BAR = 90.0  # per cent of mutants killed, per module
# mutmut's exit codes of a mutant's test run (mutmut/stats.py), as this report counts them:
# a mutant that makes the tests hang (timeout) or crash the interpreter was noticed too.
KILLED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout",
          152: "timeout", 255: "timeout", -11: "segfault", -9: "segfault"}
SURVIVED = {0: "survived", 5: "no tests", 33: "no tests", None: "not checked"}


@dataclass
class Figures:
    module: str
    statuses: dict[str, str]  # mutant name -> status

    @property
    def counts(self) -> Counter:
        return Counter(self.statuses.values())

    @property
    def killed(self) -> int:
        return sum(1 for status in self.statuses.values() if status in KILLED.values())

    @property
    def percentage(self) -> float:
        return 100.0 * self.killed / len(self.statuses) if self.statuses else 0.0

    def survivors(self) -> list[str]:
        return sorted(name for name, status in self.statuses.items()
                      if status not in KILLED.values())


def modules_and_tests() -> dict[str, list[str]]:
    """`[tool.mutation.modules]` of pyproject.toml: module path -> the tests that call it."""
    document = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return document["tool"]["mutation"]["modules"]


def folder_of(module: str) -> Path:
    return WORK / module.removeprefix("webapp/").removesuffix(".py").replace("/", "-")


def prepare(module: str, tests: list[str], keep: bool) -> Path:
    """The module's folder: links to the project, and mutmut's settings for this module."""
    folder = folder_of(module)
    if not keep:
        shutil.rmtree(folder / "mutants", ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
    settings = (f"only_mutate = {json.dumps([module])}\n"
                f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n")
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    text = text.replace("[tool.mutmut]\n", "[tool.mutmut]\n" + settings, 1)
    (folder / "pyproject.toml").write_text(text, "utf-8")
    return folder


def prepared_database() -> Path:
    """A migrated SQLite database with the reference data, made once for the whole run: every
    mutant's test session starts from a copy instead of preparing its own (about 3 s each)."""
    from tests.conftest import prepare_database
    from webapp.core import db

    WORK.mkdir(exist_ok=True)
    path = WORK / "prepared.db"
    path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "prepared.db"
        prepare_database(f"sqlite:///{source}")
        db.database.close()
        with closing(sqlite3.connect(source)) as connection:
            connection.execute("VACUUM INTO ?", (str(path),))  # one file, no WAL beside it
    return path


def run_mutmut(folder: Path, jobs: int, database: Path) -> int:
    """mutmut run in the module's folder; its output goes to mutmut.log there."""
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1",
                   "TEST_SQLITE_PREPARED": str(database)}
    with open(folder / "mutmut.log", "w") as log:
        return subprocess.call([str(MUTMUT), "run", "--max-children", str(jobs)], cwd=folder,
                               stdout=log, stderr=subprocess.STDOUT, env=environment)


def figures(module: str) -> Figures:
    """Statuses of the module's mutants, from mutmut's record of the last run."""
    meta = folder_of(module) / "mutants" / f"{module}.meta"
    codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.exists() else {}
    return Figures(module, {name: KILLED.get(code) or SURVIVED.get(code, "suspicious")
                            for name, code in codes.items()})


def declared_equivalent() -> set[str]:
    """Mutant names docs/testing.md lists as equivalent (in backticks, at a line's start)."""
    if not EQUIVALENTS.exists():
        return set()
    return set(re.findall(r"^\| `([\w.ǁ]+__mutmut_\d+)`", EQUIVALENTS.read_text("utf-8"), re.M))


def table(results: list[Figures]) -> str:
    lines = ["| module | mutants | killed | survived | killed % |", "|---|---|---|---|---|"]
    for result in results:
        total = len(result.statuses)
        lines.append(f"| `{result.module}` | {total} | {result.killed} | "
                     f"{total - result.killed} | {result.percentage:.1f} % |")
    return "\n".join(lines)


def report(results: list[Figures]) -> int:
    """Print the figures and the survivors not accounted for; 1 when the bar is not met."""
    print(f"\nMutation testing, {dt.date.today().isoformat()} (mutmut, {BAR:.0f} % bar)\n")
    print(table(results))
    equivalent, failed = declared_equivalent(), False
    for result in results:
        unexplained = [name for name in result.survivors() if name not in equivalent]
        if result.percentage < BAR or unexplained:
            failed = True
        for name in unexplained:
            print(f"  {result.statuses[name]}: {name}  "
                  f"(cd {folder_of(result.module).relative_to(ROOT)} && mutmut show {name})")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="paths as in [tool.mutation.modules]")
    parser.add_argument("--keep", action="store_true",
                        help="keep earlier results; mutmut re-tests changed functions only")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--report-only", action="store_true", help="print the last figures")
    args = parser.parse_args(argv)
    known = modules_and_tests()
    chosen = args.modules or list(known)
    unknown = [module for module in chosen if module not in known]
    if unknown:
        parser.error(f"not in [tool.mutation.modules]: {', '.join(unknown)}")
    database = prepared_database() if not args.report_only else None
    for module in chosen if not args.report_only else ():
        print(f"{module}: mutmut run against {' '.join(known[module])}", flush=True)
        folder = prepare(module, known[module], args.keep)
        if run_mutmut(folder, args.jobs, database) != 0:
            print(f"mutmut failed on {module}; see {folder.relative_to(ROOT)}/mutmut.log")
            return 2
    return report([figures(module) for module in chosen])


if __name__ == "__main__":
    sys.exit(main())
