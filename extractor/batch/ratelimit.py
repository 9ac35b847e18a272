"""Client-side request and token limits, as LLM middleware.

    llm = LLM(endpoint, middleware=[RateLimit(rpm=500, tpm=90_000)])

Why leaky buckets that refill smoothly: a provider's per-minute limit is enforced over
rolling windows, so spending a minute's budget in one burst at the start still gets 429s.
A bucket holds about a second of RPM and ten seconds of TPM. Each call reserves its charge
up front (a reservation is a wait time, so waiters queue in order without polling) from
one thread-safe clock shared by sync and async callers, threads and event loops alike.
Cache hits never reach `before`, so they are never charged. Transport retries and re-asks
happen inside one call; they are charged when it returns, as debt the next callers wait off.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import TYPE_CHECKING

from ..middleware import Middleware

if TYPE_CHECKING:
    from ..errors import ExtractorError
    from ..llm import CallRequest, CallResult


class Bucket:
    """`per_minute` units, holding at most `burst_seconds` worth of them."""

    def __init__(self, per_minute: float, burst_seconds: float) -> None:
        if per_minute <= 0:
            raise ValueError("a rate limit must be positive")
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate * burst_seconds)
        self._level = self.capacity  # may go negative: reserved, not yet refilled
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def reserve(self, amount: float) -> float:
        """Take `amount` now; the seconds to wait before using it (0 when it was there)."""
        with self._lock:
            now = time.monotonic()
            self._level = min(self.capacity, self._level + (now - self._stamp) * self.rate)
            self._stamp = now
            self._level -= amount
            return 0.0 if self._level >= 0 else -self._level / self.rate


def estimate_tokens(req: CallRequest) -> int:
    """What a provider charges a request against TPM up front: prompt (about 4 characters a
    token) plus max_tokens."""
    chars = sum(len(str(m.get("content", ""))) for m in req.messages)
    return chars // 4 + 8 * len(req.messages) + int(req.params.get("max_tokens") or 0)


class RateLimit(Middleware):
    """Requests and tokens per minute for every call that goes to the model."""

    def __init__(self, rpm: float | None = None, tpm: float | None = None) -> None:
        self.rpm = Bucket(rpm, 1.0) if rpm else None
        self.tpm = Bucket(tpm, 10.0) if tpm else None

    def charge(self, req: CallRequest) -> int:
        """Tokens a call of `req` is charged (0 without a token limit)."""
        return estimate_tokens(req) if self.tpm else 0

    def _reserve(self, requests: int, tokens: int) -> float:
        wait = self.rpm.reserve(requests) if self.rpm and requests else 0.0
        if self.tpm and tokens:
            wait = max(wait, self.tpm.reserve(tokens))
        return wait

    def _extra(self, req: CallRequest, result: CallResult | None,
               error: ExtractorError | None) -> None:
        if result is not None and result.cached:
            return
        sent = result.usage.requests if result is not None else getattr(error, "attempts", 1)
        extra = max(0, sent - 1)
        if extra:
            self._reserve(extra, extra * self.charge(req))  # debt: the next callers wait

    def before(self, req: CallRequest) -> None:
        if wait := self._reserve(1, self.charge(req)):
            time.sleep(wait)

    async def abefore(self, req: CallRequest) -> None:
        if wait := self._reserve(1, self.charge(req)):
            await asyncio.sleep(wait)

    def after(self, req: CallRequest, result: CallResult | None,
              error: ExtractorError | None) -> None:
        self._extra(req, result, error)

    async def aafter(self, req: CallRequest, result: CallResult | None,
                     error: ExtractorError | None) -> None:
        self._extra(req, result, error)
