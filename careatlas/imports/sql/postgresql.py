"""The importers' SQL for PostgreSQL: COPY, arrays of keys, sequences and fresh statistics."""

from contextlib import AbstractContextManager, nullcontext

from django.db import connection, models

from careatlas.core.catalogue import standalone_indexes


class PostgreSQL:
    vendor = "postgresql"
    # Rows per NPPES transaction: the site's readers and writers are not blocked, and bigger
    # batches spend less on running the merge's 40-odd statements per batch.
    batch_rows = 10_000
    json_cast = "::jsonb"
    distinct = "IS DISTINCT FROM"

    def __init__(self):
        self._sequences: dict[tuple[str, str], str] = {}

    def insert(self, table: str, names: list[str], rows: list) -> None:
        """Rows into a table with COPY, several times faster than INSERTs."""
        sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def key_in(self, column: str, keys: list[str]) -> tuple[str, object]:
        """A condition `column is one of keys` and its one parameter."""
        return f"{column} = ANY(%s)", keys

    def empty(self, *tables: str) -> None:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"TRUNCATE {table}")

    def temporary_table(self, name: str, columns, indexes: list[tuple[str, str]]) -> None:
        """A temporary table of (name, SQLite type, PostgreSQL type) columns, without the
        indexes: PostgreSQL hashes small batch tables, faster than keeping indexes on them."""
        definition = ", ".join(f"{column} {kind}" for column, _sqlite, kind in columns)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({definition})")

    def analyze(self, *tables: str) -> None:
        """Fresh statistics after a bulk write (what autovacuum would do soon after): the
        next joins over these tables (every table if none is named) are planned on them,
        not as if they were empty."""
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")

    def relaxed_commit(self) -> None:
        """This transaction's commit need not wait for its WAL to reach disk. A server crash
        may then lose the last batches committed, but each batch carries its own
        checkpoint, so the run resumes before them: nothing half-written, nothing skipped."""
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")

    def lean_connection(self) -> AbstractContextManager[None]:
        return nullcontext()

    def connection_for_another_process(self) -> dict:
        """The connection parameters psycopg needs to connect from another process."""
        params = connection.get_connection_params()
        return {k: v for k, v in params.items() if isinstance(v, str | int) and v != ""}

    def allocate_ids(self, model: type[models.Model], count: int) -> list[int]:
        """`count` unused primary keys of the model's table, in increasing order."""
        table, column = model._meta.db_table, model._meta.pk.column
        with connection.cursor() as cursor:
            if (table, column) not in self._sequences:
                # Looked up once per process: the catalog costs more than a batch's nextvals.
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)",
                    [connection.ops.quote_name(table), column],
                )
                self._sequences[table, column] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                [self._sequences[table, column], count],
            )
            return sorted(pk for (pk,) in cursor.fetchall())

    # -- a bulk load (careatlas.imports.bulk_load) ---------------------------------------

    def keys_and_indexes(self, cursor, tables: list[str]) -> list[tuple[str, str, str, str]]:
        """(kind, table, name, definition) of the tables' foreign keys and of the indexes
        no constraint owns, unique ones excepted (the merge relies on them)."""
        # Deferred checks still pending in this transaction would forbid ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
            " FROM pg_constraint c WHERE c.contype = 'f'"
            " AND c.conrelid = ANY(SELECT to_regclass(t) FROM unnest(%s::text[]) t)"
            " ORDER BY 1, 2",
            [tables],
        )
        keys = [("foreign key", *row) for row in cursor.fetchall()]
        indexes = standalone_indexes(cursor, tables, unique=False)
        return keys + [("index", *row) for row in indexes]

    def prepare_index_builds(self, cursor) -> None:
        """More memory for this transaction's index builds: each sorts in one pass."""
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")

    def indexes_and_keys(self, cursor) -> tuple[set[str], dict[str, bool]]:
        """The schema's index names, and its foreign key names -> whether validated."""
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        indexes = {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f'"
            " AND connamespace = current_schema()::regnamespace"
        )
        return indexes, dict(cursor.fetchall())
