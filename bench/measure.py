"""Timing and query counting: the median of alternating timed runs after one counted warm-up."""

import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Timing:
    """The median of timed runs of one callable, and the queries its warm-up run made (the most frequent kinds)."""

    median_ms: float
    runs_ms: list[float]
    queries: int
    query_kinds: dict[str, int] = field(default_factory=dict)


@dataclass
class Row:
    """One line of the results table: the app's figure, what it is compared with, and the verdict."""

    name: str
    app: Timing
    reference: Timing | None = None
    reference_label: str = "raw SQL"
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.reference is None or not self.reference.median_ms:
            return None
        return round(self.app.median_ms / self.reference.median_ms, 2)


def counted(fn: Callable[[], object], before: Callable[[], object] | None) -> tuple[int, dict[str, int]]:
    """Run fn once (the warm-up), returning how many queries it made and of which kinds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        fn()
    # Read now: a request in the timed runs empties the query log.
    return len(captured), dict(Counter(statement_kind(query["sql"]) for query in captured).most_common(6))


def measure_pair(
    app_fn: Callable[[], object],
    reference_fn: Callable[[], object] | None,
    *,
    reps: int,
    before: Callable[[], object] | None = None,
) -> tuple[Timing, Timing | None]:
    """Time the app and its reference: a counted warm-up each, then `reps` timed runs of each, alternating
    which goes first so that a change of load on the machine weighs on both alike. `before` runs untimed."""
    fns = [fn for fn in (app_fn, reference_fn) if fn is not None]
    warm_ups = [counted(fn, before) for fn in fns]
    runs: list[list[float]] = [[] for _ in fns]
    for rep in range(reps):
        order = list(range(len(fns))) if rep % 2 == 0 else list(reversed(range(len(fns))))
        for index in order:
            if before:
                before()
            started = time.perf_counter()
            fns[index]()
            runs[index].append((time.perf_counter() - started) * 1000)
    timings = [
        Timing(round(statistics.median(r), 2), [round(x, 2) for x in r], q, kinds)
        for r, (q, kinds) in zip(runs, warm_ups, strict=True)
    ]
    return timings[0], (timings[1] if reference_fn is not None else None)


def measure(fn: Callable[[], object], *, reps: int, before: Callable[[], object] | None = None) -> Timing:
    """Time one callable: a counted warm-up, then the median of `reps` timed runs."""
    return measure_pair(fn, None, reps=reps, before=before)[0]


def statement_kind(sql: str) -> str:
    """Return a statement's verb and main table, e.g. 'INSERT scorecards_redflag', to group the queries."""
    verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
    pattern = (
        r'INTO\s+"?(\w+)'
        if verb == "INSERT"
        else r'UPDATE\s+"?(\w+)'
        if verb == "UPDATE"
        else r'FROM\s+"?(\w+)'
    )
    match = re.search(pattern, sql, re.IGNORECASE)
    return f"{verb} {match[1]}" if match else verb
