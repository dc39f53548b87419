"""Editors' corrections in the admin survive re-ingest of the same file."""

import shutil

from django.urls import reverse

from archive.models import Article
from tests.conftest import SEED_NEWS


def posted_back(form) -> dict:
    """The data a browser posts for the admin change form as rendered (nothing edited)."""
    data = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if hasattr(widget, "widgets"):  # split date and time inputs
            for i, part in enumerate(widget.decompress(value) if value else [None, None]):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
        elif value is not None:
            data[bound.html_name] = value  # value() is already prepared for the widget
    return data


def test_an_admin_edit_locks_the_field_and_reingest_keeps_it(admin_client, ingest, tmp_path):
    raw = tmp_path / "news.txt"
    shutil.copy(SEED_NEWS, raw)
    [record] = ingest(raw)
    url = reverse("admin:archive_article_change", args=[record["article_id"]])
    form = admin_client.get(url).context["adminform"].form
    data = posted_back(form) | {"title": "新区十年：改革创新成效（编辑校订）"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(pk=record["article_id"])
    assert article.locked_fields == ["title"]

    raw.write_bytes(SEED_NEWS.read_bytes() + "\n补充一段新的正文内容。\n".encode())
    [again] = ingest(raw)
    article.refresh_from_db()
    assert again["status"] == "updated"
    assert article.title == "新区十年：改革创新成效（编辑校订）"
    assert "补充一段新的正文内容" in article.body_text
