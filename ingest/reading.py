"""Read, fingerprint and parse files: pure work, no database, safe in a worker process.

This module imports no Django models on purpose, so a spawned worker can run it without
Django being set up while the main process writes the previous batch to the database.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from dataclasses import dataclass, replace

from ingest.decoding import decode
from ingest.parsers import SUPPORTED_SUFFIXES, ParsedArticle, ParseError, parser_for

WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ReadOptions:
    column: str = ""
    source: str = ""
    encoding: str | None = None


@dataclass(frozen=True)
class ReadFile:
    """One file after reading: skipped, failed, unchanged, or parsed and ready to store."""

    key: str
    status: str  # skipped | failed | unchanged | parsed
    error: str = ""
    data: bytes = b""
    sha: str = ""
    parsed: ParsedArticle | None = None
    encoding: str = ""
    parser_name: str = ""
    digest: str = ""


def watch_parent(parent_pid: int) -> None:
    """Worker initializer: exit when the ingest process is gone (kill -9 leaves no orphan).

    The worker holds both ends of its task queue, so it never sees end-of-file by itself.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def content_hash_of(parsed: ParsedArticle) -> str:
    """Fingerprint of the body without whitespace, so re-posts match."""
    return hashlib.sha256(WHITESPACE.sub("", parsed.body_text).encode()).hexdigest()


def parse_bytes(
    data: bytes, *, suffix: str, options: ReadOptions
) -> tuple[ParsedArticle, str, str]:
    """Decode and parse; returns the article, the encoding used and the parser's name."""
    decoded = decode(data, forced=options.encoding)
    parser = parser_for(suffix, decoded.text)
    parsed = parser.parse(decoded.text)
    overrides = {}
    if options.column:
        overrides["column"] = options.column
    if options.source:
        overrides["source"] = options.source
    warnings = decoded.warnings + parsed.warnings
    return replace(parsed, warnings=warnings, **overrides), decoded.encoding, parser.name


def read_batch(items: list[tuple[str, str, str | None]], options: ReadOptions) -> list[ReadFile]:
    """(path, key, sha already stored for that key) for each file → what each file holds."""
    return [read_file(path, key, known_sha, options) for path, key, known_sha in items]


def read_file(path: str, key: str, known_sha: str | None, options: ReadOptions) -> ReadFile:
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return ReadFile(key, "skipped", error=f"不支持的文件类型 {suffix or '（无扩展名）'}")
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        return ReadFile(key, "failed", error=f"无法读取文件：{exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    if sha == known_sha:
        return ReadFile(key, "unchanged", sha=sha)
    try:
        parsed, encoding, parser_name = parse_bytes(data, suffix=suffix, options=options)
    except (ParseError, UnicodeDecodeError, LookupError) as exc:
        return ReadFile(key, "failed", error=str(exc) or type(exc).__name__)
    except Exception as exc:  # a parser bug must cost this one file, never the whole run
        return ReadFile(key, "failed", error=f"解析程序出错（请报告）：{type(exc).__name__}: {exc}")
    return ReadFile(
        key, "parsed", "", data, sha, parsed, encoding, parser_name, content_hash_of(parsed)
    )
