"""Emptying the PostgreSQL test database quickly after a test that commits.

A transactional test (browser pages, worker processes, autocommit requests) ends with
Django's `flush`, which on PostgreSQL is one TRUNCATE of every table: about 90 tables,
each given new files for itself and its indexes, 2.3 to 3.4 s a time on a loaded CI machine
for tables that hold a few dozen rows. Deleting the rows of the tables that have any takes
a few milliseconds and leaves the same empty tables (sequences are not reset by either,
unless a test asks for it, and then TRUNCATE is used as before).
"""

from collections.abc import Callable
from typing import Any

from django.db.backends.postgresql.operations import DatabaseOperations


def tables_with_rows(operations: DatabaseOperations, tables: list[str]) -> list[str]:
    """The tables, of those named, holding at least one row (one query for all of them)."""
    quote = operations.quote_name
    probes = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})"  # noqa: S608 - known names
        for table in tables
    )
    with operations.connection.cursor() as cursor:
        cursor.execute(probes, tables)
        return [row[0] for row in cursor.fetchall()]


def deleting_flush(truncating_flush: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """`sql_flush` for a test database: DELETE what is there instead of TRUNCATE all.

    Foreign keys are deferred to the end of the flush's transaction, so the order of the
    deletes does not matter. A cascading flush (which also empties tables that were not
    named) and a sequence reset keep Django's TRUNCATE, as does any database whose name does
    not say it is a test database.
    """

    def sql_flush(
        self: DatabaseOperations,
        style: Any,
        tables: list[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        name = str(self.connection.settings_dict["NAME"])
        if reset_sequences or allow_cascade or not name.startswith("test_") or not tables:
            return truncating_flush(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        full = tables_with_rows(self, list(tables))
        if not full:
            return []
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"DELETE FROM {self.quote_name(table)}"  # noqa: S608 - Django's table names
            for table in full
        ]

    return sql_flush
