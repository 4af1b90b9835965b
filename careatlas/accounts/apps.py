"""The accounts app: its audit receivers are connected when Django starts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "careatlas.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from careatlas.accounts import receivers  # noqa: F401 - connects the signal receivers
