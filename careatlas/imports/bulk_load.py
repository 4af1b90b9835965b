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
from django.utils.translation import gettext as _

from careatlas.imports.models import ImportRun
from careatlas.imports.runs import save_checkpoint
from careatlas.imports.source import Stopped
from careatlas.imports.sql import DATABASES, database

CHECKPOINT_KEY = "set_aside_for_bulk_load"


class PutBackError(Stopped):
    """A foreign key put back could not be validated; the message names it."""


def supported() -> bool:
    return connection.vendor in DATABASES


def set_aside(run: ImportRun, written: list[type[models.Model]]) -> int:
    """Drop the foreign keys and non-unique indexes of the tables a bulk load writes (on
    SQLite, whose keys cannot be dropped, mark them for checking instead); returns how
    many."""
    tables = [model._meta.db_table for model in written]
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        saved = [
            {"kind": kind, "table": table, "name": name, "definition": definition}
            for kind, table, name, definition in database().keys_and_indexes(cursor, tables)
        ]
        for item in saved:
            if item["kind"] == "index":
                cursor.execute(f"DROP INDEX {qn(item['name'])}")
            elif item["kind"] == "foreign key":
                cursor.execute(f"ALTER TABLE {item['table']} DROP CONSTRAINT {qn(item['name'])}")
        save_checkpoint(run, {**run.checkpoint, CHECKPOINT_KEY: saved})
    return len(saved)


@contextmanager
def unchecked_keys(run: ImportRun) -> Iterator[None]:
    """SQLite: this connection stops checking foreign keys while a bulk load's rows go in
    (other connections still check theirs); put_back checks every row afterwards. The
    setting only takes outside a transaction, as here, between batches."""
    # Only SQLite's connection can stop checking (PostgreSQL's keys are dropped instead).
    relaxed = CHECKPOINT_KEY in run.checkpoint and connection.disable_constraint_checking()
    try:
        yield
    finally:
        if relaxed:
            connection.enable_constraint_checking()


def put_back(run: ImportRun) -> None:
    """Build the run's set-aside indexes and add its foreign keys again, validated;
    idempotent."""
    saved = run.checkpoint.get(CHECKPOINT_KEY)
    if saved is None or not supported():
        return
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        sql = database()
        sql.prepare_index_builds(cursor)
        indexes, keys = sql.indexes_and_keys(cursor)
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


def unfinished_warning() -> str | None:
    """What /healthz and the admin say while a bulk load's keys and indexes are set aside."""
    runs = list(ImportRun.objects.filter(checkpoint__has_key=CHECKPOINT_KEY).order_by("pk"))
    if not runs:
        return None
    run = runs[0]
    items = len(run.checkpoint.get(CHECKPOINT_KEY) or [])
    return _(
        "A bulk load is unfinished (import run %(run)s, %(file)s): %(items)s indexes and "
        "foreign keys are set aside, so searches are slower and new rows are not checked. "
        "Run the import again (manage.py import_nppes %(file)s) to finish it and put them back."
    ) % {"run": run.pk, "file": run.file_name, "items": items}
