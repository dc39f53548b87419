"""The plain data a parser returns, and the contract every parser keeps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol


class ParseError(ValueError):
    """The file cannot become an article; the message says why, in words an editor reads."""


@dataclass(frozen=True)
class Block:
    """One piece of the body: heading, paragraph, caption, quote, question or answer."""

    kind: str
    text: str
    speaker: str = ""

    def as_dict(self) -> dict[str, str]:
        data = {"kind": self.kind, "text": self.text}
        if self.speaker:
            data["speaker"] = self.speaker
        return data


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    published_at: dt.datetime | None
    blocks: tuple[Block, ...]
    column: str = ""
    source: str = ""
    author: str = ""
    editor: str = ""
    summary: str = ""
    keywords: tuple[str, ...] = ()
    document_number: str = ""
    issuing_body: str = ""
    index_number: str = ""
    written_on: dt.date | None = None
    original_url: str = ""
    prev_title: str = ""
    next_title: str = ""
    review_reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def body_text(self) -> str:
        """Plain text of the body, one block per line, for search and snippets."""
        return "\n".join(block.text for block in self.blocks)


class Parser(Protocol):
    name: str

    def parse(self, text: str) -> ParsedArticle: ...
