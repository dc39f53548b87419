import datetime as dt
import xml.etree.ElementTree as ET

from django.test import RequestFactory
from django.urls import reverse

from archive.models import RawDocument
from archive.views import server_error
from config import urls as root_urls
from tests.archive.factories import local, make_article, make_series

ATOM = "{http://www.w3.org/2005/Atom}"


def test_latest_rss_feed_lists_newest_articles_first(client, db):
    old, new = make_series(2, start=local(2024, 1, 1), step=dt.timedelta(days=1))
    response = client.get(reverse("archive:rss"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == [new.title, old.title]
    link = channel.find("item").findtext("link")
    assert link == f"http://testserver/articles/{new.pk}/"


def test_column_atom_feed_only_has_that_column(client, db):
    mine = make_article(published_at=local(2024, 2, 1), column="通知公告", summary="摘要一")
    make_article(published_at=local(2024, 2, 2), column="政务要闻")
    response = client.get(reverse("archive:column-atom", args=[mine.column.slug]))
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "政务新闻档案 · 通知公告"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [mine.title]
    assert entries[0].findtext(f"{ATOM}summary") == "摘要一"


def test_pages_advertise_their_feeds(client, db):
    article = make_article(published_at=local(2024, 2, 1))
    assert 'href="/feeds/atom.xml"' in client.get("/").content.decode()
    column_page = client.get(article.column.get_absolute_url()).content.decode()
    assert f'href="{reverse("archive:column-atom", args=[article.column.slug])}"' in column_page


def test_sitemap_lists_articles_columns_and_years(client, db):
    article = make_article(published_at=local(2024, 2, 1))
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    sections = index.content.decode()
    assert "http://testserver/sitemap-articles.xml" in sections
    articles = client.get("/sitemap-articles.xml").content.decode()
    assert f"<loc>http://testserver/articles/{article.pk}/</loc>" in articles
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/archive/2024/</loc>" in pages
    columns = client.get("/sitemap-columns.xml").content.decode()
    assert f"<loc>http://testserver{article.column.get_absolute_url()}</loc>" in columns
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_raw_file_is_staff_only(client, admin_client, seeds):
    news, _ = seeds
    url = reverse("archive:raw", args=[news.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert news.title in response.content.decode()


def test_raw_file_download_gives_the_exact_bytes(admin_client, seeds):
    news, _ = seeds
    raw = RawDocument.objects.get(article=news)
    response = admin_client.get(reverse("archive:raw", args=[news.pk]), {"download": "1"})
    assert response.status_code == 200
    assert response.content == bytes(raw.content)
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''000_")


def test_gbk_raw_file_is_shown_decoded(admin_client, db):
    article = make_article("编码测试")
    RawDocument.objects.create(
        path="x/gbk.txt",
        sha256="0" * 64,
        size=8,
        content="营商环境".encode("gbk"),
        encoding="gb18030",
        status=RawDocument.Status.INGESTED,
        article=article,
    )
    response = admin_client.get(reverse("archive:raw", args=[article.pk]))
    assert response.content.decode() == "营商环境"


def test_raw_file_of_an_article_without_one_is_404(admin_client, db):
    article = make_article()
    assert admin_client.get(reverse("archive:raw", args=[article.pk])).status_code == 404
    assert admin_client.get(reverse("archive:raw", args=[999999])).status_code == 404


def test_500_page_is_in_site_style_without_touching_the_database(db, django_assert_num_queries):
    assert root_urls.handler500 == "archive.views.server_error"
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器暂时出了问题" in body and 'class="site-header"' in body


def test_post_to_a_page_is_refused_not_an_error(client, db):
    assert client.post("/").status_code == 405
