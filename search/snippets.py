"""Snippets: a passage around the best match, whole matched strings in <mark>."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.analysis import fold

CONTEXT = 60


def _pattern(term: str) -> str:
    # A Latin or digit run matches whole, as in the index: "ai" is not marked inside "said".
    head = r"(?<![0-9a-z])" if term[0].isascii() and term[0].isalnum() else ""
    tail = r"(?![0-9a-z])" if term[-1].isascii() and term[-1].isalnum() else ""
    return f"{head}{re.escape(term)}{tail}"


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of the terms in text, longest term first."""
    unique = sorted({fold(t).strip() for t in terms} - {""}, key=len, reverse=True)
    if not unique:
        return []
    pattern = re.compile("|".join(_pattern(t) for t in unique))
    return [m.span() for m in pattern.finditer(fold(text))]


def snippet(text: str, terms: list[str], length: int = 2 * CONTEXT) -> SafeString:
    """An escaped passage of about `length` characters around the densest matches."""
    spans = match_spans(text, terms)
    if not spans:
        return mark_safe(escape(text[:length]) + ("…" if len(text) > length else ""))
    start = max(0, _densest(spans, length) - CONTEXT // 2)
    end = min(len(text), start + length)
    return _render(text, spans, start, end)


def _densest(spans: list[tuple[int, int]], length: int) -> int:
    """Where the window of `length` characters starting at a match holds the most matches
    (the first such match; spans are in text order)."""
    best, most, end = spans[0][0], 0, 0
    for i, (start, _) in enumerate(spans):
        while end < len(spans) and spans[end][0] < start + length:
            end += 1
        if end - i > most:
            best, most = start, end - i
    return best


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> SafeString:
    out = ["…" if start > 0 else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        out.append(escape(text[cursor:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    out.append(escape(text[cursor:end]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))
