"""The HTTP clients of an LLM: made once, lazily, shared by its copies and by concurrent calls.

One sync client (httpx's pool is thread-safe: `LLM.call` from a thread pool shares it) and
one async client per event loop (an async connection pool belongs to the loop it was made
on). The async client runs on aiohttp, openai's DefaultAioHttpClient: about a third of the
CPU per request of httpx's pool at high concurrency (benchmarks/README.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Any

import openai


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
        try:
            http: Any = openai.DefaultAioHttpClient()
        except RuntimeError:  # openai without its aiohttp extra
            http = openai.DefaultAsyncHttpxClient()
        client = openai.AsyncOpenAI(**self.kwargs(), http_client=http)
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
