"""Index writes: one writer fed by a durable queue; nothing is lost, one document per change."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from haystack import connections
from haystack.utils import get_identifier

from archive.models import Article
from search import indexing
from search.indexing import MAX_ATTEMPTS, queue_drain, queue_enqueue
from search.models import IndexQueueEntry
from search.search_indexes import ArticleIndex
from search.services import index_remove, index_update, related_articles, search_articles
from tests.search.concurrency import save_and_delete
from tests.search.conftest import S, make_article

ROOT = Path(__file__).resolve().parents[2]


def indexed_ids() -> set[int]:
    searcher = connections["default"].get_backend().searcher()
    return {int(fields["django_id"]) for fields in searcher.all_stored_fields()}


def titles(q: str) -> list[str]:
    return [hit.article.title for hit in search_articles(q).hits]


def test_index_update_and_remove_go_through_the_queue(library):
    assert indexed_ids() == {a.pk for a in library.all()}
    assert not IndexQueueEntry.objects.exists()
    index_remove([library.ai_title])
    assert library.ai_title.pk not in indexed_ids()
    assert titles("人工智能") == [library.ai_body.title]


def test_a_busy_writer_leaves_work_queued_and_a_later_drain_applies_it(library):
    backend = connections["default"].get_backend()
    with backend.write_lock() as held:
        assert held
        index_remove([library.ai_body])  # cannot write now: stays queued, not lost
        assert IndexQueueEntry.objects.filter(article_id=library.ai_body.pk).exists()
        assert library.ai_body.pk in indexed_ids()
    report = queue_drain()
    assert report.deleted == 1
    assert library.ai_body.pk not in indexed_ids()
    assert not IndexQueueEntry.objects.exists()


def test_failed_writes_are_kept_with_the_error_and_retried(library):
    backend = connections["default"].get_backend()
    backend.writer_timeout = 0.2
    library.ai_title.title = "人工智能新标题"
    library.ai_title.save()
    queue_enqueue(article_ids=[library.ai_title.pk], action="update")
    stray = backend.index.lock("WRITELOCK")  # a stray Whoosh writer outside our lock
    assert stray.acquire()
    try:
        report = queue_drain()
    finally:
        stray.release()
    entry = IndexQueueEntry.objects.get()
    assert (report.failed, entry.attempts) == (1, 1)
    assert "LockError" in entry.last_error
    assert titles("新标题") == []  # the index still has the old version
    assert queue_drain().updated == 1
    assert not IndexQueueEntry.objects.exists()
    assert titles("新标题") == ["人工智能新标题"]


def test_entries_that_keep_failing_stop_being_retried_but_stay_visible(library):
    queue_enqueue(article_ids=[library.bank.pk], action="update")
    IndexQueueEntry.objects.update(attempts=MAX_ATTEMPTS, last_error="boom")
    assert queue_drain().updated == 0
    assert IndexQueueEntry.objects.failed(max_attempts=MAX_ATTEMPTS).count() == 1


def test_saving_one_article_in_the_admin_updates_one_document(
    admin_client, library, django_capture_on_commit_callbacks
):
    article = library.business
    url = reverse("admin:archive_article_change", args=[article.pk])
    form = {
        "title": "营商环境再优化",
        "published_at_0": "2024-06-02",
        "published_at_1": "10:00:00",
        "column": article.column_id,
        "source": article.source_id,
        "keywords": "[]",
        "review_reasons": "[]",
        "locked_fields": "[]",
        "author": "",
        "editor": "",
        "summary": "",
        "document_number": "",
        "issuing_body": "",
        "original_url": "",
        "prev_title": "",
        "next_title": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "营商环境再优化" in titles("营商环境")
    assert len(indexed_ids()) == len(library.all())


def test_deleting_an_article_in_the_admin_removes_its_document(
    admin_client, library, django_capture_on_commit_callbacks
):
    url = reverse("admin:archive_article_delete", args=[library.tax_char.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert library.tax_char.pk not in indexed_ids()
    assert titles("税") == [library.tax_word.title]


def test_queue_worker_command_drains_the_queue(library, capsys):
    Article.objects.filter(pk=library.bank.pk).delete()
    queue_enqueue(article_ids=[library.bank.pk], action="delete")
    call_command("search_queue_worker", "--once")
    assert "删除 1" in capsys.readouterr().out
    assert library.bank.pk not in indexed_ids()


def test_rebuild_index_and_update_index_still_work(library):
    call_command("clear_index", interactive=False, verbosity=0)
    assert indexed_ids() == set()
    call_command("update_index", verbosity=0)
    assert indexed_ids() == {a.pk for a in library.all()}
    call_command("rebuild_index", interactive=False, verbosity=0)
    assert titles("农业") == [library.bank.title]


def test_rebuild_index_writes_one_segment(library):
    call_command("rebuild_index", interactive=False, verbosity=0)
    reader = connections["default"].get_backend().searcher().reader()
    assert len(reader.leaf_readers()) == 1
    assert indexed_ids() == {a.pk for a in library.all()}


def test_a_big_drain_shares_the_work_with_a_helper_process_and_finds_the_same(library, monkeypatch):
    """From HELPER_MIN_ENTRIES queued articles on, a second process indexes the character
    pairs; searches that need them (words, phrases) find exactly what they found before."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: the writer never starts a helper process")
    queries = ["农业", '"全面深化改革"', "营商环境", "西海岸新区营商环境", "税", "title:人工智能"]
    before = {q: titles(q) for q in queries}
    call_command("clear_index", interactive=False, verbosity=0)
    monkeypatch.setattr(indexing, "HELPER_MIN_ENTRIES", 2)
    monkeypatch.setattr(indexing, "BATCH_SIZE", 3)  # several batches, as in a big ingest
    queue_enqueue(article_ids=[a.pk for a in library.all()], action="update")
    assert indexing._worth_a_helper(set())
    report = queue_drain(wait=True)
    assert report.updated == len(library.all()) and not report.failed
    assert {q: titles(q) for q in queries} == before
    assert all(before.values())


def test_related_articles_are_the_most_alike(library, seeds):
    news, interview = seeds
    related = related_articles(interview, limit=3)
    assert related[0] == news  # both seeds are about 西海岸新区 reform and 营商环境
    assert interview not in related
    assert len(related) <= 3


def test_related_articles_of_an_unindexed_article_is_empty(db):
    assert related_articles(make_article("未入索引", S["plain"][0])) == []


def test_concurrent_index_writers_in_threads_lose_nothing(library):
    """Whoosh allows one writer; ours queue up on the lock instead of failing."""
    backend = connections["default"].get_backend()
    index = ArticleIndex()
    kept, doomed = library.all()[4:], library.all()[:4]
    docs = [backend.prepare(index, article) for article in kept]

    def write(n: int) -> None:  # each thread: one delete and a share of the updates
        with backend.write_lock():
            backend.write(docs[n::4], [get_identifier(doomed[n])])

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    gone = {a.pk for a in library.all()[:4]}
    assert indexed_ids() == {a.pk for a in library.all()} - gone


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need a database server (SQLite's is in memory)")


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_and_deletes_from_threads_all_arrive():
    needs_postgresql()

    def work(prefix: str) -> None:
        try:
            save_and_delete(prefix, 6, atomic=transaction.atomic)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"线程{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not IndexQueueEntry.objects.exists()
    assert indexed_ids() == set(Article.objects.values_list("pk", flat=True))
    assert len(indexed_ids()) == 4 * 3
    assert len(titles("已修改")) == 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_and_deletes_from_processes_all_arrive(search_index):
    needs_postgresql()
    settings_dict = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT']}/{settings_dict['NAME']}",
        "ARCHIVE_INDEX_DIR": search_index,
    }
    cmd = [sys.executable, "-m", "tests.search.writer_process"]
    procs = [subprocess.Popen([*cmd, f"进程{n}", "6"], cwd=ROOT, env=env) for n in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    assert not IndexQueueEntry.objects.exists()
    assert indexed_ids() == set(Article.objects.values_list("pk", flat=True))
    assert len(indexed_ids()) == 3 * 3


def test_related_articles_follow_index_changes(library, seeds):
    news, interview = seeds
    assert related_articles(interview, limit=3)[0] == news  # now remembered for this index
    twin = make_article("闯新路开新局：访谈续篇", interview.body_text[:3000] + "续篇")
    index_update([twin])
    assert related_articles(interview, limit=3)[0] == twin
    index_remove([twin])
    assert twin not in related_articles(interview, limit=3)
