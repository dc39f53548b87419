"""Text normalisation and the Whoosh analysers for Chinese text.

Index and query go through the same `fold()`: NFKC (full-width → half-width), lower case,
traditional → simplified. `fold()` keeps the string's length, so a character offset in the
folded text is the same offset in the original; snippets rely on that.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import opencc
import rjieba
from whoosh.analysis import Token, Tokenizer

DICTIONARY = Path(__file__).resolve().parent / "dictionary.txt"
_T2S = opencc.OpenCC("t2s")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).lower()
    return folded if len(folded) == 1 else ch.lower()


def fold(text: str) -> str:
    """Normalise text for matching without changing its length."""
    chars = "".join(_fold_char(ch) for ch in text)
    simplified = _T2S.convert(chars)
    if len(simplified) == len(chars):
        return simplified
    return "".join(c2 if len(c2 := _T2S.convert(c)) == 1 else c for c in chars)


@functools.cache
def load_dictionary() -> None:
    """Add our government terms (营商环境, 西海岸新区, …) to the segmenter, once per process."""
    for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            rjieba.add_word(fold(word), None, None)


def words(text: str) -> list[tuple[str, int, int]]:
    """jieba search-mode words of folded text with their offsets, punctuation dropped."""
    load_dictionary()
    return [
        (word, start, end)
        for word, start, end in rjieba.tokenize(text, mode="search")
        if word.strip() and any(ch.isalnum() for ch in word)
    ]


def chars(text: str) -> list[tuple[str, int, int]]:
    """Every Han character on its own; runs of Latin letters or digits as one token."""
    tokens: list[tuple[str, int, int]] = []
    run_start = None
    for i, ch in enumerate(text):
        if ch.isalnum() and not _is_han(ch) and ch.isascii():
            if run_start is None:
                run_start = i
            continue
        if run_start is not None:
            tokens.append((text[run_start:i], run_start, i))
            run_start = None
        if _is_han(ch) or ch.isalnum():
            tokens.append((ch, i, i + 1))
    if run_start is not None:
        tokens.append((text[run_start:], run_start, len(text)))
    return tokens


class _FoldingTokenizer(Tokenizer):
    """Folds the text, then emits tokens from `split` with sequential positions."""

    def __init__(self, split):
        self.split = split

    def __eq__(self, other):
        return type(self) is type(other) and self.split == other.split

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (text, start, end) in enumerate(self.split(fold(value)), start_pos):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def WordAnalyzer() -> _FoldingTokenizer:
    return _FoldingTokenizer(words)


def CharAnalyzer() -> _FoldingTokenizer:
    return _FoldingTokenizer(chars)
