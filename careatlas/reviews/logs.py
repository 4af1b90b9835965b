"""A logging filter that blanks review-link tokens out of logged paths."""

import logging
import re

TOKEN_PATH = re.compile(r"(/reviews/link/)[^/\s?\"']+")
REDACTED = r"\1[token]"


def redact(value):
    return TOKEN_PATH.sub(REDACTED, value) if isinstance(value, str) else value


class RedactReviewTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        # Django attaches the request; handlers that format it would print the path again.
        request = getattr(record, "request", None)
        if request is not None and TOKEN_PATH.search(getattr(request, "path", "")):
            record.request = None
        return True
