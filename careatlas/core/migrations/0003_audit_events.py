"""The audit trail, with a trigger on each database that refuses to change a recorded row."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# Deletes are refused by the model and its QuerySet, not by the database: test runs empty
# tables between tests with DELETE on SQLite, and a row-level rule would stop them.
TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE ON core_auditevent "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION core_auditevent_refuse_update() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$",
        "CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE ON core_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_update()",
    ],
}
UNDO = {
    "sqlite": ["DROP TRIGGER IF EXISTS core_auditevent_append_only"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
        "DROP FUNCTION IF EXISTS core_auditevent_refuse_update()",
    ],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_rate_counters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="when"
                    ),
                ),
                (
                    "actor_label",
                    models.CharField(
                        blank=True, max_length=254, verbose_name="who (as known then)"
                    ),
                ),
                ("action", models.CharField(db_index=True, max_length=60, verbose_name="action")),
                (
                    "subject_type",
                    models.CharField(blank=True, max_length=100, verbose_name="object type"),
                ),
                (
                    "subject_id",
                    models.CharField(blank=True, max_length=64, verbose_name="object id"),
                ),
                (
                    "subject_label",
                    models.CharField(blank=True, max_length=200, verbose_name="object"),
                ),
                ("field", models.CharField(blank=True, max_length=100, verbose_name="field")),
                ("old_value", models.TextField(blank=True, verbose_name="old value")),
                ("new_value", models.TextField(blank=True, verbose_name="new value")),
                (
                    "practice_key",
                    models.CharField(
                        blank=True, db_index=True, max_length=40, verbose_name="practice"
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="who",
                    ),
                ),
            ],
            options={
                "verbose_name": "audit event",
                "ordering": ["-at", "-id"],
                "indexes": [
                    models.Index(fields=["subject_type", "subject_id"], name="audit_subject")
                ],
            },
        ),
        migrations.RunPython(_run(TRIGGERS), _run(UNDO)),
    ]
