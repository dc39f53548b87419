"""The single index writer: a durable queue of pending changes in the database, drained
under the backend's write lock, retried on failure.

Callers enqueue (in the same transaction as their change to the article), then ask for a
drain: if another process or thread holds the lock it will pick the entries up, or the
`search_queue_worker` command will. Entries leave the queue only after the Whoosh commit.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass

from haystack import connections
from haystack.utils import get_identifier

from archive.models import Article
from search.models import IndexQueueEntry
from search.search_indexes import ArticleIndex

BATCH_SIZE = 1000
COMMIT_EVERY = 20_000  # entries per Whoosh commit (and new segment) during a big drain
HELPER_MIN_ENTRIES = 2 * BATCH_SIZE  # a second process builds half the segment from here on
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
    failed: set[int] = set()  # entries that failed during this call: a later drain retries
    backend = _backend()
    while True:
        with backend.write_lock(blocking=wait) as acquired:
            if not acquired:
                report.busy = True
                return report
            while _pending(failed, limit=1):
                _drain_session(backend, report, failed)
        # An entry enqueued while we held the lock may have seen the lock busy and left it
        # to us: look again after releasing, so nothing waits for the next writer.
        if not _pending(failed, limit=1):
            return report


def _pending(failed: set[int], *, after: int = 0, limit: int = BATCH_SIZE):
    pending = IndexQueueEntry.objects.pending(max_attempts=MAX_ATTEMPTS).filter(id__gt=after)
    return list(pending.exclude(id__in=failed)[:limit])


def _drain_session(backend, report: DrainReport, failed: set[int]) -> None:
    """Up to COMMIT_EVERY entries in one Whoosh commit: one new segment, instead of a
    commit (and a merge of ever larger segments) per batch."""
    taken: list[IndexQueueEntry] = []
    errors: dict[int, Exception] = {}
    seen: set[int] = set()
    counts = [0, 0]
    writer = None
    try:
        writer = backend.open_writer(helper=_worth_a_helper(failed))
        while len(taken) < COMMIT_EVERY:
            batch = _pending(failed, after=taken[-1].id if taken else 0)
            if not batch or (taken and seen & {e.article_id for e in batch}):
                break  # an article twice in one commit would be added twice: commit first
            docs, gone, batch_errors = _prepare(backend, batch)
            backend.apply(writer, docs, gone)
            taken += batch
            errors.update(batch_errors)
            seen.update(e.article_id for e in batch)
            counts[0] += len(docs)
            counts[1] += len(gone)
        writer.commit()
    except Exception as exc:
        if writer is not None:
            writer.cancel()
        taken = taken or _pending(failed)
        errors = {entry.article_id: exc for entry in taken}
        counts = [0, 0]
    report.updated += counts[0]
    report.deleted += counts[1]
    _settle(taken, errors, report, failed)


def _worth_a_helper(failed: set[int]) -> bool:
    """Enough work queued for a second process to pay for its start (~1 s)."""
    if (os.cpu_count() or 1) < 2:
        return False
    pending = IndexQueueEntry.objects.pending(max_attempts=MAX_ATTEMPTS).exclude(id__in=failed)
    return pending[HELPER_MIN_ENTRIES - 1 : HELPER_MIN_ENTRIES].exists()


def _prepare(backend, batch: list[IndexQueueEntry]):
    """The documents to (re)add, the ids to delete, and per-article preparation errors."""
    index = ArticleIndex()
    latest = {entry.article_id: entry.action for entry in batch}  # the last word counts
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
    gone = [get_identifier_for(pk) for pk in latest.keys() - articles.keys()]
    return docs, gone, errors


def _settle(taken, errors, report: DrainReport, failed: set[int]) -> None:
    """Written entries leave the queue; failed ones stay, with the error, for a retry."""
    done = [entry.id for entry in taken if entry.article_id not in errors]
    for start in range(0, len(done), 1000):
        IndexQueueEntry.objects.filter(id__in=done[start : start + 1000]).delete()
    for entry in taken:
        if entry.article_id in errors:
            _record_failure(entry, errors[entry.article_id])
            failed.add(entry.id)
            report.failed += 1


def _record_failure(entry: IndexQueueEntry, exc: Exception) -> None:
    log.warning("index update for article %s failed: %r", entry.article_id, exc)
    IndexQueueEntry.objects.filter(id=entry.id).update(
        attempts=entry.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
    )


def get_identifier_for(pk: int) -> str:
    """Haystack's document id for an article that may no longer exist."""
    return get_identifier(Article(pk=pk))
