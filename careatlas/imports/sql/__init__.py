"""The importers' SQL that differs by database, in one class per database, and the one bulk
insert every importer (and the demo seeder) writes plain rows with.

QuerySet.bulk_create spends about 100 µs of Python per row compiling SQL; the importers
and the demo seeder write millions of rows, so they send tuples instead: one executemany
on SQLite, COPY on PostgreSQL. Values that need it (JSON, dates, decimals) still go
through their field's conversion, so both databases get what the ORM would send.
"""

from collections.abc import Callable, Sequence

from django.db import connection, models

from careatlas.imports.sql.postgresql import PostgreSQL
from careatlas.imports.sql.sqlite import SQLite

DATABASES = {"sqlite": SQLite(), "postgresql": PostgreSQL()}


def database() -> SQLite | PostgreSQL:
    """The SQL of the database Django is connected to."""
    return DATABASES[connection.vendor]


def table_name(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def converter(field: models.Field) -> Callable | None:
    """How a value of this field reaches the database driver; None when it goes as it is.

    Only JSON, dates and decimals need the field's conversion (get_db_prep_save costs a few
    microseconds a call, which adds up over millions of values). Repeated values (one
    "now", one day, a few code lists) are converted once.
    """
    if isinstance(field, models.DecimalField):
        adapt = connection.ops.adapt_decimalfield_value
        return lambda value: adapt(value, field.max_digits, field.decimal_places)
    if not isinstance(field, (models.JSONField, models.DateField)):
        return None
    prepare, cache = field.get_db_prep_save, {}

    def convert(value):
        try:
            key = tuple(value) if isinstance(value, list) else value
            return cache[key]
        except KeyError:
            cache[key] = prepared = prepare(value, connection)
            return prepared
        except TypeError:  # unhashable, e.g. a list of dicts
            return prepare(value, connection)

    return convert


def prepared_rows(fields: Sequence[models.Field], rows: list[Sequence]) -> list[list]:
    """Rows of values in field order, each converted as the ORM would send it."""
    converters = [(i, c) for i, f in enumerate(fields) if (c := converter(f)) is not None]
    prepared = []
    for row in rows:
        values = list(row)
        for i, convert in converters:
            if values[i] is not None:
                values[i] = convert(values[i])
        prepared.append(values)
    return prepared


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: list[Sequence]) -> None:
    """Plain rows (values in the order of `columns`, field names) into the model's table."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in columns]
    qn = connection.ops.quote_name
    names = [qn(f.column) for f in fields]
    database().insert(table_name(model), names, prepared_rows(fields, rows))
