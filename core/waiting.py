"""What waits for a user: the items of the task-first home pages, the navbar badge and /api/v1/me/tasks/.

An item is a named set of rows (already scoped by `visible_to(user)`) with the list page that shows exactly those
rows: the page narrows its own list with `?todo=<key>` through `waiting_narrow()`, so the count on the home
page and the rows behind its link are the same query by construction. Apps register their items at start-up
(scorecards/waiting.py does, from its ready(): it sits above every app whose rows wait); core only counts.

All counts of a user are one SQL statement (a scalar subquery per item), asked once per request and cached on it.
Each count stops at COUNT_CAP rows (shown as "99+"): a badge needs no exact 30,000, and counting stops early
however many rows wait, so every page's navbar costs the same at 200 suppliers as at 2,000.
Building and compiling a staff user's ~18 querysets cost ~20 ms of every page, so each item's compiled SQL is kept
per (user, day) in the process: an item's rows depend only on the user, today and settings (the keep is emptied when
a setting changes), and an item whose rows read the clock (`reads_clock`, timezone.now()) is compiled afresh.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import QuerySet
from django.dispatch import receiver
from django.urls import reverse

from core.clock import business_today

STAFF = "staff"
PORTAL = "portal"
PREVIEW_ROWS = 3
QUERY_PARAM = "todo"
# A count stops here; COUNT_CAP or more is shown as "99+" (count_label).
COUNT_CAP = 100


@dataclass(frozen=True)
class WaitingItem:
    """One kind of row that waits for someone, with the list page that shows it."""

    key: str
    label: str  # lazy: rendered in the reader's language
    audience: str  # STAFF or PORTAL
    rows: Callable[..., QuerySet]  # rows(user=, today=) -> the waiting rows, scoped to what the user may see
    url_name: str  # the list page that accepts ?todo=<key>
    capability: str = ""  # staff items: shown only to roles holding it ("" = every staff role)
    actionable: bool = True  # counted in the navbar total (False for "for your information" items)
    order: int = 100
    row_label: Callable[[object], str] = str
    row_url: Callable[[object], str] | None = None  # by default the row's get_absolute_url (staff pages)
    # The rows compare with the time of day (timezone.now()): their SQL is compiled afresh on every count,
    # not kept per user and day (on SQLite a moment is a string parameter, so this cannot be told from the SQL).
    reads_clock: bool = False

    def applies_to(self, user) -> bool:
        """Return whether this item belongs on the user's home page."""
        if self.audience == PORTAL:
            return bool(user.is_portal_user and user.supplier_id)
        return bool(user.is_staff_member and (not self.capability or user.can(self.capability)))

    def url(self) -> str:
        """Return the list page filtered to exactly the waiting rows."""
        return f"{reverse(self.url_name)}?{urlencode({QUERY_PARAM: self.key})}"


_REGISTRY: dict[str, WaitingItem] = {}


def waiting_item_register(item: WaitingItem) -> WaitingItem:
    """Add an item to every home page it applies to (one line per item; a key registered twice is replaced)."""
    _REGISTRY[item.key] = item
    return item


def waiting_items_for(*, user) -> list[WaitingItem]:
    """Return the items that apply to a user, in display order."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    return sorted((i for i in _REGISTRY.values() if i.applies_to(user)), key=lambda i: (i.order, i.key))


# (item key, its rows function, user, day, database) -> (sql, params) of the capped rows, or None for no rows.
_COMPILED: dict[tuple, tuple[str, tuple] | None] = {}
_COMPILED_MAX = 4096
_NOT_KEPT = object()


@receiver(setting_changed)
def _forget_compiled(**kwargs):
    _COMPILED.clear()


def _compiled_rows(item: WaitingItem, *, user, today: date) -> tuple[str, tuple] | None:
    """Return the SQL and parameters of an item's first COUNT_CAP waiting rows (None: no rows can wait)."""
    key = (item.key, item.rows, user.pk, user.role, user.supplier_id, user.is_active, today, connection.alias)
    kept = _COMPILED.get(key, _NOT_KEPT)  # one read: another thread may empty the keep between two
    if kept is not _NOT_KEPT:
        return kept
    ran = []  # queries run while the rows were built: their answers are in the SQL, and may change within the day

    def note(execute, sql, params, many, context):
        ran.append(sql)
        return execute(sql, params, many, context)

    compiled = None
    with connection.execute_wrapper(note):
        rows = item.rows(user=user, today=today)
        if not rows.query.is_empty():
            capped = rows.order_by().values("pk")[:COUNT_CAP]
            try:
                compiled = capped.query.get_compiler(connection=connection).as_sql()
            except EmptyResultSet:
                compiled = None
    if (
        not ran
        and not item.reads_clock
        and (compiled is None or not any(isinstance(p, datetime) for p in compiled[1]))
    ):
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        _COMPILED[key] = compiled
    return compiled


def waiting_counts(*, user, today: date | None = None) -> dict[str, int]:
    """Count each item that applies to the user, all in one query (none when nothing applies)."""
    items = waiting_items_for(user=user)
    if not items:
        return {}
    today = today or business_today()
    counts, columns, params = {}, [], []
    for item in items:
        compiled = _compiled_rows(item, user=user, today=today)
        if compiled is None:
            counts[item.key] = 0
        else:
            columns.append((item.key, f"(SELECT COUNT(*) FROM ({compiled[0]}) AS waiting_rows)"))
            params.extend(compiled[1])
    if columns:
        # One row carries every count as a column.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(sql for _key, sql in columns)}", params)
            row = cursor.fetchone()
        for (key, _sql), count in zip(columns, row, strict=True):
            counts[key] = int(count)
    return counts


def count_label(count: int) -> str:
    """Return how a count is shown: the number, or "99+" from COUNT_CAP on (the count stopped there)."""
    return f"{COUNT_CAP - 1}+" if count >= COUNT_CAP else str(count)


def waiting_summary(request) -> dict:
    """Return {"counts": {...}, "total": n} for the signed-in user, computed once per request."""
    cached = getattr(request, "_waiting_summary", None)
    if cached is None:
        user = request.user
        counts = waiting_counts(user=user)
        actionable = {i.key for i in waiting_items_for(user=user) if i.actionable}
        total = sum(n for k, n in counts.items() if k in actionable)
        cached = {"counts": counts, "total": total, "total_label": count_label(total)}
        request._waiting_summary = cached
    return cached


def waiting_list(*, user, counts: dict[str, int], today: date | None = None, preview: int = 0) -> list[dict]:
    """Return the items of a user's home page: key, label, count, link and (with `preview`) the first rows.

    The preview costs one query per item with rows: constant, whatever the number of rows.
    """
    today = today or business_today()
    result = []
    for item in waiting_items_for(user=user):
        count = counts.get(item.key, 0)
        rows = []
        if preview and count:
            waiting = item.rows(user=user, today=today)
            if any(f.name == "supplier" and f.is_relation for f in waiting.model._meta.concrete_fields):
                waiting = waiting.select_related("supplier")  # the preview's labels name it
            rows = [
                {"label": item.row_label(row), "url": (item.row_url or _row_url)(row)}
                for row in waiting[:preview]
            ]
        result.append(
            {
                "key": item.key,
                "label": item.label,
                "count": count,
                "count_label": count_label(count),
                "capped": count >= COUNT_CAP,
                "url": item.url(),
                "actionable": item.actionable,
                "rows": rows,
            }
        )
    return result


def _row_url(row) -> str:
    get_url = getattr(row, "get_absolute_url", None)
    try:
        return get_url() if get_url else ""
    except Exception:
        return ""


def waiting_item_requested(request) -> WaitingItem | None:
    """Return the item named by ?todo= when it applies to the user (an unknown or foreign key: None)."""
    key = request.GET.get(QUERY_PARAM, "")
    item = _REGISTRY.get(key) if isinstance(key, str) else None
    if item is None or not item.applies_to(request.user):
        return None
    return item


def waiting_narrow(request, queryset: QuerySet) -> QuerySet:
    """Narrow a list page's rows to the waiting item named by ?todo=, when it lists this model.

    Bad or foreign keys change nothing: the page shows its usual list.
    """
    item = waiting_item_requested(request)
    if item is None:
        return queryset
    rows = item.rows(user=request.user, today=business_today())
    if rows.model is not queryset.model:
        return queryset
    return queryset.filter(pk__in=rows.order_by().values("pk"))


def waiting_home_context(request, *, preview: int = PREVIEW_ROWS) -> dict:
    """Return what a home page renders with includes/waiting_items.html (the counts shared with the navbar)."""
    summary = waiting_summary(request)
    items = waiting_list(user=request.user, counts=summary["counts"], preview=preview)
    return {
        "waiting_items": items,
        "waiting_total_here": summary["total"],
        "waiting_total_here_label": summary["total_label"],
        "waiting_any": any(item["count"] for item in items),
    }


def waiting_context(request) -> dict:
    """Context processor: the navbar's total of waiting items, counted lazily, at most once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "waiting_total": lambda: waiting_summary(request)["total"],
        "waiting_total_label": lambda: waiting_summary(request)["total_label"],
        "waiting_filter": lambda: waiting_item_requested(request),
    }
