"""Transport faults of a model call: which are retried, how long to wait, what the user is told.

Kept apart from the call itself (extractor.llm) so the retry rules read in one place: 429
(honouring Retry-After), 408/409/425 and 5xx, timeouts, dropped connections and a 2xx body
that is not a chat completion are transient; any other 4xx, and credentials, are not.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable

import openai

from . import errors
from .structured import MalformedAnswer

TRANSIENT_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, MalformedAnswer | openai.APIConnectionError):
        return True  # includes timeouts and dropped connections
    return isinstance(exc, openai.APIStatusError) and exc.status_code in TRANSIENT_STATUS


def retry_after(exc: BaseException | None) -> float | None:
    """The server's Retry-After in seconds (a number or an HTTP date), None when absent or
    malformed: a bad header must not stop the retry, backoff applies instead."""
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time()) if when else None


def _root(exc: BaseException) -> BaseException:
    seen: set[int] = set()
    while (cause := exc.__cause__ or exc.__context__) is not None and id(cause) not in seen:
        seen.add(id(exc))
        exc = cause
    return exc


def timed_out(exc: openai.APIConnectionError) -> bool:
    """Whether a connection error is a timeout. The aiohttp transport reports a dropped
    connection as a connect timeout, so the root cause decides, not the class."""
    root = _root(exc)
    return root is exc and isinstance(exc, openai.APITimeoutError) or isinstance(root, TimeoutError)


def translate(exc: BaseException, *, label: str, timeout: float, attempts: int,
              pass_name: str, scrub: Callable[[str], str]) -> errors.ExtractorError:
    """The typed error a caller sees for a failed call; provider text is scrubbed of keys."""
    if isinstance(exc, errors.ExtractorError):
        return exc
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return errors.AuthenticationError(
            f"{label} refused the credentials (HTTP {exc.status_code})",
            attempts=attempts, pass_name=pass_name, status_code=exc.status_code)
    if isinstance(exc, openai.APIConnectionError) and timed_out(exc):
        return errors.ProviderError(f"{label} timed out after {timeout:g}s",
                                    attempts=attempts, pass_name=pass_name)
    if isinstance(exc, openai.APIConnectionError):
        return errors.ProviderError(
            f"cannot reach {label}: {type(_root(exc)).__name__}",
            attempts=attempts, pass_name=pass_name)
    if isinstance(exc, MalformedAnswer):
        return errors.ProviderError(f"{label} answered HTTP 2xx with {exc}",
                                    attempts=attempts, pass_name=pass_name)
    if isinstance(exc, openai.APIStatusError):
        return errors.ProviderError(
            f"{label} answered HTTP {exc.status_code}: {scrub(exc.message)[:200]}",
            attempts=attempts, pass_name=pass_name, status_code=exc.status_code)
    return errors.ProviderError(
        f"unexpected response from {label}: {type(exc).__name__}: {scrub(str(exc))[:200]}",
        attempts=attempts, pass_name=pass_name)
