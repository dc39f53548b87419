"""Real state-media and government news pages (saved HTML and text copies of them, from
public repositories' test data: tests/fixtures/real/news/README.md) keep the metadata a
reader sees on them (expected.json, read off the pages by hand)."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from ingest.reading import ReadOptions, read_file
from tests.conftest import FIXTURES

NEWS = FIXTURES / "real" / "news"
EXPECTED = json.loads((NEWS / "expected.json").read_text(encoding="utf-8"))
# A text copy cannot tell a kicker (引题) printed above the headline from the first line of a
# title printed on two lines, as reports are (tests/ingest/test_real_pages.py): both join.
KICKER_JOINED = {("people_1_copy.txt", "title")}


@pytest.fixture(scope="module")
def parsed() -> dict[str, dict]:
    """Each page as ingest reads it (ingest.reading: decoding and parsing, no database)."""
    found = {}
    for name in EXPECTED:
        path = str(NEWS / name)
        read = read_file(path, path, None, ReadOptions())
        assert read.status == "parsed", (name, read.error)
        article = read.parsed
        found[name] = {
            "title": article.title,
            "published_at": timezone.localtime(article.published_at).isoformat(sep=" "),
            "column": article.column or None,
            "source": article.source or None,
            "author": article.author or None,
            "body": article.body_text,
        }
    return found


def _cases(field: str) -> list:
    cases = []
    for name in sorted(EXPECTED):
        marks = []
        if (name, field) in KICKER_JOINED:
            marks = [pytest.mark.xfail(strict=True, reason="kicker joined to the title")]
        cases.append(pytest.param(name, id=name, marks=marks))
    return cases


def _spaces(text: str) -> str:
    return (text or "").replace("\u3000", " ")


@pytest.mark.parametrize("name", _cases("title"))
def test_title(parsed, name):
    assert parsed[name]["title"] == EXPECTED[name]["title"]


@pytest.mark.parametrize("name", _cases("published_at"))
def test_published_at_as_printed(parsed, name):
    printed = EXPECTED[name]["published_at"]
    found = parsed[name]["published_at"]
    assert found.startswith(printed)
    assert found.endswith("+08:00")


@pytest.mark.parametrize("field", ["column", "source", "author"])
@pytest.mark.parametrize("name", _cases("fields"))
def test_column_source_and_author(parsed, name, field):
    assert parsed[name][field] == EXPECTED[name][field]


@pytest.mark.parametrize("name", _cases("body"))
def test_body_is_the_article(parsed, name):
    body = _spaces(parsed[name]["body"]).lstrip()
    assert body.startswith(_spaces(EXPECTED[name]["body_starts"]))
    assert _spaces(EXPECTED[name]["body_contains"]) in body
