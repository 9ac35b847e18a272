"""Schema-constrained model calls: sync and async twins over one conversation, with transport
retries, validation re-asks, middleware and the response cache.

- Two retry loops stay apart: transport faults (extractor.faults) are retried by tenacity
  around the whole exchange and never enter a prompt; only an answer that breaks the schema
  is re-asked, with the validation error (extractor.structured). Usage sums every attempt.
- The exchange is written once, as a generator of request bodies; `call` and `acall` only
  send them, so the twins cannot drift apart.
- Clients (extractor.clients) are made once, lazily: one sync client, one async client per
  event loop; copies from `with_middleware` share them.
- Middleware (extractor.middleware) wraps every call; cache hits skip `before`, so pacing
  never charges them.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from . import errors, faults, redact
from .cache import ResponseCache, cache_key
from .clients import Clients
from .confidence import choice_probs
from .middleware import Middleware
from .providers import Endpoint
from .schema import SCHEMA_VERSION, Usage
from .structured import answer_of, completion, encode_body, reask, salvage, usage_of

PROBS = "probs"


@dataclass(frozen=True)
class RetryPolicy:
    """Defaults suit a slow local model on 2 cores; hosted endpoints answer far sooner."""

    attempts: int = 4  # transport attempts per call, the first included
    backoff: float = 1.0  # first wait in seconds; doubles each time
    max_backoff: float = 30.0  # cap on a computed wait
    max_retry_after: float = 120.0  # cap on a server's Retry-After
    timeout: float = 600.0  # seconds for one HTTP request
    reasks: int = 2  # re-asks after an answer that breaks the response schema


@dataclass
class CallRequest:
    pass_name: str
    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    params: dict[str, Any]
    key_parts: dict[str, Any] = field(default_factory=dict)


@dataclass
class CallResult:
    value: BaseModel
    usage: Usage
    cached: bool = False
    truncated: bool = False  # the answer hit max_tokens; value holds its complete items
    probs: dict[str, float] | None = None  # P(choice) from logprobs, when they were asked for


@dataclass
class _Tally:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    started: float = field(default_factory=time.perf_counter)

    def usage(self) -> Usage:
        return Usage(prompt_tokens=self.prompt_tokens, completion_tokens=self.completion_tokens,
                     total_tokens=self.prompt_tokens + self.completion_tokens,
                     requests=self.requests,
                     model_seconds=round(time.perf_counter() - self.started, 3))


@functools.cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def portable(endpoint: Endpoint) -> Endpoint:
    """The endpoint as another process can use it: connected (a local server started here
    once, shared), without the function that starts it (a closure does not pickle)."""
    if endpoint.connect_fn is None:
        return endpoint
    return dataclasses.replace(endpoint, base_url=endpoint.connect(), connect_fn=None)


class LLM:
    """A configured endpoint plus retry policy, optional cache and middleware."""

    def __init__(self, endpoint: Endpoint, policy: RetryPolicy | None = None,
                 cache: ResponseCache | None = None, *, cache_only: bool = False,
                 middleware: Sequence[Middleware] = ()) -> None:
        self.endpoint = endpoint
        redact.guard(endpoint.api_key.get_secret_value())
        self.policy = policy or RetryPolicy()
        self.cache = cache
        self.cache_only = cache_only  # answer from the cache or fail; never call the model
        self.middleware: tuple[Middleware, ...] = tuple(middleware)
        self._clients = Clients(self._client_kwargs)

    def __repr__(self) -> str:
        return f"LLM(model={self.endpoint.label!r}, provider={self.endpoint.provider!r})"

    def with_middleware(self, *middleware: Middleware) -> LLM:
        """A copy with `middleware` after this one's; everything else (cache, cache_only,
        clients) is this LLM's own."""
        clone = object.__new__(type(self))  # not copy.copy: that would pickle (__getstate__)
        clone.__dict__.update(self.__dict__)
        clone.middleware = (*self.middleware, *middleware)
        return clone

    def __getstate__(self) -> dict[str, Any]:
        """What a worker process needs: clients stay behind, a local server's URL travels."""
        state = {k: v for k, v in self.__dict__.items() if k != "_clients"}
        state["endpoint"] = portable(self.endpoint)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._clients = Clients(self._client_kwargs)
        redact.guard(self.endpoint.api_key.get_secret_value())

    # -- clients

    def _client_kwargs(self) -> dict[str, Any]:
        redact.guard(self.endpoint.api_key.get_secret_value())  # loggers made since
        return {"base_url": self.endpoint.connect(),
                "api_key": self.endpoint.api_key.get_secret_value(),
                "max_retries": 0,  # tenacity owns transport retries
                "timeout": self.policy.timeout}

    def close(self) -> None:
        """Close the sync client (async ones close with their loop, or with `aclose`)."""
        self._clients.close()

    async def aclose(self) -> None:
        """Close this loop's async client and the sync client."""
        await self._clients.aclose()

    # -- cache

    def _key(self, req: CallRequest, *, legacy: bool = False) -> str:
        """What decides an answer: model, schema version, response schema, the rendered
        messages (prompt text and article) and call parameters. Prompt versions that send the
        model the same text share answers; `legacy` is the first release's key, which also
        hashed the prompt file."""
        return cache_key(model=self.endpoint.label, schema_version=SCHEMA_VERSION,
                         response_schema=_schema(req.response_model), messages=req.messages,
                         params=req.params, **(req.key_parts if legacy else {}))

    def _cached(self, req: CallRequest) -> tuple[str | None, CallResult | None]:
        """A stored answer, if one may be served. A salvaged (truncated) one is asked again,
        unless cache-only, where it is served with its truncated mark."""
        if self.cache is None:
            if self.cache_only:
                raise errors.ConfigError("cache-only needs a response cache")
            return None, None
        key = self._key(req)
        hit = self.cache.get(key)
        if hit is None and req.key_parts:
            hit = self.cache.get(self._key(req, legacy=True))
            if hit is not None:  # carry it over to the content key
                self.cache.put(key, hit.value, hit.usage, model=self.endpoint.label,
                               pass_name=req.pass_name, truncated=hit.truncated)
        if hit is not None and hit.truncated and not self.cache_only:
            return key, None
        if hit is None:
            if self.cache_only:
                raise errors.CacheMissError(
                    f"no cached answer for pass '{req.pass_name}' with {self.endpoint.label} "
                    "and cache-only set")
            return key, None
        value = req.response_model.model_validate_json(hit.value)
        original = Usage(model_seconds=float(hit.usage.get("model_seconds", 0.0)))
        return key, CallResult(value, original.replayed(), cached=True, truncated=hit.truncated,
                               probs=hit.usage.get(PROBS))

    def _store(self, key: str | None, req: CallRequest, result: CallResult) -> None:
        if self.cache is not None and key is not None:
            usage: dict[str, Any] = result.usage.model_dump(
                include={"prompt_tokens", "completion_tokens", "model_seconds"})
            if result.probs is not None:  # rides in the usage JSON, as the truncated flag does
                usage[PROBS] = result.probs
            self.cache.put(key, result.value.model_dump_json(), usage, model=self.endpoint.label,
                           pass_name=req.pass_name, truncated=result.truncated)

    # -- one exchange

    def _scrub(self, text: str) -> str:
        """Provider text with the API key masked (some servers echo the key they refuse)."""
        return redact.FILTER.scrub(text)

    def _exchange(self, req: CallRequest, tally: _Tally) -> Generator[bytes, bytes,
                                                                       CallResult]:
        """One transport attempt: the request, then one re-ask per answer that breaks the
        schema. Yields request bodies, is sent each raw answer."""
        mode = self.endpoint.mode
        base = {"model": self.endpoint.model, **self.endpoint.defaults, **req.params}
        messages: list[dict[str, Any]] = list(req.messages)
        last: ValidationError | None = None
        for _ in range(max(0, self.policy.reasks) + 1):
            data = completion((yield encode_body(req.response_model, mode,
                                                 {**base, "messages": messages})))
            prompt, completed = usage_of(data)
            tally.prompt_tokens += prompt
            tally.completion_tokens += completed
            text, finish, message = answer_of(data, mode)
            if finish == "length":
                value = salvage(text, req.response_model)
                if value is None:
                    raise errors.TruncatedOutputError(
                        "the model hit max_tokens before finishing its answer "
                        "(finish_reason=length)", attempts=tally.requests,
                        pass_name=req.pass_name)
                return CallResult(value, tally.usage(), truncated=True)
            try:
                return CallResult(req.response_model.model_validate_json(text), tally.usage(),
                                  probs=choice_probs(data, req.response_model))
            except ValidationError as e:
                last = e
                messages = [*messages, *reask(text, message, e, mode)]
        detail = " ".join(str(last).split())[:300] or "invalid"
        raise errors.InvalidOutputError(
            f"the model's answer did not fit the response schema: {self._scrub(detail)}",
            attempts=tally.requests, pass_name=req.pass_name)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = faults.retry_after(exc)
        if after is not None:
            return min(after, self.policy.max_retry_after)
        return min(self.policy.backoff * 2 ** (state.attempt_number - 1), self.policy.max_backoff)

    def _retry_args(self) -> dict[str, Any]:
        return {"stop": stop_after_attempt(max(1, self.policy.attempts)), "wait": self._wait,
                "retry": retry_if_exception(faults.is_transient), "reraise": True}

    def _failure(self, exc: Exception, req: CallRequest, tally: _Tally) -> errors.ExtractorError:
        return faults.translate(exc, label=self.endpoint.label, timeout=self.policy.timeout,
                                attempts=max(tally.requests, 1), pass_name=req.pass_name,
                                scrub=self._scrub)

    # -- the twins

    def call(self, req: CallRequest) -> CallResult:
        key, hit = self._cached(req)
        if hit is not None:
            for mw in reversed(self.middleware):
                mw.after(req, hit, None)
            return hit
        for mw in self.middleware:
            mw.before(req)
        tally = _Tally()
        try:
            for attempt in Retrying(**self._retry_args()):
                with attempt:
                    client = self._clients.sync()
                    exchange = self._exchange(req, tally)
                    body = next(exchange)
                    while True:
                        tally.requests += 1
                        raw = client.post("/chat/completions", cast_to=bytes, content=body)
                        try:
                            body = exchange.send(raw)
                        except StopIteration as done:
                            result: CallResult = done.value
                            break
        except Exception as exc:
            failure = self._failure(exc, req, tally)
            for mw in reversed(self.middleware):
                mw.after(req, None, failure)
            raise failure from exc
        self._store(key, req, result)
        for mw in reversed(self.middleware):
            mw.after(req, result, None)
        return result

    async def acall(self, req: CallRequest) -> CallResult:
        key, hit = self._cached(req)
        if hit is not None:
            for mw in reversed(self.middleware):
                await mw.aafter(req, hit, None)
            return hit
        for mw in self.middleware:
            await mw.abefore(req)
        tally = _Tally()
        try:
            async for attempt in AsyncRetrying(**self._retry_args()):
                with attempt:
                    client = await self._clients.for_loop()
                    exchange = self._exchange(req, tally)
                    body = next(exchange)
                    while True:
                        tally.requests += 1
                        raw = await client.post(body)
                        try:
                            body = exchange.send(raw)
                        except StopIteration as done:
                            result: CallResult = done.value
                            break
        except Exception as exc:
            failure = self._failure(exc, req, tally)
            for mw in reversed(self.middleware):
                await mw.aafter(req, None, failure)
            raise failure from exc
        self._store(key, req, result)
        for mw in reversed(self.middleware):
            await mw.aafter(req, result, None)
        return result
