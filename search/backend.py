"""Haystack's Whoosh backend, adapted for Chinese and for a long-lived process.

What differs from the stock backend, and why:
- our field types get our analysers (haystack would use an English StemmingAnalyzer);
- big text fields are neither stored nor sortable (they would triple the index size);
- one searcher per process, reopened only when the index changed (opening one per query
  costs ~90 ms on a 20k-article index).
"""

from __future__ import annotations

import threading

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from whoosh.fields import ID, TEXT

from search.analysis import CharAnalyzer, WordAnalyzer


def _whoosh_field(field_class):
    if field_class.field_type == "cjk_words":
        return TEXT(analyzer=WordAnalyzer(), phrase=False, field_boost=field_class.boost)
    if field_class.field_type == "cjk_chars":
        return TEXT(analyzer=CharAnalyzer(), phrase=True, field_boost=field_class.boost)
    if field_class.field_type == "keyword":
        return ID(stored=True, sortable=True)
    return None


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self._searcher = None
        self._searcher_lock = threading.Lock()

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
            return self._searcher


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
