"""Turn what a reader typed into a Whoosh query. Never raises on any input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as q

from search.analysis import chars, fold, words

TOKEN = re.compile(r'(?P<neg>-)?(?:(?P<field>title):)?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+))')
MAX_QUERY_CHARS = 200


@dataclass
class ParsedQuery:
    query: q.Query | None
    terms: list[str] = field(default_factory=list)  # folded strings to mark in snippets

    @property
    def empty(self) -> bool:
        return self.query is None


def _run_of_chars(text: str, fieldname: str) -> q.Query | None:
    """Exactly this run of characters, whatever jieba does with it."""
    units = [token for token, _, _ in chars(text)]
    if not units:
        return None
    if len(units) == 1:
        return q.Term(fieldname, units[0])
    return q.Phrase(fieldname, units)


def _word_query(text: str, fields: tuple[str, ...]) -> q.Query | None:
    """One word: its jieba token where jieba agrees, else the exact run of characters."""
    options: list[q.Query] = []
    for name in fields:
        options.append(q.Term(name, text))
        exact = _run_of_chars(text, f"{name}_chars" if name == "title" else "chars")
        if exact is not None:
            options.append(exact)
    return q.Or(options) if options else None


def _segment(text: str) -> list[str]:
    """Split an unspaced query into its words (longest first for overlapping ones)."""
    found = sorted(words(text), key=lambda w: (w[1], -(w[2] - w[1])))
    picked: list[str] = []
    end = 0
    for word, start, stop in found:
        if start >= end:
            picked.append(word)
            end = stop
    if end < len(text):
        picked.extend(tok for tok, s, _ in chars(text[end:]) if tok)
    return picked or [text]


def parse_query(raw: str) -> ParsedQuery:
    text = fold(raw or "")[:MAX_QUERY_CHARS]
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    must: list[q.Query] = []
    optional: list[q.Query] = []
    excluded: list[q.Query] = []
    terms: list[str] = []
    widen_next = False
    for match in TOKEN.finditer(text):
        if match["word"] == "or":
            widen_next = True
            continue
        fields = ("title",) if match["field"] else ("text", "title")
        pieces = [match["phrase"]] if match["phrase"] is not None else _segment(match["word"])
        parts = [
            p
            for p in (_piece(piece, fields, exact=match["phrase"] is not None) for piece in pieces)
            if p
        ]
        if not parts:
            continue
        clause = parts[0] if len(parts) == 1 else q.And(parts)
        if match["neg"]:
            excluded.append(clause)
            continue
        terms.extend(p for p in pieces if p.strip())
        if widen_next and must:
            must[-1] = q.Or([must[-1], clause])
        else:
            must.append(clause)
        widen_next = False
    if not must:
        return ParsedQuery(None)
    query: q.Query = must[0] if len(must) == 1 else q.And(must)
    if optional:
        query = q.AndMaybe(query, q.Or(optional))
    if excluded:
        query = q.AndNot(query, q.Or(excluded))
    return ParsedQuery(query, terms)


def _piece(text: str, fields: tuple[str, ...], *, exact: bool) -> q.Query | None:
    text = text.strip()
    if not text:
        return None
    if exact:
        options = [
            _run_of_chars(text, "title_chars"),
            None if fields == ("title",) else _run_of_chars(text, "chars"),
        ]
        options = [o for o in options if o is not None]
        return q.Or(options) if options else None
    return _word_query(text, fields)
