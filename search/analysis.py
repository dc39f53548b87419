"""Text normalisation and the Whoosh analysers for Chinese text.

Index and query go through the same `fold()`: NFKC (full-width → half-width), lower case,
traditional → simplified. `fold()` keeps the string's length, so a character offset in the
folded text is the same offset in the original; snippets rely on that.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import opencc
import rjieba
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.formats import Positions

DICTIONARY = Path(__file__).resolve().parent / "dictionary.txt"
_T2S = opencc.OpenCC("t2s")


# The 256-code-point blocks outside the BMP where NFKC or lower() changes a character into
# one other character (found by scanning all of Unicode once): mathematical letters, enclosed
# alphanumerics, CJK compatibility ideographs, a few scripts' upper case.
_ASTRAL_BLOCKS = (
    0x10400, 0x10500, 0x10700, 0x10C00, 0x11800, 0x16E00, 0x1D400, 0x1D500, 0x1D600,
    0x1D700, 0x1E900, 0x1EE00, 0x1F100, 0x1F200, 0x1FB00, 0x2F800, 0x2F900, 0x2FA00,
)  # fmt: skip


@functools.cache
def _fold_table() -> dict[int, str]:
    """Code point → its one-character NFKC lower-case form, where that differs (~4,000
    entries, built once in ~30 ms): str.translate then folds in C, not char by char."""
    table = {}
    points = itertools.chain(range(0x10000), *(range(b, b + 0x100) for b in _ASTRAL_BLOCKS))
    for point in points:
        ch = chr(point)
        folded = unicodedata.normalize("NFKC", ch).lower()
        if len(folded) != 1:
            folded = ch.lower()  # e.g. ㈠ → (一) would change the length: lower case only
        if len(folded) == 1 and folded != ch:
            table[point] = folded
    return table


_ARRAY_LIMIT = 0x30000  # the table's range: every code point _fold_table() may change
_ARRAY_MIN_CHARS = 256  # below this, str.translate is faster than a round trip via numpy


@functools.cache
def _fold_array() -> np.ndarray:
    """_fold_table() as a lookup array: an article body folds ~5× faster this way."""
    array = np.arange(_ARRAY_LIMIT, dtype=np.uint32)
    for point, folded in _fold_table().items():
        array[point] = ord(folded)
    return array


def _translate(text: str) -> str:
    if len(text) < _ARRAY_MIN_CHARS:
        return text.translate(_fold_table())
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if codes.max() < _ARRAY_LIMIT:
        return _fold_array()[codes].tobytes().decode("utf-32-le")
    folded = codes.copy()
    inside = codes < _ARRAY_LIMIT
    folded[inside] = _fold_array()[codes[inside]]
    return folded.tobytes().decode("utf-32-le")


def fold(text: str) -> str:
    """Normalise text for matching without changing its length."""
    chars = _translate(text)
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


def words(text: str, *, hmm: bool = True) -> list[tuple[str, int, int]]:
    """jieba search-mode words of folded text with their offsets, punctuation dropped.
    hmm=False: dictionary words only (no guessed new words), for splitting a query."""
    load_dictionary()
    return [
        (word, start, end)
        for word, start, end in rjieba.tokenize(text, mode="search", hmm=hmm)
        if word.isalnum() or any(ch.isalnum() for ch in word)  # the first test is the fast one
    ]


# After fold(): a run of ASCII letters/digits is one unit, any other letter or digit (a Han
# character above all) is a unit on its own; everything else separates units.
_CHAR_UNIT = re.compile(r"[0-9a-z]+|[^\W_]")
_UNIT_RUN = re.compile(r"[^\W_]+")
_ASCII_UNIT = re.compile(r"[0-9a-z]")


def chars(text: str) -> list[tuple[str, int, int]]:
    """Every Han character on its own; runs of Latin letters or digits as one token."""
    return [(m.group(), m.start(), m.end()) for m in _CHAR_UNIT.finditer(text)]


def _unit_runs(text: str):
    """(position of its first unit, its units) for each run of units without a gap between
    them; a gap takes a position of its own."""
    pos, last_end = -1, 0
    for run in _UNIT_RUN.finditer(text):
        piece = run.group()
        # Mostly Han characters, one unit each: the string itself is the list of units.
        units = _CHAR_UNIT.findall(piece) if _ASCII_UNIT.search(piece) else piece
        first = pos + (1 if run.start() == last_end else 2)
        yield first, units
        pos, last_end = first + len(units) - 1, run.end()


def bigram_positions(text: str) -> dict[str, list[int]]:
    """Each pair of adjacent units of folded text (overlapping: 全面深化 → 全面 面深 深化) with
    its positions. Pairs never span a gap (punctuation, a line break), and a gap takes a
    position too, so a quoted phrase never matches across a comma or a paragraph."""
    positions: dict[str, list[int]] = {}
    for first, units in _unit_runs(text):
        for at, pair in enumerate(map(operator.add, units, units[1:]), first):
            found = positions.get(pair)
            if found is None:
                positions[pair] = [at]
            else:
                found.append(at)
    return positions


def pair_count(text: str) -> int:
    """How many pairs bigram_positions() finds in folded text (without finding them)."""
    return sum(len(units) - 1 for _, units in _unit_runs(text))


def bigrams(units: list[str]) -> list[str]:
    """The overlapping pairs of a run of units, as bigram_positions() indexes them."""
    return [a + b for a, b in itertools.pairwise(units)]


def _bigram_tokens(text: str) -> list[tuple[str, int, int]]:
    """Bigram tokens with offsets, for Whoosh's generic analyser path (the query parser,
    highlighting); positions here are not those of bigram_positions()."""
    found = list(_CHAR_UNIT.finditer(text))
    return [
        (a.group() + b.group(), a.start(), b.end())
        for a, b in itertools.pairwise(found)
        if a.end() == b.start()
    ]


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
        pos, last_end = start_pos - 1, None
        for text, start, end in self.split(fold(value)):
            pos += 1 if last_end in (None, start) else 2  # a gap takes a position
            last_end = end
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


def _frequency_arrays(counts: Counter, field_boost: float):
    """(terms, frequencies, weights, values joined) for a Frequency-format field."""
    freqs = list(counts.values())
    terms = list(counts)
    values = np.array(freqs, dtype=">u4").tobytes()  # pack_uint(freq) for each, at once
    return terms, freqs, [freq * field_boost for freq in freqs], values


def _as_postings(arrays, value_size: int | None):
    """Whoosh's field.index() items from index_arrays() output."""
    terms, freqs, weights, values = arrays
    if value_size:  # fixed size, joined
        values = [values[i * value_size : (i + 1) * value_size] for i in range(len(terms))]
    terms = [term.encode("utf-8") for term in terms]
    return zip(terms, freqs, weights, values, strict=True)


class WordsText(TEXT):
    """TEXT with the words analyser and direct index_arrays() (for search.segments):
    Whoosh's generic path spends ~6 µs per token on Token objects."""

    def __init__(self, **kwargs):
        super().__init__(analyzer=WordAnalyzer(), phrase=False, **kwargs)

    def index_arrays(self, value):
        counts = Counter(word for word, _, _ in words(fold(value)))
        return _frequency_arrays(counts, self.format.field_boost)

    def index(self, value, **kwargs):
        return _as_postings(self.index_arrays(value), self.format.fixed_value_size())


class SafePositions(Positions):
    """whoosh-ng 5.4.0's Positions.decode_positions() takes any value ending in b"." for a
    legacy pickle and fails (UnpicklingError) — e.g. when the last position gap is 46.
    The decoder reads exactly the count it was told, so a padding byte makes it safe."""

    def encode(self, poslist):
        value = super().encode(poslist)
        return value + b"\x00" if value.endswith(b".") else value


class CharsText(TEXT):
    """Every character unit once per document, without positions: one-character queries
    need only "which documents contain 税"; longer runs go to BigramsText."""

    def __init__(self, **kwargs):
        super().__init__(analyzer=CharAnalyzer(), phrase=False, **kwargs)

    def index_arrays(self, value):
        counts = Counter(_CHAR_UNIT.findall(fold(value)))
        return _frequency_arrays(counts, self.format.field_boost)

    def index(self, value, **kwargs):
        return _as_postings(self.index_arrays(value), self.format.fixed_value_size())


class BigramsText(TEXT):
    """Overlapping pairs of character units with positions: a two-character word is one
    term, a longer run a phrase of pairs. Pairs are far rarer than single characters, so
    a phrase reads far fewer position lists (see bench/search_queries)."""

    def __init__(self, **kwargs):
        super().__init__(analyzer=_FoldingTokenizer(_bigram_tokens), phrase=True, **kwargs)
        self.format = SafePositions(field_boost=self.format.field_boost)

    def index_arrays(self, value):
        fb, encode = self.format.field_boost, self.format.encode
        positions = bigram_positions(fold(value))
        terms = list(positions)
        freqs = [len(poslist) for poslist in positions.values()]
        single = _single_positions(type(self.format))
        values = [
            single[poslist[0]] if len(poslist) == 1 and poslist[0] < SINGLE_POSITIONS
            else encode(poslist)
            for poslist in positions.values()
        ]  # fmt: skip
        return terms, freqs, [freq * fb for freq in freqs], values

    def index_length(self, value) -> int:
        """The field's length for a value (how many pairs it holds) without its postings,
        for a writer whose helper process indexes this field (search.segment_helper)."""
        return pair_count(fold(value))

    def index(self, value, **kwargs):
        """Whoosh's interface, without the shared encodings (as Whoosh's own writer sees it)."""
        fb, encode = self.format.field_boost, self.format.encode
        for pair, poslist in bigram_positions(fold(value)).items():
            yield pair.encode("utf-8"), len(poslist), len(poslist) * fb, encode(poslist)


SINGLE_POSITIONS = 1 << 14  # most pairs occur once in an article: their encodings, made once


@functools.cache
def _single_positions(format_class) -> list[bytes]:
    encode = format_class().encode
    return [encode([pos]) for pos in range(SINGLE_POSITIONS)]
