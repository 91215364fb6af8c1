"""Keyset (cursor) pagination for the API's big lists: no COUNT(*) over the table and no OFFSET of every row
before the page, so the millionth delivery costs what the first does."""

from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
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
