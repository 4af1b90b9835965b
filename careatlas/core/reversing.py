"""One URL reversal for a whole page of links that differ only in their arguments.

`reverse()` walks the resolver for every call; a page of twenty search hits asked for forty
links, a tenth of the request's Python time. Reversing once with sample arguments and
putting each hit's own values where the samples landed gives the same URLs.
"""

from collections.abc import Callable

from django.urls import reverse


def reverser(viewname: str, *samples: str) -> Callable[..., str]:
    """A function of the view's positional arguments giving `reverse(viewname, args=...)`.

    The samples must match the URL pattern's converters and occur nowhere else in the URL;
    the values given later must be URL-safe as they are (digits, slugs), since they are
    placed without quoting. Reversal runs in the active language, so make one per request.
    """
    url = reverse(viewname, args=samples)
    parts, rest = [], url
    for sample in samples:
        before, found, rest = rest.partition(sample)
        if not found or sample in rest:
            # The sample is not (or not only) where the argument goes: no shortcut.
            return lambda *values: reverse(viewname, args=values)
        parts.append(before)
    parts.append(rest)

    def url_for(*values: str) -> str:
        pieces = [parts[0]]
        for value, part in zip(values, parts[1:], strict=True):
            pieces.append(value)
            pieces.append(part)
        return "".join(pieces)

    return url_for
