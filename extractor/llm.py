"""Schema-constrained model calls: instructor for validation re-asks, tenacity for transport.

The two retry loops stay apart: transport faults (429 honouring Retry-After, 5xx, timeouts,
dropped connections) are retried around the call and never enter a prompt; only a schema
violation is re-asked, with instructor appending the validation error. Usage is summed over
every attempt of both loops.
"""

from __future__ import annotations

import contextvars
import email.utils
import functools
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import instructor
import jiter
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
)

from . import errors
from .cache import ResponseCache, cache_key
from .providers import Endpoint
from .schema import SCHEMA_VERSION, Usage

TRANSIENT_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


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


def salvage(content: str, model: type[BaseModel]) -> BaseModel | None:
    """Complete list items of an answer cut off by max_tokens (a small model looping).

    The item being written when the cut came is dropped; every kept item is fully validated.
    """
    try:
        data = jiter.from_json(content.encode(), partial_mode="trailing-strings")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    last = next((k for k in reversed(list(data)) if isinstance(data[k], list) and data[k]), None)
    fields: dict[str, list[BaseModel]] = {}
    for name, info in model.model_fields.items():
        items = data.get(name) if isinstance(data.get(name), list) else []
        assert items is not None
        if name == last:
            items = items[:-1]
        item_type = info.annotation.__args__[0]  # type: ignore[union-attr]
        limit = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
        kept: list[BaseModel] = []
        for it in items[:limit]:
            try:
                kept.append(item_type.model_validate(it))
            except ValidationError:
                continue
        fields[name] = kept
    if not any(fields.values()):
        return None  # nothing complete to keep: an empty list here would pass for "none found"
    return model.model_validate(fields)


@dataclass
class _Tally:
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    started: float = field(default_factory=time.perf_counter)

    def usage(self) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            total_tokens=self.prompt_tokens + self.completion_tokens,
            requests=self.requests,
            model_seconds=round(time.perf_counter() - self.started, 3),
        )


_tally: contextvars.ContextVar[_Tally] = contextvars.ContextVar("extractor_tally")


def _on_kwargs(*_: Any, **__: Any) -> None:
    if (t := _tally.get(None)) is not None:
        t.requests += 1


def _on_response(response: Any) -> None:
    usage = getattr(response, "usage", None)
    if (t := _tally.get(None)) is not None and usage is not None:
        t.prompt_tokens += getattr(usage, "prompt_tokens", 0) or 0
        t.completion_tokens += getattr(usage, "completion_tokens", 0) or 0


def _unwrap(exc: BaseException | None) -> BaseException | None:
    """The transport error inside instructor's InstructorRetryException, else exc itself.

    instructor wraps every error of the HTTP call (429, 5xx, timeouts, 401) in its own
    exception; retrying, Retry-After and the error type are decided by the one it carries.
    """
    if isinstance(exc, InstructorRetryException) and isinstance(exc.__cause__, openai.APIError):
        return exc.__cause__
    return exc


def _require_json(response: Any) -> None:
    """A 2xx answer must be JSON; anything else is a transport fault (a proxy's HTML page, a
    body cut short), retried by tenacity instead of reaching instructor as a parse error."""
    if not response.is_success:
        return
    try:
        json.loads(response.content)
    except ValueError:
        raise openai.APIResponseValidationError(
            response=response, body=None,
            message=f"HTTP {response.status_code} answer is not JSON "
                    f"(Content-Type {response.headers.get('content-type', 'none')})",
        ) from None


def _check_json(response: Any) -> None:
    response.read()
    _require_json(response)


async def _acheck_json(response: Any) -> None:
    await response.aread()
    _require_json(response)


def _is_transient(exc: BaseException) -> bool:
    exc = _unwrap(exc)  # type: ignore[assignment]
    if isinstance(exc, openai.APIConnectionError | openai.APIResponseValidationError):
        return True  # includes timeouts and dropped connections
    return isinstance(exc, openai.APIStatusError) and exc.status_code in TRANSIENT_STATUS


def _retry_after(exc: BaseException | None) -> float | None:
    response = getattr(_unwrap(exc), "response", None)
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
        return None  # a malformed header must not stop the retry: fall back to backoff
    return max(0.0, when.timestamp() - time.time()) if when else None


@functools.cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


_SECRETS: set[str] = set()
_base_factory = logging.getLogRecordFactory()


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    """Third-party loggers (instructor logs provider error bodies) must not carry a key that
    a server echoed: every record is scrubbed of the keys this process holds."""
    record = _base_factory(*args, **kwargs)
    if _SECRETS:
        message = record.getMessage()
        if any(s in message for s in _SECRETS):
            for s in _SECRETS:
                message = message.replace(s, "***")
            record.msg, record.args = message, None
    return record


def _guard_secret(secret: str) -> None:
    if len(secret) >= 8 and secret not in _SECRETS:
        _SECRETS.add(secret)
        if logging.getLogRecordFactory() is not _redacting_factory:
            logging.setLogRecordFactory(_redacting_factory)


class LLM:
    """A configured endpoint plus retry policy and optional cache; sync and async twins."""

    def __init__(self, endpoint: Endpoint, policy: RetryPolicy | None = None,
                 cache: ResponseCache | None = None, *, cache_only: bool = False) -> None:
        self.endpoint = endpoint
        _guard_secret(endpoint.api_key.get_secret_value())
        self.policy = policy or RetryPolicy()
        self.cache = cache
        self.cache_only = cache_only  # answer from the cache or fail; never call the model
        self._sync: Any = None
        self._async: Any = None

    def __repr__(self) -> str:
        return f"LLM(model={self.endpoint.label!r}, provider={self.endpoint.provider!r})"

    # -- clients

    def _client_kwargs(self) -> dict[str, Any]:
        return {
            "base_url": self.endpoint.connect(),
            "api_key": self.endpoint.api_key.get_secret_value(),
            "max_retries": 0,  # tenacity owns transport retries
            "timeout": self.policy.timeout,
        }

    def _hooked(self, client: Any) -> Any:
        patched = instructor.from_openai(client, mode=self.endpoint.mode)
        patched.on("completion:kwargs", _on_kwargs)
        patched.on("completion:response", _on_response)
        return patched

    def _sync_client(self) -> Any:
        if self._sync is None:
            http = openai.DefaultHttpxClient(event_hooks={"response": [_check_json]})
            self._sync = self._hooked(openai.OpenAI(**self._client_kwargs(), http_client=http))
        return self._sync

    def _async_client(self) -> Any:
        if self._async is None:
            http = openai.DefaultAsyncHttpxClient(event_hooks={"response": [_acheck_json]})
            self._async = self._hooked(
                openai.AsyncOpenAI(**self._client_kwargs(), http_client=http))
        return self._async

    # -- shared steps

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = _retry_after(exc)
        if after is not None:
            return min(after, self.policy.max_retry_after)
        return min(self.policy.backoff * 2 ** (state.attempt_number - 1), self.policy.max_backoff)

    def _retry_args(self) -> dict[str, Any]:
        return {
            "stop": stop_after_attempt(max(1, self.policy.attempts)),
            "wait": self._wait,
            "retry": retry_if_exception(_is_transient),
            "reraise": True,
        }

    def _key(self, req: CallRequest, *, legacy: bool = False) -> str:
        """What decides an answer: model, schema version, response schema, the rendered
        messages (prompt text and article) and call parameters. Prompt versions that send the
        model the same text share answers (a version that only changes post-validation rules
        re-scores without calls); `legacy` is the first release's key, which also hashed the
        prompt file."""
        return cache_key(
            model=self.endpoint.label,
            schema_version=SCHEMA_VERSION,
            response_schema=_schema(req.response_model),
            messages=req.messages,
            params=req.params,
            **(req.key_parts if legacy else {}),
        )

    def _cached(self, req: CallRequest) -> tuple[str | None, CallResult | None]:
        if self.cache is None:
            if self.cache_only:
                raise errors.ConfigError("cache-only needs a response cache")
            return None, None
        key = self._key(req)
        hit = self.cache.get(key)
        if hit is None and req.key_parts:
            hit = self.cache.get(self._key(req, legacy=True))
            if hit is not None:  # carry it over to the content key
                self.cache.put(key, hit[0], hit[1], model=self.endpoint.label,
                               pass_name=req.pass_name)
        if hit is None:
            if self.cache_only:
                raise errors.CacheMissError(
                    f"no cached answer for pass '{req.pass_name}' with {self.endpoint.label} "
                    "and cache-only set")
            return key, None
        value = req.response_model.model_validate_json(hit[0])
        original = Usage(model_seconds=float(hit[1].get("model_seconds", 0.0)))
        return key, CallResult(value, original.replayed(), cached=True)

    def _store(self, key: str | None, req: CallRequest, result: CallResult) -> CallResult:
        if self.cache is not None and key is not None:
            usage = result.usage.model_dump(
                include={"prompt_tokens", "completion_tokens", "model_seconds"})
            self.cache.put(key, result.value.model_dump_json(), usage,
                           model=self.endpoint.label, pass_name=req.pass_name)
        return result

    def _kwargs(self, req: CallRequest) -> dict[str, Any]:
        return {
            "model": self.endpoint.model,
            "messages": req.messages,
            "response_model": req.response_model,
            "max_retries": self.policy.reasks,
            **{**self.endpoint.defaults, **req.params},
        }

    def _scrub(self, text: str) -> str:
        """Provider text with the API key masked (some servers echo the key they refuse)."""
        secret = self.endpoint.api_key.get_secret_value()
        return text.replace(secret, "***") if len(secret) >= 8 else text

    def _translate(self, exc: Exception, req: CallRequest, tally: _Tally) -> errors.ExtractorError:
        attempts = max(tally.requests, 1)
        name = req.pass_name
        exc = _unwrap(exc)  # type: ignore[assignment]
        if isinstance(exc, errors.ExtractorError):
            return exc
        if isinstance(exc, IncompleteOutputException):
            return errors.TruncatedOutputError(
                "the model hit max_tokens before finishing its answer (finish_reason=length)",
                attempts=attempts, pass_name=name)
        if isinstance(exc, InstructorRetryException):
            # str(exc) renders every failed attempt; args[0] is the last error alone
            last = " ".join(str(exc.args[0] if exc.args else exc).split())[:300] or "invalid"
            return errors.InvalidOutputError(
                f"the model's answer did not fit the response schema: {self._scrub(last)}",
                attempts=attempts, pass_name=name)
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            return errors.AuthenticationError(
                f"{self.endpoint.label} refused the credentials (HTTP {exc.status_code})",
                attempts=attempts, pass_name=name, status_code=exc.status_code)
        if isinstance(exc, openai.APITimeoutError):
            return errors.ProviderError(
                f"{self.endpoint.label} timed out after {self.policy.timeout:g}s",
                attempts=attempts, pass_name=name)
        if isinstance(exc, openai.APIConnectionError):
            return errors.ProviderError(
                f"cannot reach {self.endpoint.label}: {type(exc).__name__}",
                attempts=attempts, pass_name=name)
        if isinstance(exc, openai.APIStatusError):
            return errors.ProviderError(
                f"{self.endpoint.label} answered HTTP {exc.status_code}: "
                f"{self._scrub(exc.message)[:200]}",
                attempts=attempts, pass_name=name, status_code=exc.status_code)
        return errors.ProviderError(
            f"unexpected response from {self.endpoint.label}: {type(exc).__name__}: "
            f"{self._scrub(str(exc))[:200]}", attempts=attempts, pass_name=name)

    def _recover(self, exc: Exception, req: CallRequest, tally: _Tally) -> CallResult:
        """Keep the complete items of a truncated answer; anything else is a typed error."""
        if isinstance(exc, IncompleteOutputException):
            completion = getattr(exc, "last_completion", None)
            try:
                content = completion.choices[0].message.content or ""  # type: ignore[union-attr]
            except (AttributeError, IndexError):
                content = ""
            value = salvage(content, req.response_model)
            if value is not None:
                return CallResult(value, tally.usage(), truncated=True)
        raise self._translate(exc, req, tally) from exc

    # -- the twins

    def call(self, req: CallRequest) -> CallResult:
        key, hit = self._cached(req)
        if hit is not None:
            return hit
        tally = _Tally()
        token = _tally.set(tally)
        try:
            for attempt in Retrying(**self._retry_args()):
                with attempt:
                    value = self._sync_client().chat.completions.create(**self._kwargs(req))
        except Exception as exc:
            return self._store(key, req, self._recover(exc, req, tally))
        finally:
            _tally.reset(token)
        return self._store(key, req, CallResult(value, tally.usage()))

    async def acall(self, req: CallRequest) -> CallResult:
        key, hit = self._cached(req)
        if hit is not None:
            return hit
        tally = _Tally()
        token = _tally.set(tally)
        try:
            async for attempt in AsyncRetrying(**self._retry_args()):
                with attempt:
                    client = self._async_client()
                    value = await client.chat.completions.create(**self._kwargs(req))
        except Exception as exc:
            return self._store(key, req, self._recover(exc, req, tally))
        finally:
            _tally.reset(token)
        return self._store(key, req, CallResult(value, tally.usage()))
