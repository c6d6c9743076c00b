"""An article's body: a small, safe subset of HTML (paragraphs, lists, bold, links), made safe by
`nh3` (the Rust `ammonia` sanitiser, maintained and fuzzed) and never by hand.

Staff may type plain text (blank lines between paragraphs, "- " at the start of a list item) or
paste HTML; both end as the same subset. Everything else is dropped: scripts and styles with
their content, event handlers, `style`, iframes, SVG, images (an article has one photo, with
alternative text, through the upload pipeline), and links other than http, https, tel and mailto.
Links keep no `target` (a new window is lost inside Zalo's webview).
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "tel", "mailto"}
# Removed with everything inside them, not just the tags.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "svg", "math", "object", "embed", "noscript",
                        "template", "textarea", "select", "title"}
LINK_REL = "noopener noreferrer nofollow"
_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!]")
_BLOCK_END = re.compile(r"</(p|li|ul|ol)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def sanitise(text: str) -> str:
    """The body as stored and shown: only the allowed subset, whatever was typed or pasted."""
    source = text if _LOOKS_LIKE_HTML.search(text) else _from_plain_text(text)
    cleaned = nh3.clean(source, tags=ALLOWED_TAGS, clean_content_tags=DROPPED_WITH_CONTENT,
                        attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                        link_rel=LINK_REL, strip_comments=True)
    return cleaned.strip()


def _from_plain_text(text: str) -> str:
    """Paragraphs separated by blank lines; lines starting with "- " or "* " make a list."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines and all(line[:2] in ("- ", "* ") for line in lines):
            items = "".join(f"<li>{html.escape(line[2:].strip())}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif lines:
            blocks.append("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
    return "".join(blocks)


def plain_text(body_html: str) -> str:
    """The words of a sanitised body, one block a line (for listening, search and summaries)."""
    text = _BLOCK_END.sub("\n", body_html)
    text = html.unescape(_TAG.sub("", text))
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())
