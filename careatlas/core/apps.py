"""Cross-cutting pieces every domain app may use; imports no domain app."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "careatlas.core"
    label = "core"

    def ready(self):
        # Imported here: metrics reads django_tasks_db's model, loaded only now.
        from careatlas.core import metrics, routing

        metrics.register_gauge(
            "careatlas_task_queue_depth",
            "Background tasks waiting (ready) or running, by queue.",
            ("queue", "status"),
            metrics.task_queue_depth,
        )
        metrics.register_gauge(
            "careatlas_replica",
            "The database replica as this process last checked it: usable (1/0), lag_seconds.",
            ("figure",),
            routing.replica_figures,
        )
