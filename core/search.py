"""The global search: each app registers what it can find (its own rows, through visible_to(user)) from its ready(),
and the search page asks each one for at most a few hits — one query per kind, whatever the number of rows.

core knows no business model: a source is a function an app hands in (ARCHITECTURE.md: explicit hooks)."""

from collections.abc import Callable
from dataclasses import dataclass

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100
PER_KIND = 10


@dataclass(frozen=True)
class SearchHit:
    """One row found: what to show and where it opens (the staff page, or the portal's for a factory contact)."""

    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class SearchSource:
    """A kind of row the search finds; `find(user=, query=, limit=, portal=)` returns its hits in one query."""

    kind: str
    label: str
    find: Callable[..., list[SearchHit]]
    order: int = 100


@dataclass(frozen=True)
class SearchGroup:
    """The hits of one kind; `more` when the kind had more than the page shows."""

    source: SearchSource
    hits: list[SearchHit]
    more: bool


_SOURCES: dict[str, SearchSource] = {}


def register_search_source(source: SearchSource) -> None:
    """Add a kind to the global search (registering a kind again replaces it, so reloads are harmless)."""
    _SOURCES[source.kind] = source


def search_sources() -> list[SearchSource]:
    """Return the registered kinds in display order."""
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.kind))


def clean_query(raw) -> str:
    """Return the search text, trimmed and bounded; "" when too short to search."""
    # Control characters (a NUL byte PostgreSQL refuses) are never part of a name or a number.
    printable = "".join(ch if ch.isprintable() else " " for ch in str(raw or ""))
    text = " ".join(printable.split())[:MAX_QUERY_LENGTH]
    return text if len(text) >= MIN_QUERY_LENGTH else ""


def search_everything(
    *, user, query: str, portal: bool = False, per_kind: int = PER_KIND
) -> list[SearchGroup]:
    """Search every kind for `query` as `user` may see it: at most `per_kind` hits each, one query per kind."""
    query = clean_query(query)
    if not query:
        return []
    groups = []
    for source in search_sources():
        # One more than shown, to say whether there is more without counting.
        hits = source.find(user=user, query=query, limit=per_kind + 1, portal=portal)
        if hits:
            groups.append(SearchGroup(source, hits[:per_kind], len(hits) > per_kind))
    return groups


def number_of(query: str) -> int | None:
    """Return the row number a query names ("12", "#12"), or None."""
    text = query.lstrip("#")
    return int(text) if text.isdecimal() and len(text) <= 18 else None
