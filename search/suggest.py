"""What the no-results page offers: drop the filters, search the words apart, nearest words."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from haystack import connections

from search.analysis import fold
from search.params import SearchParams
from search.query import segment
from search.services import SearchPage, search_count

MAX_SUGGESTIONS = 5


@dataclass
class NoResultsHelp:
    without_filters: int = 0  # matches once the filters are dropped
    split: list[tuple[str, int]] = field(default_factory=list)  # the query's words apart
    nearest: list[tuple[str, int]] = field(default_factory=list)  # indexed words close by

    def __bool__(self) -> bool:
        return bool(self.without_filters or self.split or self.nearest)


def no_results_help(page: SearchPage) -> NoResultsHelp:
    params = page.params
    help_ = NoResultsHelp()
    if params.has_filters:
        help_.without_filters = search_count(params.without_filters())
    pieces = _pieces(page.terms)
    if len(pieces) > 1:
        help_.split = _counted(params, pieces)
    help_.nearest = _counted(params, _nearest([fold(t) for t in page.terms]))
    return help_


def _pieces(words: list[str]) -> list[str]:
    """The dictionary words of the query (single stray characters are no help alone)."""
    found: list[str] = []
    for word in words:
        found += [p for p in segment(fold(word)) if len(p) > 1 and p not in found]
    return found[:MAX_SUGGESTIONS]


def _nearest(words: list[str]) -> list[str]:
    """Indexed words one edit away (a wrong or missing character), best known first."""
    corrector = connections["default"].get_backend().searcher().corrector("text")
    found: list[str] = []
    for word in words:
        if len(word) > 1:
            found += [s for s in corrector.suggest(word, limit=3, maxdist=1, prefix=1)]
    return [w for w in dict.fromkeys(found) if w not in words][:MAX_SUGGESTIONS]


def _counted(params: SearchParams, words: list[str]) -> list[tuple[str, int]]:
    counted = [(word, search_count(replace(params, q=word, page=1))) for word in words]
    return [(word, n) for word, n in counted if n]
