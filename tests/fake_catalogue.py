"""A Spanish catalogue made up on the spot, so tests of language plumbing need no real one."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import trans_real


def fake_spanish(msgid: str) -> str:
    """What the made-up catalogue answers for `msgid`: marked, so a test can find it."""
    return f"[es] {msgid}"


@contextmanager
def _spanish_replaced(answers: dict[str, str]) -> Iterator[None]:
    """The Spanish catalogue answers `answers` while the block runs, in every thread (live
    servers too); what it said before comes back afterwards."""
    catalog = trans_real.translation("es")._catalog
    saved = {msgid: catalog.get(msgid) for msgid in answers}
    for msgid, answer in answers.items():
        catalog[msgid] = answer
    try:
        yield
    finally:
        for msgid, before in saved.items():
            if before is None:
                del catalog._catalogs[0][msgid]
            else:
                catalog[msgid] = before


def spanish_for(*msgids: str):
    """Made-up Spanish for these messages while the block runs."""
    return _spanish_replaced({msgid: fake_spanish(msgid) for msgid in msgids})


def without_spanish_for(*msgids: str):
    """These messages read as untranslated in Spanish while the block runs."""
    return _spanish_replaced({msgid: msgid for msgid in msgids})
