"""Keyset (cursor) pagination for the API's big lists: no COUNT(*) over the table and no OFFSET of every row
before the page, so the millionth delivery costs what the first does; and page numbers with an estimated total
past 10,000 rows for the other lists, staff pages and API alike."""

import json
from functools import partial

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.settings import api_settings


class NewestFirstCursorPagination(CursorPagination):
    """Page newest first by id (unique, never changes: no row skipped or repeated while a client pages).

    The answer has `next` and `previous` links carrying an opaque `cursor`, and no `count`. A viewset using it
    takes `filter_backends = keyset_filter_backends()`: a client-chosen ordering would break the keyset.
    """

    ordering = "-id"
    page_size = api_settings.PAGE_SIZE


def keyset_filter_backends() -> list:
    """Return the default filter backends without the ordering one (the cursor fixes the order)."""
    return [
        backend for backend in api_settings.DEFAULT_FILTER_BACKENDS if not issubclass(backend, OrderingFilter)
    ]


# --- Pages with an estimated total: the staff lists and the API's page-numbered lists ------------------------

EXACT_COUNT_UP_TO = 10_000  # past this many rows a list's total is the planner's estimate ("about 480,000")


def estimated_rows(queryset) -> int | None:
    """Return PostgreSQL's estimate of how many rows `queryset` holds (EXPLAIN, nothing read), None elsewhere."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    try:
        plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])
    except (ValueError, KeyError, IndexError, TypeError):
        return None


class EstimatedPage(Page):
    """A page that knows whether another follows from the row it read past its end, not from the total."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1  # the estimate may fall short of the rows there are: the row read past says


class EstimatedCountPaginator(Paginator):
    """A paginator that counts exactly up to EXACT_COUNT_UP_TO rows and estimates beyond.

    `COUNT(*)` over half a million invoices or a million deliveries reads every row (40-60 ms at size M) to print a
    page count nobody pages to. Here the count stops at EXACT_COUNT_UP_TO + 1 rows (a LIMIT in a subquery); a
    list longer than that takes the planner's estimate of its rows (`estimated` is then True, and the page links
    say "about"). Each page reads one row past its end, so "next" is exact whatever the estimate.

    Only staff get an estimate (`estimate=True`): the planner's figure for one supplier's rows is drawn from the whole
    table's statistics, so a factory's list is always counted exactly (it never sees a number derived from others').
    """

    exact_up_to = EXACT_COUNT_UP_TO
    estimated = False

    def __init__(self, *args, estimate: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.estimate = estimate

    @cached_property
    def count(self) -> int:
        items = self.object_list
        if not isinstance(items, QuerySet) or not self.estimate:
            return super().count
        capped = items.order_by().values("pk")[: self.exact_up_to + 1].count()
        if capped <= self.exact_up_to:
            return capped
        estimate = estimated_rows(items)
        if estimate is None:
            return items.count()
        self.estimated = True
        return max(estimate, self.exact_up_to + 1)

    def validate_number(self, number) -> int:
        if not (self.count and self.estimated):
            return super().validate_number(number)
        # An estimate may fall short of the rows there are: a page past it is read (empty past the last row), up
        # to ten times the estimate, so that "next" always leads somewhere.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        if number > self.max_page:
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.estimated:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        # No "next" past the last page validate_number serves, so a link never leads to an error.
        more = len(rows) > self.per_page and number < self.max_page
        return EstimatedPage(rows[: self.per_page], number, self, more=more)

    @property
    def max_page(self) -> int:
        return 10 * self.num_pages


class EstimatedPageNumberPagination(PageNumberPagination):
    """The API's page-numbered lists: `count` is exact up to EXACT_COUNT_UP_TO rows, the planner's estimate beyond
    (follow `next`, which is always exact)."""

    django_paginator_class = EstimatedCountPaginator

    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = partial(EstimatedCountPaginator, estimate=staff_asks(request))
        return super().paginate_queryset(queryset, request, view)


def staff_asks(request) -> bool:
    """Return whether the request is a staff member's: only staff lists take an estimated total."""
    return bool(getattr(request.user, "is_staff_member", False))
