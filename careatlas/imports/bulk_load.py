"""A bulk load: set foreign keys and secondary indexes aside, then put them back.

PostgreSQL checks a foreign key once per inserted row (a lookup and a lock on the row it
references) and updates every index of a table once per row. A first NPPES import inserts
about 6.5 million rows into eight tables with 30 indexes. Measured on this machine at a
million NPPES rows, the foreign key checks cost about 55 s and the non-unique indexes about
as much again, out of 150 s of rows. PostgreSQL's own advice for bulk loading, and what
pg_restore does, is to build indexes and add foreign keys after the data: one sorted build
per index and one join per key, about 20 s for all of them.

Unique indexes stay: the merge relies on them. What is set aside is kept in the run's
checkpoint, in the transaction that drops it, so a crash cannot lose it. A resumed run puts
it back at the end of its rows, and an import started meanwhile first puts back what any
other run left aside. Foreign keys come back NOT VALID with the indexes, so new rows are
checked from that commit on, and are then validated one by one. If a row written by hand
meanwhile references nothing, validation fails with the key's name. The key still guards
new rows, and running the import again retries the validation.

SQLite cannot drop a foreign key, but a connection can stop checking them: the importing
connection does so while the rows go in (the site's connections keep checking theirs) and
then checks every row of the eight tables with PRAGMA foreign_key_check. Its non-unique
indexes are dropped and built again as on PostgreSQL.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models, transaction

from careatlas.core.catalogue import standalone_indexes
from careatlas.imports.models import ImportRun
from careatlas.imports.runs import save_checkpoint

CHECKPOINT_KEY = "set_aside_for_bulk_load"


class PutBackError(Exception):
    """A foreign key put back could not be validated; the message names it."""


def supported() -> bool:
    return connection.vendor in ("postgresql", "sqlite")


def set_aside(run: ImportRun, written: list[type[models.Model]]) -> int:
    """Drop the foreign keys and non-unique indexes of the tables a bulk load writes (on
    SQLite, whose keys cannot be dropped, mark them for checking instead); returns how
    many."""
    tables = [model._meta.db_table for model in written]
    postgresql = connection.vendor == "postgresql"
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        saved = _pg_items(cursor, tables) if postgresql else _sqlite_items(cursor, tables)
        for item in saved:
            if item["kind"] == "index":
                cursor.execute(f"DROP INDEX {qn(item['name'])}")
            elif item["kind"] == "foreign key":
                cursor.execute(f"ALTER TABLE {item['table']} DROP CONSTRAINT {qn(item['name'])}")
        save_checkpoint(run, {**run.checkpoint, CHECKPOINT_KEY: saved})
    return len(saved)


def _item(kind: str, table: str, name: str, definition: str) -> dict:
    return {"kind": kind, "table": table, "name": name, "definition": definition}


def _pg_items(cursor, tables: list[str]) -> list[dict]:
    # Deferred checks still pending in this transaction would forbid ALTER TABLE.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)"
        " FROM pg_constraint c WHERE c.contype = 'f'"
        " AND c.conrelid = ANY(SELECT to_regclass(t) FROM unnest(%s::text[]) t)"
        " ORDER BY 1, 2",
        [tables],
    )
    keys = [_item("foreign key", *row) for row in cursor.fetchall()]
    indexes = standalone_indexes(cursor, tables, unique=False)
    return keys + [_item("index", *row) for row in indexes]


def _sqlite_items(cursor, tables: list[str]) -> list[dict]:
    """Indexes made by CREATE INDEX without UNIQUE, and a "check" for each table with
    foreign keys: SQLite cannot drop them, but the importing connection can stop checking
    them row by row (see unchecked_keys) and check the lot afterwards."""
    items = []
    for table in tables:
        cursor.execute(f"PRAGMA index_list({connection.ops.quote_name(table)})")
        for _seq, name, unique, origin, _partial in cursor.fetchall():
            if not unique and origin == "c":
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [name])
                items.append(_item("index", table, name, cursor.fetchone()[0]))
        cursor.execute(f"PRAGMA foreign_key_list({connection.ops.quote_name(table)})")
        if cursor.fetchall():
            items.append(_item("foreign key check", table, table, ""))
    return items


@contextmanager
def unchecked_keys(run: ImportRun) -> Iterator[None]:
    """SQLite: this connection stops checking foreign keys while a bulk load's rows go in
    (other connections still check theirs); put_back checks every row afterwards. The
    setting only takes outside a transaction, as here, between batches."""
    relaxed = (
        connection.vendor == "sqlite"
        and CHECKPOINT_KEY in run.checkpoint
        and connection.disable_constraint_checking()
    )
    try:
        yield
    finally:
        if relaxed:
            connection.enable_constraint_checking()


def _present(cursor) -> tuple[set[str], dict[str, bool]]:
    """The schema's index names, and its foreign key names -> whether validated."""
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        return {name for (name,) in cursor.fetchall()}, {}
    cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
    indexes = {name for (name,) in cursor.fetchall()}
    cursor.execute(
        "SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f'"
        " AND connamespace = current_schema()::regnamespace"
    )
    return indexes, dict(cursor.fetchall())


def put_back(run: ImportRun) -> None:
    """Build the run's set-aside indexes and add its foreign keys again, validated;
    idempotent."""
    saved = run.checkpoint.get(CHECKPOINT_KEY)
    if saved is None or not supported():
        return
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        indexes, keys = _present(cursor)
        for item in saved:
            if item["kind"] == "index" and item["name"] not in indexes:
                cursor.execute(item["definition"])
            elif item["kind"] == "foreign key" and item["name"] not in keys:
                cursor.execute(
                    f"ALTER TABLE {item['table']} ADD CONSTRAINT {qn(item['name'])}"
                    f" {item['definition']} NOT VALID"
                )
    # Keys already validated (by an earlier, interrupted put_back) are not checked again.
    validated = {name for name, done in keys.items() if done}
    checks = [item for item in saved if item["kind"] != "index" and item["name"] not in validated]
    failed = [_validate(item) for item in checks]
    failed = [failure for failure in failed if failure]
    if failed:
        raise PutBackError(
            f"Foreign keys could not be validated after the bulk load: {'; '.join(failed)}."
            " They are back and guard new rows; remove or repair the rows named, then run"
            " the same import again to validate them."
        )
    save_checkpoint(run, {k: v for k, v in run.checkpoint.items() if k != CHECKPOINT_KEY})


def _validate(item: dict) -> str:
    """Empty if the item's rows reference what exists, else what is wrong."""
    try:
        with transaction.atomic():
            if item["kind"] == "foreign key check":
                connection.check_constraints(table_names=[item["table"]])
            else:
                table, name = item["table"], connection.ops.quote_name(item["name"])
                with connection.cursor() as cursor:
                    cursor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
    except Exception as error:  # the database's message says which row
        return f"{item['name']} on {item['table']} ({error})"
    return ""


def put_back_others(run: ImportRun) -> None:
    """Put back what other runs set aside and did not restore (killed, then abandoned)."""
    if not supported():
        return
    for other in ImportRun.objects.exclude(pk=run.pk).filter(checkpoint__has_key=CHECKPOINT_KEY):
        put_back(other)
