"""Checks every view test applies to every HTML page it fetches (see `client_page`)."""

from __future__ import annotations

from collections import Counter

import html5lib
from html5lib.constants import namespaces

XHTML = namespaces["html"]


def _all(tree, tag: str):
    return tree.findall(f".//{{{XHTML}}}{tag}")


def parse_strict(markup: str):
    """Parse with html5lib in strict mode: malformed HTML raises with the line number."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parse(markup)


def check_page(markup: str) -> list[str]:
    """Return the problems of a whole page (an empty list when it is well formed)."""
    try:
        tree = parse_strict(markup)
    except html5lib.html5parser.ParseError as error:
        return [f"malformed HTML: {error}"]
    return _structure_problems(tree) + _link_and_form_problems(tree)


def _structure_problems(tree) -> list[str]:
    problems = []
    html = tree if tree.tag == f"{{{XHTML}}}html" else tree.find(f".//{{{XHTML}}}html")
    if not html.get("lang"):
        problems.append("<html> has no lang")
    if len(_all(tree, "h1")) != 1:
        problems.append(f"expected one <h1>, found {len(_all(tree, 'h1'))}")
    titles = _all(tree, "title")
    if len(titles) != 1 or not "".join(titles[0].itertext()).strip():
        problems.append("missing or empty <title>")
    ids = Counter(el.get("id") for el in tree.iter() if el.get("id"))
    problems += [f"duplicate id {name!r}" for name, count in ids.items() if count > 1]
    return problems


def _link_and_form_problems(tree) -> list[str]:
    problems = []
    for form in _all(tree, "form"):
        if not form.get("action") or not form.get("method"):
            problems.append("a <form> lacks action or method")
    for link in _all(tree, "a"):
        if link.get("target") == "_blank":
            problems.append("target=_blank opens an empty webview inside Zalo")
    return problems


def page_text(markup: str) -> str:
    """The visible text of a page or fragment, whitespace collapsed (for assertions)."""
    tree = html5lib.parse(markup, namespaceHTMLElements=False)
    for element in tree.iter():
        if element.tag in ("script", "style", "title"):
            element.text = ""
    return " ".join("".join(tree.itertext()).split())
