"""Hooks around model calls: the public middleware interface of `extractor.llm.LLM`.

    from extractor.batch import RateLimit
    from extractor.middleware import Meter

    llm = LLM(endpoint, middleware=[RateLimit(rpm=600), Meter()])
    llm = llm.with_middleware(RateLimit(tpm=90_000))   # a copy; cache and clients shared

A middleware is an object with the four methods below; subclass `Middleware` for no-op
defaults. LLM runs them in list order before a call and in reverse order after it:

- `before(req)` / `await abefore(req)`: just before a call goes to the model. Never for a
  call the response cache answers: nothing is sent, so nothing is paced or charged. It may
  block (sync) or await (async), which is how pacing works; an exception it raises ends the
  call and reaches the caller.
- `after(req, result, error)` / `await aafter(req, result, error)`: once when a call is
  over: with its `CallResult` (`result.cached` for a cache hit, which skipped `before`), or
  with the typed error it raised (an `LLMError`'s `attempts` says how many requests went
  out). A cache-only miss (CacheMissError) sent nothing and runs neither hook.

`LLM.call` runs the sync pair, `LLM.acall` the async pair; the async defaults call the sync
methods, so a middleware that never blocks needs only the sync pair. Calls run concurrently
(gathered `acall`s, `call` from a thread pool): a middleware guards its own state.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import ExtractorError
    from .llm import CallRequest, CallResult


class Middleware:
    """No-op hooks; override what you need (see the module docstring for the contract)."""

    def before(self, req: CallRequest) -> None:
        return None

    def after(self, req: CallRequest, result: CallResult | None,
              error: ExtractorError | None) -> None:
        return None

    async def abefore(self, req: CallRequest) -> None:
        self.before(req)

    async def aafter(self, req: CallRequest, result: CallResult | None,
                     error: ExtractorError | None) -> None:
        self.after(req, result, error)


class Meter(Middleware):
    """Requests, tokens and cache hits over every call it sees, failed calls included."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.cached_calls = 0

    def after(self, req: CallRequest, result: CallResult | None,
              error: ExtractorError | None) -> None:
        with self._lock:
            if result is not None:
                self.requests += result.usage.requests
                self.prompt_tokens += result.usage.prompt_tokens
                self.completion_tokens += result.usage.completion_tokens
                self.cached_calls += int(result.cached)
            elif error is not None:
                self.requests += getattr(error, "attempts", 0)

    def take(self) -> dict[str, int]:
        """The counts so far, reset to zero (a worker process reports deltas)."""
        with self._lock:
            counts = {"requests": self.requests, "prompt_tokens": self.prompt_tokens,
                      "completion_tokens": self.completion_tokens,
                      "cached_calls": self.cached_calls}
            self.requests = self.prompt_tokens = self.completion_tokens = 0
            self.cached_calls = 0
        return counts
