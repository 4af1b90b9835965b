"""A Spanish catalogue made up on the spot, so tests of language plumbing need no real one."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import trans_real


def fake_spanish(msgid: str) -> str:
    """What the made-up catalogue answers for `msgid`: marked, so a test can find it."""
    return f"[es] {msgid}"


@contextmanager
def spanish_for(*msgids: str) -> Iterator[None]:
    """Spanish for these messages while the block runs, in every thread (live servers too)."""
    catalog = trans_real.translation("es")._catalog
    saved = {msgid: catalog.get(msgid) for msgid in msgids}
    for msgid in msgids:
        catalog[msgid] = fake_spanish(msgid)
    try:
        yield
    finally:
        for msgid, before in saved.items():
            if before is None:
                del catalog._catalogs[0][msgid]
            else:
                catalog[msgid] = before


@contextmanager
def without_spanish_for(*msgids: str) -> Iterator[None]:
    """These messages read as untranslated in Spanish while the block runs (every thread)."""
    catalog = trans_real.translation("es")._catalog
    saved = {msgid: catalog.get(msgid) for msgid in msgids}
    for msgid in msgids:
        catalog[msgid] = msgid
    try:
        yield
    finally:
        for msgid, before in saved.items():
            if before is None:
                del catalog._catalogs[0][msgid]
            else:
                catalog[msgid] = before
