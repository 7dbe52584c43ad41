"""SQL expressions the metrics need that Django has no portable form of (SQLite, PostgreSQL)."""

from typing import Any

from django.db.models import DateTimeField, Func, IntegerField


class PlusHours(Func):
    """A datetime expression shifted by a fixed number of hours, on SQLite and PostgreSQL."""

    output_field = DateTimeField()

    def __init__(self, expression: Any, hours: int) -> None:
        super().__init__(expression)
        self.hours = int(hours)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC, so text comparison orders it.
        # SQLite's date functions round to milliseconds: shift the whole seconds and keep the
        # stored fraction as it is, so the result has the same shape and is exact.
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return sqlite_plus_hours(sql, self.hours), [*params, *params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=f"(%(expressions)s + interval '{self.hours} hours')",
            **extra,
        )


class DayNumber(Func):
    """A date column as its proleptic Gregorian ordinal (Python's date.toordinal()), a plain
    integer on every database: reading it is cheaper than reading a date."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # julianday('0001-01-01') is 1721425.5, the ordinal 1.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) - 1721424.5 AS INTEGER)",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="((%(expressions)s - DATE '0001-01-01') + 1)", **extra
        )


def sqlite_plus_hours(sql: str, hours: int) -> str:
    """SQL text (for SQLite) of the stored datetime `sql` shifted by whole `hours`, exactly.

    The % signs are doubled: Django's SQLite cursor treats the SQL as a %-format string.
    """
    return (
        f"(strftime('%%Y-%%m-%%d %%H:%%M:%%S', substr({sql}, 1, 19), '+{int(hours)} hours')"
        f" || substr({sql}, 20))"
    )
