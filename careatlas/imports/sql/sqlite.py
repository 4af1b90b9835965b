"""The importers' SQL for SQLite: plain inserts, JSON key lists, no statistics to refresh."""

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models


class SQLite:
    vendor = "sqlite"
    # Rows per NPPES transaction: SQLite holds its one write lock for a batch, so batches
    # stay short (about a second).
    batch_rows = 5_000
    json_cast = ""
    distinct = "IS NOT"

    def insert(self, table: str, names: list[str], rows: list) -> None:
        """Rows into a table, as one executemany on the sqlite3 cursor itself (Django's
        wrapper would rewrite the SQL for each row)."""
        marks = ", ".join("?" * len(names))
        with connection.cursor() as cursor:
            cursor.cursor.executemany(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",  # noqa: S608
                rows,
            )

    def key_in(self, column: str, keys: list[str]) -> tuple[str, object]:
        """A condition `column is one of keys` and its one parameter."""
        return f"{column} IN (SELECT value FROM json_each(%s))", json.dumps(keys)  # noqa: S608

    def empty(self, *tables: str) -> None:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - names from metadata

    def temporary_table(self, name: str, columns, indexes: list[tuple[str, str]]) -> None:
        """A temporary table of (name, SQLite type, PostgreSQL type) columns, with these
        (index name, columns) indexes: SQLite joins by nested loops."""
        with connection.cursor() as cursor:
            definition = ", ".join(f"{column} {kind}" for column, kind, _pg in columns)
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({definition})")
            for index, indexed in indexes:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {name} ({indexed})")

    def analyze(self, *tables: str) -> None:
        """Nothing: SQLite's planner needs no fresh statistics for the imports' joins."""

    def relaxed_commit(self) -> None:
        """Nothing: SQLite has no per-transaction durability setting worth the risk."""

    @contextmanager
    def lean_connection(self) -> Iterator[None]:
        """No memory-mapped reads while importing. Pages read through a mapping count in the
        process's resident memory (up to the 256 MB the site's settings allow), which an
        import promising to stay under 400 MB cannot spend; the page cache serves it as
        well. The setting is restored afterwards."""
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size")
            row = cursor.fetchone()
        if row is None:  # an in-memory database has nothing to map
            yield
            return
        previous = int(row[0])
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size = 0")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA mmap_size = {previous}")

    def connection_for_another_process(self) -> str | None:
        """The database file, or None for an in-memory database (as in tests), which exists
        in this process only."""
        name = str(connection.settings_dict["NAME"])
        if connection.is_in_memory_db() or name.startswith("file:"):
            return None
        return name

    def allocate_ids(self, model: type[models.Model], count: int) -> list[int]:
        """`count` unused primary keys of the model's table, in increasing order.

        AUTOINCREMENT tables never reuse an id: start past both the highest row and the
        highest id ever handed out."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT max(coalesce((SELECT max(id) FROM {connection.ops.quote_name(table)}),"  # noqa: S608
                " 0), coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [table],
            )
            (highest,) = cursor.fetchone()
        return list(range(highest + 1, highest + 1 + count))

    # -- a bulk load (careatlas.imports.bulk_load) ---------------------------------------

    def keys_and_indexes(self, cursor, tables: list[str]) -> list[tuple[str, str, str, str]]:
        """(kind, table, name, definition) of the indexes made by CREATE INDEX without
        UNIQUE, and a "foreign key check" for each table with foreign keys: SQLite cannot
        drop them, but the importing connection can stop checking them row by row and
        check the lot afterwards."""
        items = []
        qn = connection.ops.quote_name
        for table in tables:
            cursor.execute(f"PRAGMA index_list({qn(table)})")
            for _seq, name, unique, origin, _partial in cursor.fetchall():
                if not unique and origin == "c":
                    cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [name])
                    items.append(("index", table, name, cursor.fetchone()[0]))
            cursor.execute(f"PRAGMA foreign_key_list({qn(table)})")
            if cursor.fetchall():
                items.append(("foreign key check", table, table, ""))
        return items

    def prepare_index_builds(self, cursor) -> None:
        """Nothing: SQLite sorts for an index build in its own cache."""

    def indexes_and_keys(self, cursor) -> tuple[set[str], dict[str, bool]]:
        """The schema's index names (SQLite names no foreign key)."""
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        return {name for (name,) in cursor.fetchall()}, {}
