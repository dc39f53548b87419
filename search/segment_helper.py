"""A second process that builds and writes some fields' postings while the writer does the
rest of the same segment.

Analysing text and writing postings is pure Python work on one core. For a big write (an
ingest of thousands of files, a rebuild) the writer hands the values of its helper fields
(the character pairs: about half of all postings) to this process, which indexes them into
a postings file of its own; the writer then appends that file to the segment's postings and
adds its terms, their offsets moved by where the file landed. One segment either way (two
would duplicate the term tables: measured 3.2× the raw text instead of 2.8×).

Unlike Whoosh's MpWriter (it waits a second per worker and drops a worker's segment
silently when none came), a helper that fails makes the commit fail: nothing half-written
reaches the index, and the queue entries stay for a retry.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import shutil
import tempfile
from array import array
from dataclasses import dataclass

from whoosh import index as whoosh_index
from whoosh.filedb.structfile import StructFile
from whoosh.system import pack_long, unpack_long
from whoosh.util.numeric import length_to_byte

_OFFSET_FLAG = 0  # W3TermInfo._FLAG_OFFSET: the postings are in the file, at offset + length
_TAIL = 12  # such a term info ends with pack_long(offset) + pack_int(length)


class HelperFailed(RuntimeError):
    """The helper process could not write its fields; the commit must not go ahead."""


@dataclass
class WrittenField:
    """One field's postings written by the helper: the file and the terms pointing into it."""

    path: str
    terms: list[tuple[bytes, bytes]]  # (term, W3TermInfo bytes, offsets from the file start)

    def append_to(self, postfile, add_term) -> None:
        """Copy the postings to the end of postfile and add the terms, offsets moved."""
        base = postfile.tell()
        with open(self.path, "rb") as source:
            shutil.copyfileobj(source, postfile.file, length=1 << 20)
        for text, info in self.terms:
            add_term(text, _moved(info, base))

    def discard(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)


def _moved(info: bytes, base: int) -> bytes:
    if info[0] != _OFFSET_FLAG or base == 0:
        return info
    offset = unpack_long(info[-_TAIL : -_TAIL + 8])[0]
    return info[:-_TAIL] + pack_long(offset + base) + info[-4:]


class FieldHelper:
    def __init__(self, index_dir: str, indexname: str, fields: tuple[str, ...], codec):
        # spawn, not fork: a forked child would share the parent's database connection.
        context = multiprocessing.get_context("spawn")
        self._batches = context.Queue(maxsize=4)  # sending does not wait for the helper
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(self._batches, child, index_dir, indexname, fields, codec),
            daemon=True,
        )
        self._process.start()
        child.close()

    def add(self, values: list[list]) -> None:
        """The helper fields' values of a batch of documents, in document order."""
        self._put(("docs", values))

    def start_finishing(self) -> None:
        """Ask the helper to write out its postings (it works on while the writer does)."""
        self._put(("finish", None))

    def _put(self, message) -> None:
        """Queue a message; a full queue with no helper left to read it is a failure."""
        while True:
            try:
                self._batches.put(message, timeout=1)
                return
            except queue.Full:
                if not self._process.is_alive():
                    self._close()
                    raise HelperFailed("the index helper process died") from None

    def finish(self) -> dict[str, WrittenField]:
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise HelperFailed(f"the index helper process died: {exc!r}") from exc
        finally:
            self._close()
        if kind == "error":
            raise HelperFailed(value)
        return value

    def cancel(self) -> None:
        with contextlib.suppress(Exception):  # full or broken: it is killed below either way
            self._batches.put(("cancel", None), timeout=1)
        self._close()

    def _close(self) -> None:
        self._conn.close()
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
        self._batches.close()
        # Batches a dead or cancelled helper never read must not hold up this process's exit.
        self._batches.cancel_join_thread()


def _serve(batches, conn, index_dir: str, indexname: str, fields: tuple[str, ...], codec):
    """The helper's loop: index batches until told to finish (or cancel), then answer."""
    from search.segments import ArrayPostingPool

    schema = whoosh_index.open_dir(index_dir, indexname).schema
    pool = ArrayPostingPool(schema)
    lengths = {name: array("B") for name in fields}
    error = None
    while True:
        kind, payload = batches.get()
        if kind == "docs" and error is None:
            try:
                _index(schema, pool, lengths, fields, payload)
            except Exception as exc:  # reported at finish; later batches are ignored
                error = f"{type(exc).__name__}: {exc}"
        elif kind == "finish":
            conn.send(("error", error) if error else _write(pool, lengths, codec))
            return
        elif kind == "cancel":
            return


def _index(schema, pool, lengths, fields, rows) -> None:
    from search.segments import field_postings

    for row in rows:
        for name, value in zip(fields, row, strict=True):
            field, length = schema[name], 0
            if value is not None:
                docnum = len(lengths[name])
                terms, freqs, weights, values = field_postings(field, value)
                if terms:
                    pool.field(name).add(terms, docnum, weights, values)
                length = sum(freqs) if field.scorable else 0
            lengths[name].append(length_to_byte(length))


def _write(pool, lengths, codec) -> tuple[str, object]:
    written: dict[str, WrittenField] = {}
    try:
        for name in sorted(pool.fields):
            written[name] = _write_one(pool.fields[name], lengths[name], codec)
    except Exception as exc:
        for field in written.values():
            field.discard()
        return "error", f"{type(exc).__name__}: {exc}"
    return "done", written


def _write_one(postings, lengths: array, codec) -> WrittenField:
    import numpy as np

    from search.posting_lists import write_field

    handle, path = tempfile.mkstemp(prefix="archive-index-", suffix=".pst")
    terms: list[tuple[bytes, bytes]] = []
    try:
        with StructFile(os.fdopen(handle, "wb")) as postfile:
            field_lengths = np.frombuffer(lengths, dtype=np.uint8)
            add_term = lambda *entry: terms.append(entry)  # noqa: E731 - (text, info)
            write_field(postfile, add_term, postings, field_lengths, codec)
    except BaseException:
        os.unlink(path)
        raise
    return WrittenField(path, terms)
