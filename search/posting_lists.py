"""Posting lists as Whoosh's W3 codec writes them, from a field's postings in arrays.

W3PostingsWriter takes one posting at a time; here a whole field is sorted by term and
document with numpy, cut into each term's blocks of 128, and every per-block and per-term
statistic Whoosh records is computed at once. The bytes are Whoosh's own
(tests/search/test_segments.py compares them with Whoosh's writer).
"""

from __future__ import annotations

import pickle
import zlib

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import emptybytes
from whoosh.util.numeric import byte_to_length, length_to_byte

INLINE_MAX = 8  # W3PostingsWriter.finish_postings keeps up to 8 postings in the term's entry


def write_field(postfile, add_term, postings, lengths, codec) -> None:
    """Every term of a field in byte order (add_term(text, info bytes)), each posting list
    in document order into postfile, as W3FieldWriter and W3PostingsWriter write them."""
    texts = postings.term_bytes()
    by_text = sorted(range(len(texts)), key=texts.__getitem__)
    rank = np.empty(len(texts), dtype=np.int64)
    rank[by_text] = np.arange(len(texts))
    term_ranks = rank[np.frombuffer(postings.terms, dtype=np.int32)]
    docs = np.frombuffer(postings.docs, dtype=np.uint32)
    order = np.lexsort((docs, term_ranks))
    sorted_postings = _Sorted(
        docs[order].astype(np.int64),
        np.frombuffer(postings.weights, dtype=np.float32)[order],
        lengths[docs[order]],
        _Values(postings, order),
        term_ranks[order],
        codec._blocklimit,
    )
    for term, text_index in enumerate(by_text):
        info = sorted_postings.term_info(term, postfile, codec._compression)
        add_term(texts[text_index], info.to_bytes())


class _Sorted:
    """A field's postings sorted by term and document, cut into each term's blocks, with
    every per-block and per-term statistic Whoosh records computed at once."""

    def __init__(self, docs, weights, length_bytes, values, term_ranks, blocklimit):
        n = len(docs)
        self.values = values
        term_starts = np.flatnonzero(np.diff(term_ranks, prepend=-1))
        term_ends = np.append(term_starts[1:], n)
        # Each term's postings in blocks of `blocklimit` (an inlined term is one "block").
        per_term = -(-(term_ends - term_starts) // blocklimit)
        first_block = np.concatenate(([0], np.cumsum(per_term)[:-1]))
        within = np.arange(per_term.sum()) - np.repeat(first_block, per_term)
        starts = np.repeat(term_starts, per_term) + within * blocklimit
        ends = np.minimum(starts + blocklimit, np.repeat(term_ends, per_term))
        # A block stores its ids as deltas that start again from 0.
        deltas = np.diff(docs, prepend=0)
        deltas[starts] = docs[starts]
        shortest = np.where(length_bytes == 0, 256, length_bytes.astype(np.int16))
        self.term_bounds = list(zip(term_starts.tolist(), term_ends.tolist(), strict=True))
        self.first_block, self.block_count = first_block.tolist(), per_term.tolist()
        self.block_bounds = list(zip(starts.tolist(), ends.tolist(), strict=True))
        self.block_max_weight = np.maximum.reduceat(weights, starts).tolist()
        self.block_min_weight = np.minimum.reduceat(weights, starts).tolist()
        self.block_shortest = np.minimum.reduceat(shortest, starts).tolist()
        self.block_longest = np.maximum.reduceat(length_bytes, starts).tolist()
        self.term_weight = np.add.reduceat(weights.astype(np.float64), term_starts).tolist()
        self.term_shortest = np.minimum.reduceat(shortest, term_starts).tolist()
        self.term_longest = np.maximum.reduceat(length_bytes, term_starts).tolist()
        self.term_max_weight = np.maximum.reduceat(weights, term_starts).tolist()
        self.docs, self.deltas, self.weights = docs.tolist(), deltas.tolist(), weights.tolist()

    def term_info(self, term: int, postfile, compression: int) -> W3TermInfo:
        start, end = self.term_bounds[term]
        info = W3TermInfo(
            weight=self.term_weight[term],
            df=end - start,
            minlength=_length(self.term_shortest[term]),
            maxlength=byte_to_length(self.term_longest[term]),
            maxweight=max(0, self.term_max_weight[term]),
            minid=self.docs[start],
            maxid=self.docs[end - 1],
        )
        if end - start == 1:
            value = self.values.slice(start, end)
            info.set_compact_inline(self.docs[start], self.weights[start], *value or [b""])
        elif end - start <= INLINE_MAX:
            values = self.values.slice(start, end) or [emptybytes] * (end - start)
            info.set_compact_short_inline(self.docs[start:end], self.weights[start:end], values)
        else:
            offset = postfile.tell()
            postfile.write(WHOOSH3_HEADER_MAGIC)
            first, count = self.first_block[term], self.block_count[term]
            for block in range(first, first + count):
                self._write_block(postfile, block, compression, last=block == first + count - 1)
            info.set_extent(offset, postfile.tell() - offset)
        return info

    def _write_block(self, postfile, block: int, compression: int, *, last: bool) -> None:
        """One block as W3PostingsWriter._write_block writes it."""
        start, end = self.block_bounds[block]
        heaviest, lightest = self.block_max_weight[block], self.block_min_weight[block]
        if heaviest != lightest:
            weights = tuple(self.weights[start:end])
        else:
            weights = None if heaviest == 1.0 else heaviest
        data = (tuple(self.deltas[start:end]), weights, self.values.joined(start, end))
        databytes = zlib.compress(pickle.dumps(data), compression)
        header = (
            end - start,
            self.docs[end - 1],
            heaviest,
            compression,
            length_to_byte(_length(self.block_shortest[block])),
            self.block_longest[block],
        )
        infobytes = pickle.dumps(header)
        blocklength = len(infobytes) + len(databytes)
        postfile.write_int(-blocklength if last else blocklength)
        postfile.write(infobytes)
        postfile.write(databytes)


def _length(length_byte: int) -> int | None:
    """A block's shortest non-zero length from its byte (256: none, as Whoosh's None)."""
    return None if length_byte == 256 else byte_to_length(length_byte)


class _Values:
    """The postings' value bytes in sorted order, sliced out of the field's blob on demand."""

    def __init__(self, postings, order: np.ndarray):
        self.size = postings.value_size
        self.blob = bytes(postings.blob)
        if self.size is None:
            begins = np.frombuffer(postings.starts, dtype=np.int64)
            ends = np.append(begins[1:], len(self.blob))
            self.begins, self.ends = begins[order].tolist(), ends[order].tolist()
        elif self.size:
            self.begins = (order.astype(np.int64) * self.size).tolist()

    def slice(self, start: int, end: int) -> list[bytes]:
        """Values of postings start..end (empty for a format without values)."""
        if self.size == 0:
            return []
        blob = self.blob
        if self.size is None:
            spans = zip(self.begins[start:end], self.ends[start:end], strict=True)
            return [blob[b:e] for b, e in spans]
        size = self.size
        return [blob[b : b + size] for b in self.begins[start:end]]

    def joined(self, start: int, end: int):
        """A block's values as Whoosh stores them: a tuple, one bytes string, or None."""
        if self.size == 0:
            return None
        if self.size is None:
            return tuple(self.slice(start, end))
        return emptybytes.join(self.slice(start, end))
