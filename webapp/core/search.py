"""One search that forgives missing diacritics and everyday words, for every kind of content.

Why not the databases' own full-text search: SQLite's FTS5 never folds "đ" and PostgreSQL's
needs extensions, while the catalogue must rank identically on both. So each searchable item
stores folded text in `search_entry`; each process keeps the tokenized entries of a kind in
memory (reloaded when a cheap signature query says they changed), and a small BM25-like scorer
ranks them, weighting titles and everyday keywords above body text and rewarding words that
appear side by side as in the query.
"""

from __future__ import annotations

import bisect
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import CharField, TextField, fn

from webapp.core.db import BaseModel, database
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
# How results are shown: a handful of strong matches, then a few weaker ones apart ("Có thể
# Ông/Bà cần"), and nothing below a third of the best score. Measured on everyday queries of
# the catalogue (tests/catalogue/test_search.py): below a third come items that share one
# common word with the query ("sổ" of "sổ đỏ" in "sổ hộ khẩu"), which people read as noise.
STRONG_SHARE = 0.5
WEAK_SHARE = 1 / 3
MAX_STRONG = 5
MAX_WEAK = 4


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
    coverage: float = 1.0  # the share of the query's words the item matched


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


@dataclass(frozen=True)
class _Document:
    ref: str
    fields: dict[str, str]
    tokens: dict[str, frozenset[str]]
    sorted_tokens: dict[str, tuple[str, ...]]  # for prefix look-ups by bisection
    all_tokens: frozenset[str]


class _CorpusCache:
    """Tokenized entries per kind, shared by the requests of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[int, str], tuple[tuple, list[_Document]]] = {}

    @staticmethod
    def _signature(kind: str) -> tuple:
        size = fn.SUM(fn.LENGTH(SearchEntry.title) + fn.LENGTH(SearchEntry.keywords)
                      + fn.LENGTH(SearchEntry.names) + fn.LENGTH(SearchEntry.body))
        query = SearchEntry.select(fn.COUNT(SearchEntry.id), fn.MAX(SearchEntry.id), size)
        return tuple(query.where(SearchEntry.kind == kind).tuples().get())

    @staticmethod
    def _load(kind: str) -> list[_Document]:
        documents = []
        for row in SearchEntry.select().where(SearchEntry.kind == kind):
            fields = {name: getattr(row, name) for name in FIELD_WEIGHTS}
            tokens = {name: frozenset(_tokens(text)) for name, text in fields.items()}
            ordered = {name: tuple(sorted(words)) for name, words in tokens.items()}
            everything = frozenset().union(*tokens.values())
            documents.append(_Document(row.ref, fields, tokens, ordered, everything))
        return documents

    def documents(self, kind: str) -> list[_Document]:
        key = (id(database.obj), kind)  # tests bind several databases in one process
        signature = self._signature(kind)
        cached = self._entries.get(key)
        if cached and cached[0] == signature:
            return cached[1]
        with self._lock:
            documents = self._load(kind)
            self._entries[key] = (signature, documents)
        return documents


_corpus = _CorpusCache()


class _Scorer:
    """Scores one query against documents; idf comes from the whole kind."""

    def __init__(self, terms: list[str], prefix_last: bool, documents: list[_Document]):
        self.terms = terms
        self.prefix_last = prefix_last
        count = len(documents)
        self.idf = {}
        for term in terms:
            frequency = sum(term in doc.all_tokens for doc in documents)
            self.idf[term] = math.log(1 + (count + 1) / (frequency + 0.5))

    def _matches(self, term: str, index: int, doc: _Document, field: str) -> bool:
        if term in doc.tokens[field]:
            return True
        if not (self.prefix_last and index == len(self.terms) - 1 and len(term) >= 2):
            return False
        ordered = doc.sorted_tokens[field]
        position = bisect.bisect_left(ordered, term)
        return position < len(ordered) and ordered[position].startswith(term)

    def score(self, doc: _Document) -> tuple[float, float]:
        """The item's score and the share of the query's words it matched."""
        total, matched = 0.0, 0
        for i, term in enumerate(self.terms):
            best = max((FIELD_WEIGHTS[name] for name in FIELD_WEIGHTS
                        if self._matches(term, i, doc, name)), default=0.0)
            if best:
                matched += 1
                total += best * self.idf[term]
        if not matched:
            return 0.0, 0.0
        total += self._phrase_bonus(doc.fields)
        coverage = matched / len(self.terms)
        # Prefer items that explain the whole request over those matching one common word.
        return total * coverage ** 2, coverage

    def _phrase_bonus(self, fields: dict[str, str]) -> float:
        bonus = 0.0
        for first, second in zip(self.terms, self.terms[1:], strict=False):
            pair = f"{first} {second}"
            weight = max((FIELD_WEIGHTS[n] for n, text in fields.items() if pair in text),
                         default=0.0)
            bonus += weight * (self.idf[first] + self.idf[second]) * 0.5
        joined = " ".join(self.terms)
        for line in fields["keywords"].splitlines():
            if line and line in joined:
                bonus += FIELD_WEIGHTS["keywords"] * len(line.split())
        return bonus


def search(kind: str, query: str, limit: int = 20) -> list[Hit]:
    """Rank the items of a kind for a query typed with or without diacritics.

    The last word is matched as a prefix while someone is still typing ("khai si" finds
    "khai sinh"), unless the query ends with a space. An item indexed in several languages
    counts once, with its best score.
    """
    terms = query_terms(query)
    if not terms:
        return []
    documents = _corpus.documents(kind)
    scorer = _Scorer(terms, prefix_last=not query.endswith(" "), documents=documents)
    best: dict[str, Hit] = {}
    for doc in documents:
        score, coverage = scorer.score(doc)
        if score > (best[doc.ref].score if doc.ref in best else 0.0):
            best[doc.ref] = Hit(doc.ref, score, coverage)
    return sorted(best.values(), key=lambda hit: (-hit.score, hit.ref))[:limit]


@dataclass(frozen=True)
class Tiers:
    strong: list[Hit]  # what she most likely means: a handful at most
    weak: list[Hit]  # related items worth offering under a heading of their own


def tiers(hits: list[Hit]) -> Tiers:
    """Split ranked hits into strong and weaker matches; the rest is left out.

    A strong match scores at least half the best and matches every word of the query; the
    best hit is always strong. Ties beyond MAX_STRONG go to the weaker ones.
    """
    if not hits:
        return Tiers([], [])
    best = hits[0].score
    strong = [hits[0]] + [hit for hit in hits[1:] if hit.score >= STRONG_SHARE * best
                          and hit.coverage == 1.0][:MAX_STRONG - 1]
    weak = [hit for hit in hits if hit not in strong and hit.score >= WEAK_SHARE * best]
    return Tiers(strong, weak[:MAX_WEAK])
