"""Snippets mark exactly the matched text, whole, escaped, around the best match."""

from __future__ import annotations

import re

from search.services import index_update, search_articles
from search.snippets import snippet
from tests.search.conftest import S, make_article


def snippet_for(q: str, article) -> str:
    hits = {hit.article: hit.snippet for hit in search_articles(q).hits}
    return str(hits[article])


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_one_character_is_marked_wherever_it_stands(library):
    html = snippet_for("税", library.tax_word)
    assert set(marked(html)) == {"税"}
    assert len(marked(html)) >= 5  # 营业税, 增值税收入, 税率, 纳税人, 所得税, 税负


def test_word_inside_a_longer_word_is_marked_and_nothing_else(library):
    html = snippet_for("营商", library.business)
    assert marked(html) == ["营商"]
    assert "<mark>营商</mark>环境" in html


def test_unspaced_query_marks_each_word_whole(library, seeds):
    news, _ = seeds
    html = snippet_for("西海岸新区营商环境", news)
    assert set(marked(html)) <= {"西海岸新区", "营商环境", "西海岸新区营商环境"}
    assert marked(html)


def test_traditional_text_is_marked_in_its_own_characters(library):
    html = snippet_for("营商环境", library.business_trad)
    assert marked(html) == ["營商環境"]


def test_phrase_is_marked_as_one_run(library):
    html = snippet_for('"全面深化改革"', library.reform_phrase)
    assert marked(html) == ["全面深化改革"]


def test_full_width_query_marks_half_width_text(library):
    assert marked(snippet_for("２０２４", library.year2024)) == ["2024"]


def test_latin_terms_are_marked_whole_only():
    html = str(snippet("AI与said、paid：ai。", ["ai"]))
    assert marked(html) == ["AI", "ai"]


def test_markup_in_text_is_escaped_and_marks_stay_ours(db):
    body = "<b>营商环境</b> & <script>alert(1)</script>" + S["business"][0]
    article = make_article("转义", body)
    index_update([article])
    html = snippet_for("营商环境", article)
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;<mark>营商环境</mark>&lt;/b&gt; &amp; &lt;script&gt;" in html


def test_long_text_gives_a_passage_around_the_match_without_cut_marks(db):
    body = "".join(S["plain"]) * 3 + S["business"][0] + "".join(S["plain"])
    article = make_article("长文", body)
    index_update([article])
    html = snippet_for("营商环境", article)
    text = re.sub(r"</?mark>", "", html)
    assert html.startswith("…") and html.endswith("…")
    assert len(text) <= 125
    assert text.strip("…") in body  # a real passage: no character cut or altered
    assert marked(html) == ["营商环境"]
