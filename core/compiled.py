"""Queries compiled to SQL once per shape, then run again with new values.

Building and compiling a big ORM query (subqueries, a UNION) costs milliseconds of Python on every call, several
times the database's own time for a page's worth of rows. A CompiledQuery builds its queryset once per shape (which
values are lists, and how long), with stand-in values, finds where each stand-in lands among the SQL's parameters,
and afterwards only puts the real values in their places. Rows come back through the ORM's own converters, as the
queryset itself would return them.

Only for a queryset whose SQL depends on nothing but the shape of its values: no rows read while building it, and
each value passed through to the SQL as it is (a date compared, ids in an IN list), never computed on. A stand-in
that does not reach the parameters unchanged raises, rather than running the wrong query.
"""

import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Stand-ins no real value equals: ids far below any primary key, and days of year 1.
_ID_BASE = -(10**12)
# Shapes kept per query, the oldest dropped past it: lists of ids come in a few lengths (a page, a chunk, one).
MAX_SHAPES = 64
_MISSING = object()


def _stand_in(name: str, value, index: int, variant: int):
    # None and strings are part of the shape (a filter left out, a kind of period): kept as they are.
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return date(1 + variant, 1 + index // 28, 1 + index % 28)
    if isinstance(value, (list, tuple)):
        return [_ID_BASE * (2 * index + variant + 1) - n for n in range(len(value))]
    raise TypeError(
        f"{name}: a CompiledQuery takes dates, lists of ids, None and strings, not {type(value).__name__}"
    )


def _shape(value) -> tuple:
    """Return what of a value decides the SQL: a list's length, a string or None itself, else its type."""
    if isinstance(value, (list, tuple)):
        return ("list", len(value))
    if value is None or isinstance(value, str):
        return ("as is", value)
    return ("type", type(value).__name__)


class CompiledQuery:
    """A queryset built by `build(**values)`, compiled once per shape of its values (see the module).

    Dates and lists of ids are put in place on each call; None and strings are part of the shape (a filter left out,
    the kind of a period), so each distinct one is compiled once.
    """

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict = {}
        self._lock = threading.Lock()

    def rows(self, *, using: str = DEFAULT_DB_ALIAS, **values) -> Iterator[list]:
        """Return the rows the built queryset gives for these values, as lists (a values_list() queryset's)."""
        compiled = self._compiled_for(using, values)
        if compiled is None:
            return iter(())
        compiler, sql, places, _names = compiled
        params = [
            constant if name is None else (values[name][position] if position is not None else values[name])
            for constant, name, position in places
        ]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return compiler.results_iter(results=[fetched])

    def dicts(self, *, using: str = DEFAULT_DB_ALIAS, **values) -> Iterator[dict]:
        """Return the rows of a values() queryset for these values, as the dicts its iteration gives."""
        compiled = self._compiled_for(using, values)
        names = compiled[3] if compiled is not None else []
        return (dict(zip(names, row, strict=True)) for row in self.rows(using=using, **values))

    def _compiled_for(self, using: str, values: dict):
        key = (
            using,
            connections[using].vendor,
            tuple((name, _shape(v)) for name, v in sorted(values.items())),
        )
        compiled = self._compiled.get(key, _MISSING)
        if compiled is _MISSING:
            compiled = self._compile(using, values)
            with self._lock:
                if len(self._compiled) >= MAX_SHAPES:
                    self._compiled.pop(next(iter(self._compiled)), None)
                self._compiled[key] = compiled
        return compiled

    def _compile(self, using: str, values: dict):
        # Compiled twice with different stand-ins: a value computed on before it reaches the SQL (a day added to a
        # date) would leave a constant that differs between the two, and is refused rather than baked in.
        first, second = (self._compile_with(using, values, variant) for variant in (0, 1))
        if first is None or second is None:
            if (first is None) != (second is None):
                raise ValueError("the query's shape depends on the values, not only on their shape")
            return None
        if first[1] != second[1] or [p[0] for p in first[2]] != [p[0] for p in second[2]]:
            raise ValueError("values not passed through to the SQL unchanged: a constant follows them")
        return first

    def _compile_with(self, using: str, values: dict, variant: int):
        stand_ins = {
            name: _stand_in(name, value, index, variant) for index, (name, value) in enumerate(values.items())
        }
        query = self.build(**stand_ins).query
        compiler = query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # an empty list the SQL cannot hold: no rows, as the queryset would give
            return None
        # Where each stand-in lands; a date may reach the driver as a date or (SQLite) as its ISO text.
        found = {}
        for name, stand_in in stand_ins.items():
            if isinstance(stand_in, list):
                found.update({identifier: (name, n) for n, identifier in enumerate(stand_in)})
            elif isinstance(stand_in, date):
                found.update({stand_in: (name, None), stand_in.isoformat(): (name, None)})
        places, reached = [], set()
        for param in params:
            name, position = (
                found.get(param, (None, None)) if isinstance(param, (int, str, date)) else (None, None)
            )
            places.append((param if name is None else None, name, position))
            reached.add((name, position))
        missing = [
            name
            for name, stand_in in stand_ins.items()
            if isinstance(stand_in, (list, date))
            and not reached.issuperset(
                [(name, n) for n in range(len(stand_in))] if isinstance(stand_in, list) else [(name, None)]
            )
        ]
        if missing:
            raise ValueError(f"values not passed through to the SQL unchanged: {', '.join(missing)}")
        # The names a values() queryset gives its columns (as django.db.models.query.ValuesIterable reads them).
        names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        return compiler, sql, places, names
