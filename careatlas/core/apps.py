"""Cross-cutting pieces every domain app may use; imports no domain app."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "careatlas.core"
    label = "core"
