"""The HTTP clients of an LLM: made once, lazily, shared by its copies and by concurrent calls.

One sync client, the openai SDK's (its httpx pool is thread-safe: `LLM.call` from a thread
pool shares it), and one async client per event loop (an async connection pool belongs to
the loop it was made on). The async one is `AioChat`: the SDK's headers and error types
over one aiohttp session, without the SDK's per-request machinery (options models, header
merging, request building: 1.1 ms of CPU a request against 0.4 ms, benchmarks/README.md),
which is what bounds a batch on one event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import urllib.parse
import urllib.request
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Any

import openai

_BY_STATUS: dict[int, type[openai.APIStatusError]] = {
    400: openai.BadRequestError, 401: openai.AuthenticationError,
    403: openai.PermissionDeniedError, 404: openai.NotFoundError, 409: openai.ConflictError,
    422: openai.UnprocessableEntityError, 429: openai.RateLimitError,
}


def _env_proxy(url: str) -> str | None:
    """HTTP(S)_PROXY for `url`, unless NO_PROXY exempts its host (as httpx and requests do)."""
    parts = urllib.parse.urlsplit(url)
    if urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return urllib.request.getproxies().get(parts.scheme)


class AioChat:
    """POST /chat/completions, bytes in, bytes out; faults raised as the SDK's exceptions."""

    def __init__(self, sdk: openai.AsyncOpenAI, timeout: float) -> None:
        import aiohttp

        self._aiohttp = aiohttp
        headers = {k: v for k, v in {**sdk.default_headers, **sdk.auth_headers}.items()
                   if isinstance(v, str)}
        self.url = str(sdk.base_url).rstrip("/") + "/chat/completions"
        # The proxy from the environment is looked up once here: with trust_env, aiohttp
        # would look up .netrc and the proxy in a thread on every request.
        self.proxy = _env_proxy(self.url)
        self.session = aiohttp.ClientSession(
            headers=headers, connector=aiohttp.TCPConnector(limit=1000),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=timeout, sock_read=timeout))

    def _request(self) -> Any:
        import httpx2

        return httpx2.Request("POST", self.url)

    def _status_error(self, status: int, headers: Any, content: bytes) -> openai.APIStatusError:
        import httpx2

        response = httpx2.Response(status, headers=list(headers.items()), content=content,
                                   request=self._request())
        try:
            body: Any = json.loads(content)
        except ValueError:
            body = content.decode(errors="replace")
        cls = _BY_STATUS.get(status, openai.InternalServerError if status >= 500
                             else openai.APIStatusError)
        error = body.get("error", body) if isinstance(body, dict) else body
        return cls(f"Error code: {status} - {body}", response=response, body=error)

    async def post(self, body: bytes) -> bytes:
        try:
            async with self.session.post(self.url, data=body, proxy=self.proxy) as response:
                content = await response.read()
                status, headers = response.status, response.headers
        except TimeoutError as exc:  # aiohttp's timeouts are TimeoutErrors
            raise openai.APITimeoutError(request=self._request()) from exc
        except self._aiohttp.ClientError as exc:
            raise openai.APIConnectionError(request=self._request()) from exc
        if status >= 400:
            raise self._status_error(status, headers, content)
        return content

    async def close(self) -> None:
        await self.session.close()


async def _closing(client: Any, clients: Clients) -> AsyncIterator[None]:
    """Held open beside a loop's client: asyncio.run closes async generators before it closes
    the loop, and this one closes the client then (no unclosed-session warnings) and forgets
    it (the entry would otherwise keep the dead loop alive)."""
    try:
        yield
    finally:
        with clients.lock:
            clients.by_loop.pop(asyncio.get_running_loop(), None)
        with contextlib.suppress(Exception):
            await client.close()


class Clients:
    """`kwargs()` gives the openai client arguments (it may start a local server: once)."""

    def __init__(self, kwargs: Callable[[], dict[str, Any]]) -> None:
        self.kwargs = kwargs
        self.lock = threading.Lock()
        self._sync: Any = None
        self.by_loop: weakref.WeakKeyDictionary[Any, tuple[Any, Any]] = (
            weakref.WeakKeyDictionary())

    def sync(self) -> Any:
        if self._sync is None:
            with self.lock:
                if self._sync is None:
                    self._sync = openai.OpenAI(**self.kwargs())
        return self._sync

    async def for_loop(self) -> Any:
        loop = asyncio.get_running_loop()
        held = self.by_loop.get(loop)
        if held is not None:
            return held[0]
        # No await between the look-up and the insert: one client per loop without a lock
        # held across the loop; the lock guards the mapping against other threads' loops.
        kwargs = self.kwargs()
        client = AioChat(openai.AsyncOpenAI(**kwargs), kwargs["timeout"])
        closer = _closing(client, self)
        with self.lock:
            self.by_loop[loop] = (client, closer)
        await closer.__anext__()  # registers the closer with this loop's async generators
        return client

    def close(self) -> None:
        with self.lock:
            client, self._sync = self._sync, None
        if client is not None:
            client.close()

    async def aclose(self) -> None:
        """Close this loop's async client, and the sync client."""
        with self.lock:
            held = self.by_loop.pop(asyncio.get_running_loop(), None)
        if held is not None:
            await held[1].aclose()
        self.close()
