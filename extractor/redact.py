"""API keys masked in the client libraries' log records, and only there.

Servers echo the key they refuse, and the HTTP and SDK libraries log response bodies and
errors at debug level. A `logging.Filter` on each of their loggers (children included: a
filter on a parent logger does not see its children's records) rewrites a record that
carries a key this process holds. Nothing process-wide changes: the record factory, the
root logger and every other logger are left as the application set them.
"""

from __future__ import annotations

import logging
import threading

LIBRARIES = ("openai", "httpx", "httpx2", "httpcore", "httpcore2", "instructor", "aiohttp")
MIN_SECRET = 8  # shorter "keys" (placeholders such as "x") would mask ordinary words


class SecretFilter(logging.Filter):
    """Replace every held secret in a record's message and traceback text with ***."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: frozenset[str] = frozenset()

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error path
            return True
        if any(s in message for s in self.secrets):
            record.msg, record.args = self.scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        return True


FILTER = SecretFilter()
_lock = threading.Lock()


def _library_loggers() -> list[logging.Logger]:
    names = set(LIBRARIES) | {
        name for name in list(logging.root.manager.loggerDict)
        if name.split(".", 1)[0] in LIBRARIES}
    return [logging.getLogger(name) for name in sorted(names)]


def guard(secret: str) -> None:
    """Mask `secret` in the libraries' records from now on.

    Called again whenever a client is built, so loggers the libraries create lazily (on
    first import of a submodule) get the filter too.
    """
    with _lock:
        if len(secret) >= MIN_SECRET and secret not in FILTER.secrets:
            FILTER.secrets = FILTER.secrets | {secret}
        for logger in _library_loggers():
            if FILTER not in logger.filters:
                logger.addFilter(FILTER)
