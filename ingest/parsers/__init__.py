"""Parsers turn decoded text into a ParsedArticle; they never touch the database."""

from ingest.parsers.base import Block, ParsedArticle, ParseError, Parser
from ingest.parsers.html import HtmlParser
from ingest.parsers.text import TextParser

HTML_SUFFIXES = {".html", ".htm", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text"}
SUPPORTED_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES


def parser_for(suffix: str, text: str) -> Parser:
    """Pick a parser by file suffix, falling back to sniffing markup in the text."""
    if suffix.lower() in HTML_SUFFIXES or text.lstrip()[:200].lower().startswith(
        ("<!doctype", "<html")
    ):
        return HtmlParser()
    return TextParser()


__all__ = [
    "HTML_SUFFIXES",
    "SUPPORTED_SUFFIXES",
    "TEXT_SUFFIXES",
    "Block",
    "HtmlParser",
    "ParseError",
    "ParsedArticle",
    "Parser",
    "TextParser",
    "parser_for",
]
