"""Turn what a reader typed into a Whoosh query. Never raises on any input.

Syntax: words (unspaced Chinese is segmented), "exact phrase", -exclude, A OR B, title:word.
Every word matches as the exact run of characters (so 农业 finds 中国农业发展银行 whatever jieba
did with it): one character in the `chars` field, two as one term of the `bigrams` field, more
as a phrase of overlapping pairs there. For a run of three or more, its jieba word adds to
the score where jieba agrees (and tells search.counting which documents need no position
check); for one or two characters the exact term alone ranks as well, read at half the cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as q

from search.analysis import bigrams, chars, fold, words

TOKEN = re.compile(r'(?P<neg>-)?(?:(?P<field>title):)?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+))')
MAX_QUERY_CHARS = 200
MAX_CLAUSES = 24
# An unspaced query means all its words; articles with only some of them still come, but
# after every article with all of them: the all-words clause is boosted far above any score
# a partial match can reach (BM25F scores here stay well under 100).
ALL_WORDS_BOOST = 1000.0


@dataclass
class ParsedQuery:
    query: q.Query | None
    terms: list[str] = field(default_factory=list)  # folded strings to mark in snippets
    words: list[str] = field(default_factory=list)  # the positive words, for suggestions

    @property
    def empty(self) -> bool:
        return self.query is None


def _units(text: str) -> list[str]:
    return [token for token, _, _ in chars(text)]


def _run_of_chars(units: list[str], prefix: str) -> q.Query:
    """Exactly this run of character units, whatever jieba does with it (prefix: "" for
    the body fields, "title_" for the title's)."""
    if len(units) == 1:
        return q.Term(f"{prefix}chars", units[0])
    pairs = bigrams(units)
    if len(pairs) == 1:
        return q.Term(f"{prefix}bigrams", pairs[0])
    return q.Phrase(f"{prefix}bigrams", pairs)


def _prefixes(fields: tuple[str, ...]) -> list[str]:
    return ["title_" if name == "title" else "" for name in fields]


def _word_query(text: str, fields: tuple[str, ...]) -> q.Query | None:
    """One word: the exact run of characters matches; its jieba token adds to the score."""
    units = _units(text)
    if not units:
        return None
    exact = q.Or([_run_of_chars(units, prefix) for prefix in _prefixes(fields)])
    ranking = q.Or([q.Term(name, text) for name in fields])
    if "".join(units) != text:  # e.g. 3.5: jieba's token may match where the run cannot
        return q.Or([exact, ranking])
    if len(units) <= 2:
        # One term per field already says where the run is; the jieba word would only
        # double the postings read for the same ranking (search.ranking).
        return exact
    # The jieba token occurs only where the run does, so it need not be matched on its own;
    # AndMaybe scores the same as Or (the sum of what matched) without searching for it.
    return q.AndMaybe(exact, ranking)


def _phrase_query(text: str, fields: tuple[str, ...]) -> q.Query | None:
    units = _units(text)
    if not units:
        return None
    prefixes = ["title_"] + ([] if fields == ("title",) else [""])
    return q.Or([_run_of_chars(units, prefix) for prefix in prefixes])


def segment(text: str) -> list[str]:
    """Split an unspaced query into its words (longest first for overlapping ones)."""
    found = sorted(words(text, hmm=False), key=lambda w: (w[1], -(w[2] - w[1])))
    picked: list[str] = []
    end = 0
    for word, start, stop in found:
        if start >= end:
            picked.append(word)
            end = stop
    if end < len(text):
        picked.extend(tok for tok, _, _ in chars(text[end:]))
    return picked or [text]


def clean(raw: str) -> str:
    """Folded, printable, bounded: what the parser and the page work with."""
    text = fold(raw or "")[:MAX_QUERY_CHARS]
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _clause(match: re.Match) -> tuple[q.Query | None, list[str], str]:
    """The query for one token of the input, the strings to mark, the text to show."""
    fields = ("title",) if match["field"] else ("text", "title")
    if match["phrase"] is not None:
        text = match["phrase"].strip()
        return _phrase_query(text, fields), [text] if text else [], text
    pieces = [p for p in segment(match["word"]) if chars(p)][:MAX_CLAUSES]
    parts = [p for p in (_word_query(piece, fields) for piece in pieces) if p is not None]
    if not parts:
        return None, [], ""
    if len(parts) == 1:
        return parts[0], pieces, match["word"]
    every = q.And(parts, boost=ALL_WORDS_BOOST)
    words_only = [p for piece, p in zip(pieces, parts, strict=True) if len(piece) > 1]
    if len(words_only) < 2:  # a stray character is not "some of the words": require all
        return every, [match["word"], *pieces], match["word"]
    return q.Or([every, *words_only]), [match["word"], *pieces], match["word"]


def parse_query(raw: str) -> ParsedQuery:
    must: list[q.Query] = []
    excluded: list[q.Query] = []
    terms: list[str] = []
    shown: list[str] = []
    widen_next = False
    for match in list(TOKEN.finditer(clean(raw)))[:MAX_CLAUSES]:
        if match["word"] == "or" and not match["neg"] and not match["field"]:
            widen_next = bool(must)
            continue
        if match["neg"]:  # -词 excludes every article containing that run of characters
            fields = ("title",) if match["field"] else ("text", "title")
            text = match["phrase"] if match["phrase"] is not None else match["word"]
            if (clause := _phrase_query(text.strip(), fields)) is not None:
                excluded.append(clause)
            continue
        clause, marks, text = _clause(match)
        if clause is None:
            continue
        terms.extend(marks)
        shown.append(text)
        if widen_next:
            must[-1] = q.Or([must[-1], clause])
        else:
            must.append(clause)
        widen_next = False
    if not must:
        return ParsedQuery(None)
    query: q.Query = must[0] if len(must) == 1 else q.And(must)
    if excluded:
        query = q.AndNot(query, q.Or(excluded))
    return ParsedQuery(query, terms, shown)
