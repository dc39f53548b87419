from django.urls import reverse


def search(client, q: str):
    return client.get(reverse("search:page"), {"q": q})


def test_business_environment_ranks_the_interview_first(client, seeds):
    # The interview is about 营商环境; the news piece mentions it once in passing.
    news, interview = seeds
    response = search(client, "营商环境")
    assert response.status_code == 200
    assert [h.article for h in response.context["results"].hits] == [interview, news]


def test_reform_finds_both_seeds_with_highlighted_snippets(client, seeds):
    response = search(client, "改革")
    hits = response.context["results"].hits
    assert {h.article for h in hits} == set(seeds)
    assert "<mark>改革</mark>" in response.content.decode()


def test_empty_query_shows_the_form_not_an_error(client, db):
    response = search(client, "")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="q"' in page
    assert "找到" not in page


def test_query_with_no_match_says_so(client, seeds):
    response = search(client, "量子计算机")
    assert response.status_code == 200
    assert "没有找到" in response.content.decode()
