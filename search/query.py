"""Turn what a reader typed into a Whoosh query. Never raises on any input.

Syntax: words (unspaced Chinese is segmented), "exact phrase", -exclude, A OR B, title:word.
Every word is matched two ways: as a jieba word (ranking) or as the exact run of characters
in the per-character field (so 农业 finds 中国农业发展银行 whatever jieba did with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as q

from search.analysis import chars, fold, words

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
        exact = _run_of_chars(text, f"{name}_chars" if name == "title" else "chars")
        if exact is not None:
            options += [q.Term(name, text), exact]
    return q.Or(options) if options else None


def _phrase_query(text: str, fields: tuple[str, ...]) -> q.Query | None:
    names = ["title_chars"] + ([] if fields == ("title",) else ["chars"])
    options = [o for o in (_run_of_chars(text, name) for name in names) if o is not None]
    return q.Or(options) if options else None


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
