"""Gzip for HTML and JSON responses, except where compression could leak a secret (BREACH)."""

from collections import OrderedDict

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

# Compressed bodies of public answers, by ETag: the cached guide page is served over and over,
# and gzipping its 25 kB again for each request would cost more than serving it.
MEMO_ENTRIES = 256


class CompressionMiddleware(GZipMiddleware):
    """Compress text responses; leave uncompressed those that carry a CSRF token and echo input.

    BREACH reads a secret from the size of compressed responses that also reflect what an
    attacker sent. A page is at risk only when it has both: a CSRF token (its response sets
    the token cookie) and request input (a query string or a form post). Guide, search and
    profile pages without a form are compressed (69 to 75% smaller); a report form answered
    with its errors is not. Django's random padding (max_random_bytes) stays on for the rest.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self._memo: OrderedDict[tuple[str, str], bytes] = OrderedDict()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not negotiated_encoding(request):
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        if _carries_token(response) and _reflects_input(request):
            return response
        key = _memo_key(response)
        if key is None:
            return super().process_response(request, response)
        return self._from_memo(key, response)

    def _from_memo(self, key: tuple[str, str], response: HttpResponse) -> HttpResponse:
        patch_vary_headers(response, ("Accept-Encoding",))
        body = self._memo.get(key)
        if body is None:
            body = compress_string(response.content, max_random_bytes=self.max_random_bytes)
            self._memo[key] = body
            if len(self._memo) > MEMO_ENTRIES:
                self._memo.popitem(last=False)
        else:
            self._memo.move_to_end(key)
        if len(body) >= len(response.content):
            return response
        response.content = body
        response.headers["Content-Length"] = str(len(body))
        response.headers["ETag"] = "W/" + response.headers["ETag"]
        response.headers["Content-Encoding"] = "gzip"
        return response


def _memo_key(response: HttpResponse) -> tuple[str, str] | None:
    """A key for answers whose body a strong ETag pins down and that hold no secret."""
    etag = response.get("ETag", "")
    if (
        response.status_code != 200
        or response.streaming
        or not etag.startswith('"')
        or response.has_header("Content-Encoding")
        or response.cookies
        or len(response.content) < 200
    ):
        return None
    return (etag, response.get("Content-Type", ""))


def negotiated_encoding(request: HttpRequest) -> str:
    """The encoding this middleware would answer the request in: "gzip" or "" (none).

    The shared page cache keys its copies on it, so each client gets the variant it asked for.
    """
    return "gzip" if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""


def _carries_token(response: HttpResponse) -> bool:
    return settings.CSRF_COOKIE_NAME in response.cookies


def _reflects_input(request: HttpRequest) -> bool:
    return bool(request.META.get("QUERY_STRING")) or request.method not in {"GET", "HEAD"}
