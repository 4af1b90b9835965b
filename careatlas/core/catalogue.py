"""What PostgreSQL's catalogue says about tables' indexes, for work that rebuilds them."""


def standalone_indexes(cursor, tables: list[str], *, unique: bool) -> list[tuple[str, str, str]]:
    """(table, index name, CREATE INDEX statement) of the tables' indexes that no constraint
    owns (a primary key, unique or exclusion constraint keeps its own), by table and name.

    unique=False leaves out unique indexes too: a writer that relies on them (an upsert)
    must keep them while it writes.
    """
    cursor.execute(
        "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i"
        " JOIN pg_index x ON x.indexrelid = to_regclass(quote_ident(i.indexname))"
        " WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)"
        " AND (%s OR NOT x.indisunique)"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
        " ORDER BY 1, 2",
        [list(tables), unique],
    )
    return cursor.fetchall()
