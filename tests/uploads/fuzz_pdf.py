"""Coverage-guided fuzzing of the PDF inspection with atheris (libFuzzer for Python).

Every input must either be cleaned or be refused with UploadRejected, within 2 seconds: any other
exception is a crash, and libFuzzer's -timeout flags a slow input. The seeds are the PDFs of the
unit tests (plain, in object streams, updated, hostile), so mutations start from real structure.

    nice -n 19 .venv/bin/python -m tests.uploads.fuzz_pdf --seconds 600   # a long run (make fuzz)

The normal test suite runs it for a short, nice'd while (test_pdf_fuzzing.py). A crashing input
is written to the working folder as crash-<sha1> (or timeout-<sha1>); replay it with
`python -m tests.uploads.fuzz_pdf crash-<sha1>`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["webapp.uploads"]):
    from webapp.uploads.errors import UploadRejected
    from webapp.uploads.pdf_inspection import clean_pdf

SLOW_SECONDS = 2.0
# Tokens libFuzzer may splice in: the structure the inspection must understand.
DICTIONARY = [
    "obj", "endobj", "stream", "endstream", "xref", "trailer", "startxref", "%%EOF", "<<", ">>",
    "/Type", "/Catalog", "/Pages", "/Page", "/Kids", "/Count", "/ObjStm", "/XRef", "/First",
    "/N", "/W", "/Index", "/Prev", "/Length", "/Filter", "/FlateDecode", "/DecodeParms",
    "/OpenAction", "/AA", "/A", "/Next", "/S", "/JavaScript", "/JS", "/Launch", "/URI",
    "/EmbeddedFiles", "/EF", "/Filespec", "/XFA", "/AcroForm", "/Annots", "/Subtype", "/Names",
    "/Encrypt", " 0 R", "#61",
]


def test_one_input(data: bytes) -> None:
    started = time.process_time()
    try:
        clean_pdf(data)
    except UploadRejected:
        pass
    spent = time.process_time() - started
    if spent > SLOW_SECONDS:
        raise RuntimeError(f"inspection took {spent:.1f} s of CPU (budget {SLOW_SECONDS} s)")


def seed_corpus(folder: Path) -> None:
    """Write the unit tests' PDFs, clean and hostile, as the starting corpus."""
    from tests.uploads import test_pdfs
    from tests.uploads.builders import build_pdf, build_pdf_with_object_stream, simple_objects

    seeds = {"plain": build_pdf(simple_objects(2)),
             "objstm": build_pdf_with_object_stream({}, simple_objects(2))}
    for name, objects in test_pdfs.CORPUS.items():
        seeds[name] = build_pdf({**test_pdfs.EXTRA_OBJECTS, **objects})
    seeds["bypass"] = build_pdf_with_object_stream(
        test_pdfs.with_catalog(b"/OpenAction 9 0 R"), {9: test_pdfs.JAVASCRIPT}, padding=2000)
    for name, data in seeds.items():
        (folder / name).write_bytes(data)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=600, help="how long to fuzz")
    parser.add_argument("inputs", nargs="*", help="files to replay instead of fuzzing")
    options, extra = parser.parse_known_args(argv[1:])
    work = Path(tempfile.mkdtemp(prefix="fuzz-pdf-"))
    if options.inputs:
        libfuzzer = [argv[0], *extra, *options.inputs]
    else:
        corpus = work / "corpus"
        corpus.mkdir()
        seed_corpus(corpus)
        (work / "pdf.dict").write_text("".join(f'"{token}"\n' for token in DICTIONARY))
        libfuzzer = [argv[0], f"-max_total_time={options.seconds}", "-timeout=10",
                     "-rss_limit_mb=2048", "-max_len=65536", f"-dict={work / 'pdf.dict'}",
                     "-print_final_stats=1", *extra, str(corpus)]
    atheris.Setup(libfuzzer, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
