"""Operations more than one app's migrations use."""

from django.db import migrations


def drop_prefix_index(table: str, column: str) -> migrations.RunPython:
    """Drop the second, varchar_pattern_ops index Django gives an indexed CharField on
    PostgreSQL (for LIKE 'x%'), where nothing looks the column up by prefix: it only slows
    down every insert. Nothing to do on other databases; reversing leaves it dropped."""

    def drop(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                " AND tablename = %s AND indexname LIKE %s AND indexdef LIKE %s",
                [table, f"{table}_{column}%_like", "%varchar_pattern_ops%"],
            )
            for (name,) in cursor.fetchall():
                schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    return migrations.RunPython(drop, migrations.RunPython.noop, elidable=True)


def vendor_sql(
    forward: dict[str, list[str]], backward: dict[str, list[str]]
) -> migrations.RunPython:
    """Run the statements listed for the connection's vendor ("sqlite", "postgresql"), for
    the raw-SQL tables and structures Django's schema editor does not model."""

    def run(statements_by_vendor):
        def apply(apps, schema_editor) -> None:
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(run(forward), run(backward))
