"""One search that forgives missing diacritics and everyday words, for every kind of content.

Why not the databases' own full-text search: SQLite's FTS5 never folds "đ" and PostgreSQL's
needs extensions, while the catalogue must rank identically on both. So each searchable item
stores folded text in `search_entry`; SQL narrows the candidates with LIKE (portable), and a
small BM25-like scorer ranks them in Python, weighting titles and everyday keywords above body
text and rewarding words that appear side by side as in the query.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import CharField, TextField, fn

from webapp.core.db import BaseModel
from webapp.core.text import fold_vietnamese

# Words that carry no meaning in a request ("làm", "xin", "cho tôi", "ở đâu", "how", "where").
# Folded Vietnamese collides with English ("tờ" -> "to", "mẹ" -> "me", "căn" -> "can", "đồ" ->
# "do", "thẻ" -> "the"), so only words that cannot be a meaningful syllable of a request are listed.
STOPWORDS = frozenset(
    "lam xin cho toi cua va la o dau nao muon nhu gi oi voi "
    "of for how what where get and".split()
)
FIELD_WEIGHTS = {"title": 3.0, "keywords": 3.0, "names": 2.0, "body": 1.0}
MAX_TERMS = 12


class SearchEntry(BaseModel):
    """The folded, searchable text of one item in one language."""

    kind = CharField()  # "procedure"; later "news", "report", ...
    ref = CharField()  # the item's key within its kind (a procedure code)
    locale = CharField(max_length=5)
    title = TextField()
    keywords = TextField()  # everyday phrases, one per line
    names = TextField()  # official names and other secondary labels
    body = TextField()

    class Meta:
        indexes = ((("kind", "ref", "locale"), True),)


@dataclass(frozen=True)
class Hit:
    ref: str
    score: float


def index_item(kind: str, ref: str, locale: str, *, title: str, keywords: Iterable[str] = (),
               names: Iterable[str] = (), body: Iterable[str] = ()) -> None:
    """Store (or replace) the searchable text of one item in one language."""
    row = {
        "title": fold_vietnamese(title),
        "keywords": "\n".join(fold_vietnamese(k) for k in keywords),
        "names": "\n".join(fold_vietnamese(n) for n in names),
        "body": "\n".join(fold_vietnamese(b) for b in body),
    }
    (SearchEntry.insert(kind=kind, ref=ref, locale=locale, **row)
     .on_conflict(conflict_target=[SearchEntry.kind, SearchEntry.ref, SearchEntry.locale],
                  update=row)
     .execute())


def query_terms(query: str) -> list[str]:
    """The meaningful folded words of a query, in order."""
    words = re.findall(r"[a-z0-9.]+", fold_vietnamese(query))
    return [w for w in words if w not in STOPWORDS][:MAX_TERMS]


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9.]+", text)


def _candidates(kind: str, terms: list[str]):
    """Rows containing at least one term somewhere (LIKE works the same on both databases)."""
    haystack = SearchEntry.title.concat(" ").concat(SearchEntry.keywords).concat(" ") \
        .concat(SearchEntry.names).concat(" ").concat(SearchEntry.body)
    condition = None
    for term in terms:
        clause = fn.LOWER(haystack).contains(term)
        condition = clause if condition is None else (condition | clause)
    return SearchEntry.select().where((SearchEntry.kind == kind) & condition)


class _Scorer:
    """Scores one query against candidate rows; idf comes from the whole kind."""

    def __init__(self, terms: list[str], prefix_last: bool, document_count: int,
                 document_frequency: dict[str, int]):
        self.terms = terms
        self.prefix_last = prefix_last
        self.idf = {
            t: math.log(1 + (document_count + 1) / (document_frequency.get(t, 0) + 0.5))
            for t in terms
        }

    def _matches(self, term: str, index: int, tokens: set[str]) -> bool:
        if term in tokens:
            return True
        is_last = index == len(self.terms) - 1
        return is_last and self.prefix_last and len(term) >= 2 and any(
            tok.startswith(term) for tok in tokens
        )

    def score(self, row: SearchEntry) -> float:
        fields = {name: getattr(row, name) for name in FIELD_WEIGHTS}
        tokens = {name: set(_tokens(text)) for name, text in fields.items()}
        total, matched = 0.0, 0
        for i, term in enumerate(self.terms):
            best = max((FIELD_WEIGHTS[n] for n in fields if self._matches(term, i, tokens[n])),
                       default=0.0)
            if best:
                matched += 1
                total += best * self.idf[term]
        if not matched:
            return 0.0
        total += self._phrase_bonus(fields)
        # Prefer items that explain the whole request over those matching one common word.
        return total * (matched / len(self.terms)) ** 2

    def _phrase_bonus(self, fields: dict[str, str]) -> float:
        bonus = 0.0
        for first, second in zip(self.terms, self.terms[1:], strict=False):
            pair = f"{first} {second}"
            weight = max((FIELD_WEIGHTS[n] for n, text in fields.items() if pair in text),
                         default=0.0)
            bonus += weight * (self.idf[first] + self.idf[second]) * 0.5
        for line in fields["keywords"].splitlines():
            if line and line in " ".join(self.terms):
                bonus += FIELD_WEIGHTS["keywords"] * len(line.split())
        return bonus


def _document_frequency(kind: str, terms: list[str]) -> tuple[int, dict[str, int]]:
    rows = SearchEntry.select(SearchEntry.title, SearchEntry.keywords, SearchEntry.names,
                              SearchEntry.body).where(SearchEntry.kind == kind)
    count, frequency = 0, dict.fromkeys(terms, 0)
    for row in rows.tuples():
        count += 1
        tokens = set(_tokens(" ".join(row)))
        for term in terms:
            frequency[term] += term in tokens
    return count, frequency


def search(kind: str, query: str, limit: int = 20) -> list[Hit]:
    """Rank the items of a kind for a query typed with or without diacritics.

    The last word is matched as a prefix while someone is still typing ("khai si" finds
    "khai sinh"), unless the query ends with a space.
    """
    terms = query_terms(query)
    if not terms:
        return []
    count, frequency = _document_frequency(kind, terms)
    scorer = _Scorer(terms, prefix_last=not query.endswith(" "), document_count=count,
                     document_frequency=frequency)
    best: dict[str, float] = {}
    for row in _candidates(kind, terms):
        score = scorer.score(row)
        if score > best.get(row.ref, 0.0):
            best[row.ref] = score
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    return [Hit(ref, score) for ref, score in ranked[:limit]]
