"""The single index writer: a durable queue of pending changes in the database, drained
under the backend's write lock, retried on failure.

Callers enqueue (in the same transaction as their change to the article), then ask for a
drain: if another process or thread holds the lock it will pick the entries up, or the
`search_queue_worker` command will. Entries leave the queue only after the Whoosh commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from haystack import connections
from haystack.utils import get_identifier

from archive.models import Article
from search.models import IndexQueueEntry
from search.search_indexes import ArticleIndex

BATCH_SIZE = 1000
MAX_ATTEMPTS = 5
log = logging.getLogger(__name__)


@dataclass
class DrainReport:
    updated: int = 0
    deleted: int = 0
    failed: int = 0
    busy: bool = False  # another writer held the lock


def _backend():
    return connections["default"].get_backend()


def queue_enqueue(*, article_ids: Iterable[int], action: str) -> int:
    """Record that these articles' index documents must be updated (or deleted)."""
    entries = [IndexQueueEntry(article_id=pk, action=action) for pk in article_ids]
    IndexQueueEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def queue_drain(*, wait: bool = False) -> DrainReport:
    """Apply every pending entry. Without `wait`, return at once when the lock is busy."""
    report = DrainReport()
    skip: set[int] = set()  # entries that failed during this call: retried by a later drain
    backend = _backend()
    while True:
        with backend.write_lock(blocking=wait) as acquired:
            if not acquired:
                report.busy = True
                return report
            while batch := _next_batch(skip):
                _apply(backend, batch, report, skip)
        # An entry enqueued while we held the lock may have seen the lock busy and left it
        # to us: look again after releasing, so nothing waits for the next writer.
        if not _next_batch(skip, limit=1):
            return report


def _next_batch(skip: set[int], *, limit: int = BATCH_SIZE) -> list[IndexQueueEntry]:
    pending = IndexQueueEntry.objects.pending(max_attempts=MAX_ATTEMPTS).exclude(id__in=skip)
    return list(pending[:limit])


def _apply(backend, batch: list[IndexQueueEntry], report: DrainReport, skip: set[int]) -> None:
    index = ArticleIndex()
    latest = {entry.article_id: entry.action for entry in batch}  # the last word counts
    pks = set(latest)
    wanted = [pk for pk, action in latest.items() if action == IndexQueueEntry.Action.UPDATE]
    articles = index.index_queryset().in_bulk(wanted)  # a deleted article is removed too
    docs, errors = [], {}
    for pk, article in articles.items():
        try:
            doc = backend.prepare(index, article)
        except Exception as exc:  # one bad article must not hold up the others
            errors[pk] = exc
            continue
        if doc:
            docs.append(doc)
    gone = [get_identifier_for(pk) for pk in pks - articles.keys()]
    try:
        backend.write(docs, gone)
    except Exception as exc:
        errors = dict.fromkeys(pks, exc)
    else:
        report.updated += len(docs)
        report.deleted += len(gone)
    done = [entry.id for entry in batch if entry.article_id not in errors]
    IndexQueueEntry.objects.filter(id__in=done).delete()
    for entry in batch:
        if entry.article_id in errors:
            _record_failure(entry, errors[entry.article_id])
            skip.add(entry.id)
            report.failed += 1


def _record_failure(entry: IndexQueueEntry, exc: Exception) -> None:
    log.warning("index update for article %s failed: %r", entry.article_id, exc)
    IndexQueueEntry.objects.filter(id=entry.id).update(
        attempts=entry.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
    )


def get_identifier_for(pk: int) -> str:
    """Haystack's document id for an article that may no longer exist."""
    return get_identifier(Article(pk=pk))
