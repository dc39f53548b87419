from django.urls import reverse


def test_home_lists_both_seed_titles(client, seeds):
    response = client.get(reverse("archive:home"))
    assert response.status_code == 200
    page = response.content.decode()
    for article in seeds:
        assert article.title in page


def test_each_article_page_shows_its_title(client, seeds):
    for article in seeds:
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert f"<h1>{article.title}</h1>" in response.content.decode()


def test_unknown_article_is_a_404(client, db):
    assert client.get(reverse("archive:article", args=[999999])).status_code == 404


def test_column_page_lists_its_articles(client, seeds):
    news, _ = seeds
    response = client.get(news.column.get_absolute_url())
    assert response.status_code == 200
    assert news.title in response.content.decode()
