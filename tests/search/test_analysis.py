"""The analysers: what each field indexes for a piece of text."""

from __future__ import annotations

import re

import pytest

from search.analysis import BigramsText, CharsText, WordsText, bigram_positions, fold
from tests.conftest import FIXTURES

UNIT = re.compile(r"[0-9a-z]+|[^\W_]")


def pairs_by_definition(text: str) -> dict[str, list[int]]:
    """Units one by one: each unit takes the next position, a gap before it one more; a
    pair is two units with no gap between them, at the first one's position."""
    positions: dict[str, list[int]] = {}
    pos, last_end, previous = -1, 0, ""
    for match in UNIT.finditer(text):
        adjacent = match.start() == last_end
        pos += 1 if adjacent else 2
        if adjacent and previous:
            positions.setdefault(previous + match.group(), []).append(pos - 1)
        previous, last_end = match.group(), match.end()
    return positions


@pytest.mark.parametrize(
    "text",
    [
        "全面深化改革",
        "，全面深化改革。全面深化",
        "2024年ai政务服务上线，gdp增长5.2%",
        "abc",
        "。",
        "",
        "第一段\n\n第二段 第三段",
        "café和ｄｅｆ",
    ],
)
def test_pairs_and_positions_follow_the_definition(text):
    assert bigram_positions(fold(text)) == pairs_by_definition(fold(text))


def test_pairs_and_positions_follow_the_definition_on_real_articles():
    for path in sorted((FIXTURES / "generated").glob("*.txt"))[:60]:
        text = fold(path.read_bytes().decode("utf-8", errors="replace"))
        assert bigram_positions(text) == pairs_by_definition(text), path.name


@pytest.mark.parametrize("field", [WordsText(), CharsText(), BigramsText(field_boost=3.0)])
def test_the_fast_arrays_hold_what_whoosh_would_index(field):
    text = (FIXTURES / "000_52e4610920f729cf.txt").read_text(encoding="utf-8")
    terms, freqs, weights, values = field.index_arrays(text)
    items = list(field.index(text))
    assert [t.encode() for t in terms] == [item[0] for item in items]
    assert freqs == [item[1] for item in items]
    assert weights == [item[2] for item in items]
    size = field.format.fixed_value_size()
    if size:
        values = [values[i * size : (i + 1) * size] for i in range(len(terms))]
    assert values == [item[3] for item in items]
    decoded = [field.format.decode_frequency(v) for v in values]
    assert decoded == freqs


def test_one_character_and_a_latin_run_are_single_units():
    terms, freqs, _, _ = CharsText().index_arrays("税收、ＡＩ与ai，税")
    counted = dict(zip(terms, freqs, strict=True))
    assert counted == {"税": 2, "收": 1, "ai": 2, "与": 1}


def test_the_pair_count_is_the_pairs_field_length():
    field = BigramsText()
    for path in sorted((FIXTURES / "generated").glob("*.txt"))[:40]:
        text = path.read_bytes().decode("utf-8", errors="replace")
        _, freqs, _, _ = field.index_arrays(text)
        assert field.index_length(text) == sum(freqs), path.name
    assert field.index_length("ai政务，服务") == 3  # ai政 政务 / 服务
