"""Haystack field types for Chinese text; search.backend maps them to Whoosh fields."""

from haystack import indexes


class WordsField(indexes.CharField):
    """Text segmented into jieba search-mode words (ranking, whole-word matches)."""

    field_type = "cjk_words"


class CharsField(indexes.CharField):
    """Text as single characters, without positions (one-character queries)."""

    field_type = "cjk_chars"


class BigramsField(indexes.CharField):
    """Text as overlapping character pairs with positions (longer words, exact phrases)."""

    field_type = "cjk_bigrams"


class KeywordField(indexes.CharField):
    """An untokenised value used for filters and facet counts (column, source)."""

    field_type = "keyword"
