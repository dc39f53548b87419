"""Haystack's Whoosh backend, adapted for Chinese and for a long-lived process.

What differs from the stock backend, and why:
- our field types get our analysers (haystack would use an English StemmingAnalyzer);
- big text fields are neither stored nor sortable (they would triple the index size);
- one searcher per process, reopened only when the index changed (opening one per query
  costs ~90 ms on a 20k-article index), with its cache of match sets and facet counts;
- every write (ours from search.indexing, and haystack's update/remove/clear used by
  update_index and rebuild_index) happens under one inter-process lock with a blocking Whoosh
  writer: the stock AsyncWriter/`delete_by_query` path loses deletes to LockError when two
  processes write at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterable, Iterator

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import ID as ID_FIELD
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.fields import ID

from search.analysis import BigramsText, CharsText, WordsText
from search.counting import MatchCounter
from search.segments import ArraySegmentWriter

HELPER_FIELDS = ("bigrams",)  # the field with the most postings: about half of the work
WRITER_TIMEOUT = 60.0  # seconds to wait for Whoosh's own lock (held by a stray writer)


def _whoosh_field(field_class):
    if field_class.field_type == "cjk_words":
        return WordsText(field_boost=field_class.boost)
    if field_class.field_type == "cjk_chars":
        return CharsText(field_boost=field_class.boost)
    if field_class.field_type == "cjk_bigrams":
        return BigramsText(field_boost=field_class.boost)
    if field_class.field_type == "keyword":
        return ID(stored=True, sortable=True)
    return None


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self._searcher = None
        self._counter = None
        self._searcher_lock = threading.Lock()
        self.writer_timeout = float(connection_options.get("WRITER_TIMEOUT", WRITER_TIMEOUT))

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field_class in fields.values():
            replacement = _whoosh_field(field_class)
            if replacement is not None:
                schema.remove(field_class.index_fieldname)
                schema.add(field_class.index_fieldname, replacement)
        return content_field_name, schema

    def searcher(self):
        """The process's shared searcher, refreshed only if the index changed."""
        if not self.setup_complete:
            self.setup()
        with self._searcher_lock:
            if self._searcher is None or not self._searcher.up_to_date():
                # Searcher.refresh() fails on whoosh-ng 5.4 when the old reader is empty,
                # so open a fresh one; this happens only after the index changed.
                if self._searcher is not None:
                    self._searcher.close()
                self.index = self.index.refresh()
                self._searcher = self.index.searcher()
                self._counter = MatchCounter(self._searcher)
            return self._searcher

    def counter(self) -> MatchCounter:
        """Match sets and facet counts cached for the current searcher (see search.counting)."""
        searcher = self.searcher()
        with self._searcher_lock:
            counter = self._counter
        return counter if counter.searcher is searcher else MatchCounter(searcher)

    @contextlib.contextmanager
    def write_lock(self, *, blocking: bool = True) -> Iterator[bool]:
        """Hold the one-writer lock (shared by processes and threads); yields False if busy."""
        # Beside the index folder, not inside it: clear() (rebuild_index) deletes the folder.
        lock_path = os.path.normpath(self.path) + ".writer.lock"
        os.makedirs(os.path.dirname(lock_path), exist_ok=True)
        with open(lock_path, "a+b") as handle:
            flags = fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB)
            try:
                fcntl.flock(handle, flags)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def prepare(self, index, obj) -> dict | None:
        """The Whoosh document for obj, as haystack's update() builds it (None: skipped)."""
        try:
            doc = index.full_prepare(obj)
        except SkipDocument:
            return None
        doc.pop("boost", None)  # document boosts are not supported by Whoosh
        return {key: self._from_python(value) for key, value in doc.items()}

    def open_writer(self, *, helper: bool = False):
        """A Whoosh writer on the current index. helper: a second process indexes the
        character pairs of the body (half of all postings). The caller holds write_lock()."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        fields = HELPER_FIELDS if helper else ()
        return ArraySegmentWriter(self.index, helper_fields=fields, timeout=self.writer_timeout)

    @staticmethod
    def apply(writer, docs: Iterable[dict], delete_ids: Iterable[str] = ()) -> None:
        """Delete these documents and (re)add those, without committing."""
        docs = list(docs)
        # update_document() would open a searcher per document (half the build time);
        # delete the old versions through one searcher, then add.
        with writer.searcher() as searcher:
            for identifier in [*delete_ids, *(doc[ID_FIELD] for doc in docs)]:
                writer.delete_by_term(ID_FIELD, identifier, searcher=searcher)
        writer.add_documents(docs)

    def write(self, docs: Iterable[dict], delete_ids: Iterable[str] = ()) -> None:
        """Apply deletes and updates in one commit. The caller holds write_lock()."""
        writer = self.open_writer()
        try:
            self.apply(writer, docs, delete_ids)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def update(self, index, iterable, commit=True):
        docs = [doc for doc in (self.prepare(index, obj) for obj in iterable) if doc]
        with self.write_lock():
            self.write(docs)

    def remove(self, obj_or_string, commit=True):
        identifier = get_identifier(obj_or_string)
        with self.write_lock():
            self.write((), [identifier])

    def clear(self, models=None, commit=True):
        with self.write_lock():
            super().clear(models=models, commit=commit)


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
