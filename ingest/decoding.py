"""Turn raw bytes into text, recording which encoding was used and how sure we are."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from ingest.parsers.base import ParseError

DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode(data: bytes, forced: str | None = None) -> Decoded:
    """Decode bytes: forced encoding, BOM, strict UTF-8, GB18030, then detection."""
    if not data.strip():
        raise ParseError("文件为空")
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ParseError("文件含有空字节（NUL），可能是二进制文件或已损坏")
    if forced:
        return Decoded(normalise(data.decode(forced, errors="strict")), forced)
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16")):
        if data.startswith(bom):
            return Decoded(normalise(data.decode(name)), name)
    warnings = []
    declared = DECLARED_CHARSET.search(data[:2048])
    try:
        text = data.decode("utf-8")
        if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
            warnings.append(f"页面声明编码 {declared.group(1).decode()}，实际为 UTF-8")
        return Decoded(normalise(text), "utf-8", tuple(warnings))
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(normalise(data.decode("gb18030")), "gb18030")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or _mostly_unprintable(str(best)):
        raise ParseError("无法识别文件编码，可能是二进制文件")
    return Decoded(normalise(str(best)), best.encoding, ("编码由自动检测得出，请核对",))


def normalise(text: str) -> str:
    """Unify newlines and drop zero-width characters, without changing any word."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(ZERO_WIDTH)


def _mostly_unprintable(text: str) -> bool:
    sample = text[:4000]
    bad = sum(
        1 for ch in sample if unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\n\t"
    )
    return bad > len(sample) * 0.05
