"""What a query finds, on a real index built from real text."""

from __future__ import annotations

import pytest

from search.services import search_articles


def found(q: str, **filters) -> list:
    return [hit.article for hit in search_articles(q, **filters).hits]


def test_one_character_finds_it_alone_and_inside_words(library):
    # 税 stands in 税收, 增值税, 税费 … and 税 in the title of none of these.
    assert set(found("税")) == {library.tax_word, library.tax_char}


def test_word_inside_a_longer_word_is_found(library, seeds):
    assert library.bank in found("农业")  # inside 中国农业发展银行 and 中国农业银行
    assert library.bank in found("农业发展银行")
    assert library.business in found("营商")  # inside 营商环境
    news, interview = seeds
    assert {news, interview, library.west_only} <= set(found("西海岸"))


def test_unspaced_query_ranks_all_words_above_some(library, seeds):
    ranked = found("西海岸新区营商环境")
    news, interview = seeds
    with_both = {news, interview}
    assert set(ranked[:2]) == with_both
    assert {library.west_only, library.business} <= set(ranked[2:])
    assert library.ai_body not in ranked


def test_title_match_outranks_body_only_match(library):
    ranked = found("人工智能")
    assert ranked == [library.ai_title, library.ai_body]


def test_quoted_phrase_matches_that_run_of_characters_only(library, seeds):
    news, _ = seeds
    phrase = set(found('"全面深化改革"'))
    assert phrase == {library.reform_phrase, news}
    # The same words apart (深化…改革…全面) are not the phrase.
    assert library.reform_apart in found("全面 深化 改革")


def test_phrase_does_not_cross_punctuation(library):
    # One text says 营造市场化、法治化, the other 营造市场化法治化 (in traditional characters).
    assert set(found('"营造市场化"')) == {library.business, library.business_trad}
    assert found('"营造市场化法治化"') == [library.business_trad]
    assert found('"环境让"') == []  # 营商环境，让外资 …


def test_traditional_and_simplified_are_the_same(library):
    both = {library.business, library.business_trad}
    assert set(found("营商环境")) == both
    assert set(found("營商環境")) == both


def test_full_width_half_width_and_case_are_the_same(library):
    assert found("２０２４") == found("2024") == [library.year2024]
    assert found("ai") == found("ＡＩ") == found("AI") == [library.latin]


def test_minus_excludes_or_widens_title_targets(library):
    assert set(found("税 -税收")) == {library.tax_char}
    assert set(found("人工智能 OR 税收")) == {library.ai_title, library.ai_body, library.tax_word}
    assert found("title:人工智能") == [library.ai_title]
    assert found("title:税") == []


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"column": "部门动态"}, {"business", "business_trad"}),
        ({"column": "c-部门动态"}, {"business", "business_trad"}),  # the slug works too
        ({"source": "人民网"}, {"business_trad"}),
        ({"date_from": "2023-01-01"}, {"business"}),
        ({"date_to": "2023-01-01"}, {"business_trad"}),
    ],
)
def test_filters_narrow_the_results(library, filters, expected):
    import datetime as dt

    for key in ("date_from", "date_to"):
        if key in filters:
            filters[key] = dt.date.fromisoformat(filters[key])
    assert {a for a in found("营商环境", **filters)} == {getattr(library, n) for n in expected}


def test_date_range_is_inclusive_of_whole_days(library):
    import datetime as dt

    day = dt.date(2024, 6, 2)
    assert found("营商环境", date_from=day, date_to=day) == [library.business]


def test_facets_count_the_result_set(library):
    page = search_articles("营商环境")
    assert page.count == 2
    assert page.facets["column"] == [("部门动态", 2)]
    assert dict(page.facets["source"]) == {"青岛日报": 1, "人民网": 1}
    assert page.facets["year"] == [("2024", 1), ("2022", 1)]
    filtered = search_articles("营商环境", source="人民网")
    assert filtered.facets["source"] == [("人民网", 1)]
    assert filtered.facets["year"] == [("2022", 1)]


def test_sort_newest_and_oldest(library):
    q = "改革"
    newest = found(q, sort="newest")
    dates = [a.published_at for a in newest]
    assert dates == sorted(dates, reverse=True)
    assert found(q, sort="oldest") == newest[::-1]


def test_pagination_total_and_out_of_range_page(db):
    from search.services import PAGE_SIZE, index_update
    from tests.search.conftest import S, make_article

    sentences = S["plain"] + S["ai"] + S["business"]
    articles = [
        make_article(f"第{i}篇 人民", sentences[i % len(sentences)] + f"（{i}）", day=None)
        for i in range(PAGE_SIZE + 5)
    ]
    index_update(articles)
    first = search_articles("人民")
    assert (first.count, first.pages, len(first.hits)) == (PAGE_SIZE + 5, 2, PAGE_SIZE)
    second = search_articles("人民", page=2)
    assert len(second.hits) == 5
    assert not {h.article for h in first.hits} & {h.article for h in second.hits}
    beyond = search_articles("人民", page=99)
    assert (beyond.page, len(beyond.hits)) == (2, 5)


def test_phrase_matches_when_a_position_gap_is_46(db):
    # whoosh-ng stores positions as varints and misreads a value ending in b"." (46).
    from search.services import index_update
    from tests.search.conftest import make_article

    article = make_article("间隔", "环" + "一" * 45 + "环境")  # 环 at positions 0 and 46
    index_update([article])
    assert found('"一环境"') == [article]


def test_counts_and_facets_follow_index_changes(library):
    # Totals and facet counts are cached per searcher: a changed index must recount.
    from search.services import index_remove, index_update
    from tests.search.conftest import make_article

    before = search_articles("营商环境")
    assert before.count == 2
    added = make_article("优化营商环境", "持续优化营商环境。", column="新栏目", day="2021-03-01")
    index_update([added])
    after = search_articles("营商环境")
    assert after.count == 3
    assert ("新栏目", 1) in after.facets["column"]
    assert ("2021", 1) in after.facets["year"]
    index_remove([added])
    assert search_articles("营商环境").facets == before.facets
