"""Upserts that keep the newest row: INSERT … ON CONFLICT … DO UPDATE … WHERE stored <= incoming, so two writers
that commit out of order cannot put the older figures back (the later commit no longer wins by being later).

Django's bulk_create(update_conflicts=True) cannot add the WHERE; PostgreSQL and SQLite (3.24 and later) both take
it, in the same words.
"""

from collections.abc import Sequence

from django.db import connections, router, transaction
from django.db.models import Model


def upsert_keeping_newest(
    model: type[Model],
    objs: Sequence[Model],
    *,
    unique_fields: Sequence[str],
    update_fields: Sequence[str],
    newest_by: str,
    batch_size: int = 2000,
) -> int:
    """Insert `objs`, or update the stored row with the same `unique_fields` when the incoming row's `newest_by` is
    at least the stored one's; return the rows inserted or updated.

    A row older than the stored one is skipped and not counted; an equal one overwrites, so the same write run twice
    is safe. One statement per batch of `batch_size` rows (smaller when SQLite's parameter limit asks), as
    bulk_create does; each value is prepared by its field for the connection as Django's own INSERT prepares it
    (JSON, datetimes, decimals), and the auto primary key is left to the database. On PostgreSQL a batch is one
    array per column, unnested into rows (as Django's bulk_create does: less to plan than thousands of
    placeholders), so the model's columns must be of plain types (no arrays).
    """
    if not objs:
        return 0
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    fields = [field for field in meta.concrete_fields if field is not meta.auto_field and not field.generated]
    table = quote(meta.db_table)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in map(column, update_fields))
    on_conflict = (
        f"ON CONFLICT ({', '.join(map(column, unique_fields))}) DO UPDATE SET {updates}"
        f" WHERE {table}.{column(newest_by)} <= EXCLUDED.{column(newest_by)}"
    )
    insert = f"INSERT INTO {table} ({', '.join(quote(field.column) for field in fields)})"
    unnest = connection.vendor == "postgresql"
    if unnest:
        # The column's type without its size (varchar, not varchar(10)), so no value is cut to fit the array.
        arrays = ", ".join(f"%s::{field.db_type(connection).split('(')[0]}[]" for field in fields)
        insert = f"{insert} SELECT * FROM unnest({arrays})"
    size = min(batch_size, max(connection.ops.bulk_batch_size(fields, objs), 1))
    written = 0
    # All batches or none, as bulk_create: no savepoint, so no extra query inside the caller's transaction.
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            rows = [
                [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields]
                for obj in objs[start : start + size]
            ]
            if unnest:
                cursor.execute(
                    f"{insert} {on_conflict}", [list(values) for values in zip(*rows, strict=True)]
                )
            else:
                values = ", ".join([f"({', '.join(['%s'] * len(fields))})"] * len(rows))
                cursor.execute(f"{insert} VALUES {values} {on_conflict}", [p for row in rows for p in row])
            # Rows inserted or updated: a conflict whose WHERE is false changes nothing and counts nothing.
            written += cursor.rowcount
    return written
