"""JSON log lines that carry the request's id, and what decides that id."""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

# Set for the length of one request (core/telemetry.py); "" outside requests (commands).
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# nginx's $request_id is 32 hex digits; load balancers send UUIDs. Anything else (too long,
# spaces, quotes, new lines) is replaced, so a client cannot write into another line's fields.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

# Attributes a caller may attach with `extra=`; nothing else leaves the process. A log
# call's arguments are only ever merged into its message, which callers keep free of
# personal data (tests/test_logs.py posts canary values through every form and looks).
EXTRA_FIELDS = ("route", "method", "status", "duration_ms", "db_ms", "db_queries", "cache")


def request_id_from(header: str | None) -> str:
    """The proxy's id when it looks like one, else a new one."""
    if header and _SAFE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str:
    return _request_id.get()


def bind_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def unbind_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def _id_of_request(record: logging.LogRecord) -> str:
    # Django logs a 4xx or 5xx after the middleware has returned, with the request attached.
    return getattr(getattr(record, "request", None), "request_id", "")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and known extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": _request_id.get() or _id_of_request(record),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


# Paths whose last part is a secret: a consultation's status link, a review link, a claim's
# email link, a staff invitation, allauth's email-confirmation and password-reset keys.
# Django logs the path of every 4xx answer ("Not Found: /reviews/link/<token>/") and
# runserver every request, so the secret is cut out of every record before it is written.
SECRET_PATH = re.compile(
    r"(/consultations/status/|/reviews/link/|/confirm/|/practice/invitations/"
    r"|/confirm-email/|/password/reset/key/)[^/\s?\"']+"
)


def redact(value):
    return SECRET_PATH.sub(r"\1[token]", value) if isinstance(value, str) else value


class RedactLinkTokens(logging.Filter):
    """On the log handler: every record, whichever logger made it, loses its link secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        # Django attaches the request; a handler that formats it would print the path again.
        request = getattr(record, "request", None)
        if request is not None and SECRET_PATH.search(getattr(request, "path", "")):
            record.request = None
        return True
