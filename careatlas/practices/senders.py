"""Text and voice senders for claim codes, chosen by settings.PHONE_CODE_SENDER."""

import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

TEXT, VOICE = "text", "voice"


class PhoneSender(Protocol):
    available: bool

    def send(self, phone: str, message: str, channel: str) -> None: ...


class ConsoleSender:
    """Development: prints the message, so `make run` needs no telephone provider.

    Production refuses to start with it unless PHONE_CODE_CONSOLE_IN_PRODUCTION is set
    (settings.py): the code would end up in the server's logs.
    """

    available = True

    def send(self, phone: str, message: str, channel: str) -> None:
        sys.stdout.write(f"[{channel} to {phone}] {message}\n")
        sys.stdout.flush()


# What the locmem sender "sent", newest last: tests read codes from here.
outbox: list[dict[str, str]] = []


class LocmemSender:
    """Tests: keeps messages in `outbox`, like Django's locmem email backend."""

    available = True

    def send(self, phone: str, message: str, channel: str) -> None:
        outbox.append({"phone": phone, "message": message, "channel": channel})


class DisabledSender:
    """No telephone provider configured (production's default): the phone method is hidden."""

    available = False

    def send(self, phone: str, message: str, channel: str) -> None:
        raise RuntimeError("No phone code sender is configured (PHONE_CODE_SENDER).")


def phone_sender() -> PhoneSender:
    return import_string(settings.PHONE_CODE_SENDER)()
