"""SQL expressions that read the same on PostgreSQL and on SQLite (the embedded default).

SQLite has no timezones and no intervals; Django registers Python functions on each SQLite connection
(`django_datetime_cast_date`, `django_timestamp_diff`) that these expressions call instead.
"""

from django.db.models import DateField, FloatField, Func


class LocalDate(Func):
    """The calendar day of a datetime in a timezone named by another expression: LocalDate(zone, moment)."""

    arity = 2  # (timezone name, datetime)
    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra):
        # timezone(zone, t) is the wall-clock time in that zone; its date is the day there.
        return self.as_sql(compiler, connection, template="(timezone(%(expressions)s))::date", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django's own function takes the moment first, then the zone, then the stored (UTC) zone.
        (zone_sql, zone_params), (moment_sql, moment_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return f"django_datetime_cast_date({moment_sql}, {zone_sql}, 'UTC')", (*moment_params, *zone_params)


class SecondsBetween(Func):
    """Seconds from `earlier` to `later`, two datetimes (fractional)."""

    arity = 2  # (later, earlier)
    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s))", arg_joiner=" - ", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        # django_timestamp_diff answers in microseconds.
        return self.as_sql(
            compiler, connection, template="(django_timestamp_diff(%(expressions)s) / 1000000.0)", **extra
        )
