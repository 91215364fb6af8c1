"""List filters read from the query string, checked against the model before they reach a query.

A list page or selector takes its filters from `?supplier=…&status=…`, which anyone can type. `exact_filters()`
keeps a value only when the model field can hold it (an id for a foreign key, one of the field's choices, a
date, a yes/no) and leaves out the rest, so `?supplier=x` lists as if the filter were absent instead of
answering 500; `search_text()` makes a free-text search safe to send to the database. The API lists validate
through django-filter, which answers a malformed filter with a JSON 400. tests/test_junk_filters.py feeds junk
to every filter of every list.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from .inputs import EARLIEST_DATE, LATEST_DATE, is_id

# A search longer than this is cut: no number, name or SKU is longer, and the LIKE pattern stays small.
MAX_SEARCH_LENGTH = 100


def search_text(value) -> str:
    """Return a free-text search as the database may take it: no NUL character, at most MAX_SEARCH_LENGTH long."""
    return ("" if value is None else str(value)).replace("\x00", "").strip()[:MAX_SEARCH_LENGTH]


def field_accepts(field: models.Field, value) -> bool:
    """Return whether `value` (text from a query string) is one the model field can be compared with."""
    if isinstance(field, models.ForeignKey | models.OneToOneField | models.AutoField):
        return is_id(value)
    text = str(value)
    if "\x00" in text:
        return False
    if field.choices:
        return text in {str(key) for key, _label in field.flatchoices}
    if isinstance(field, models.IntegerField):
        return is_id(value)
    try:
        parsed = field.to_python(text)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return EARLIEST_DATE <= parsed <= LATEST_DATE
    return len(text) <= (field.max_length or MAX_SEARCH_LENGTH)


def exact_filters(model: type[models.Model], filters: Mapping | None, names: Iterable[str]) -> dict:
    """Return `{name: value}` for each of `names` that `filters` gives a value the model's field accepts;
    blank and malformed values are left out (the list shows as if that filter were not asked for)."""
    filters = filters or {}
    accepted = {}
    for name in names:
        value = filters.get(name)
        if value in (None, ""):
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many:
            if is_id(value):
                accepted[name] = value
        elif field_accepts(field, value):
            accepted[name] = value
    return accepted
