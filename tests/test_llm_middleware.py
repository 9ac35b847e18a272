"""LLM middleware, shared clients and salvaged answers against the scripted server: hooks run
around every call (cache hits skip `before`, so pacing never charges them), concurrent calls
share one client per loop, an async client closes with its loop, and an answer salvaged from
a truncated reply is asked again on the next run unless cache-only."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import openai
import pytest
from scripted_server import ScriptedServer, answer, status, truncated

from extractor import clients
from extractor.batch import RateLimit
from extractor.cache import ResponseCache
from extractor.errors import ExtractorError, ProviderError
from extractor.llm import LLM, CallRequest, CallResult, RetryPolicy
from extractor.middleware import Meter, Middleware
from extractor.providers import resolve
from extractor.schema import ActorsResponse

POLICY = RetryPolicy(attempts=2, backoff=0.01, timeout=5.0, reasks=1)


def actor(name: str) -> dict[str, Any]:
    return {"name": name, "type": "state", "aliases": [], "role": None, "affiliation": None,
            "country": None}


GOOD = {"actors": [actor("NATO"), actor("EU")]}


def request(n: int = 0) -> CallRequest:
    return CallRequest("actors", [{"role": "user", "content": f"<article>NATO {n}</article>"}],
                       ActorsResponse, {"temperature": 0.0, "max_tokens": 300})


def make(server: ScriptedServer, cache: ResponseCache | None = None, **kwargs: Any) -> LLM:
    return LLM(resolve("compatible/test", base_url=server.url, api_key="sk-test-0123456789"),
               POLICY, cache, **kwargs)


class Recorder(Middleware):
    def __init__(self, name: str, log: list[str]) -> None:
        self.name, self.log = name, log

    def before(self, req: CallRequest) -> None:
        self.log.append(f"{self.name}.before")

    def after(self, req: CallRequest, result: CallResult | None,
              error: ExtractorError | None) -> None:
        what = "error" if error else ("cached" if result and result.cached else "result")
        self.log.append(f"{self.name}.after:{what}")


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest) -> Any:
    async def run(llm: LLM, req: CallRequest) -> CallResult:
        return llm.call(req) if request.param == "sync" else await llm.acall(req)

    return run


async def test_hooks_run_in_order_and_cache_hits_skip_before(
        scripted: ScriptedServer, call: Any, tmp_path: Path) -> None:
    scripted.set_script([answer(GOOD), status(400, "no")])
    log: list[str] = []
    meter = Meter()
    llm = make(scripted, ResponseCache(tmp_path / "c.sqlite"),
               middleware=[Recorder("a", log), Recorder("b", log), meter])
    await call(llm, request())
    await call(llm, request())  # a cache hit
    with pytest.raises(ProviderError):
        await call(llm, request(1))
    assert log == ["a.before", "b.before", "b.after:result", "a.after:result",
                   "b.after:cached", "a.after:cached",
                   "a.before", "b.before", "b.after:error", "a.after:error"]
    assert meter.take() == {"requests": 2, "prompt_tokens": 11, "completion_tokens": 7,
                            "cached_calls": 1}
    assert meter.take()["requests"] == 0  # taken: reset


async def test_with_middleware_is_a_copy_that_keeps_cache_only(
        scripted: ScriptedServer, call: Any, tmp_path: Path) -> None:
    from extractor.errors import CacheMissError

    base = make(scripted, ResponseCache(tmp_path / "c.sqlite"), cache_only=True)
    log: list[str] = []
    wrapped = base.with_middleware(Recorder("r", log))
    assert wrapped.cache_only and wrapped.cache is base.cache and base.middleware == ()
    with pytest.raises(CacheMissError):
        await call(wrapped, request())
    assert scripted.chat_requests == [] and log == []


def test_rate_limit_paces_sync_calls_from_threads(scripted: ScriptedServer) -> None:
    """120 rpm = 2 requests/s with a 1 s bucket (2): 8 calls from 4 threads need >= 3 s.
    Only a lower bound on time is asserted."""
    scripted.set_script(lambda _: answer(GOOD))
    llm = make(scripted, middleware=[RateLimit(rpm=120)])
    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(llm.call, [request(i) for i in range(8)]))
    assert all(r.value.actors for r in results)
    assert time.monotonic() - started >= 2.9
    arrivals = [r.at for r in scripted.chat_requests]
    assert max(arrivals) - min(arrivals) >= 2.4  # 6 requests past the bucket at 2/s


def test_concurrent_calls_share_one_client_per_kind(scripted: ScriptedServer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []

    class CountingSync(openai.OpenAI):
        def __init__(self, **kwargs: Any) -> None:
            made.append("sync")
            super().__init__(**kwargs)

    class CountingAsync(openai.AsyncOpenAI):
        def __init__(self, **kwargs: Any) -> None:
            made.append("async")
            super().__init__(**kwargs)

    monkeypatch.setattr(clients.openai, "OpenAI", CountingSync)
    monkeypatch.setattr(clients.openai, "AsyncOpenAI", CountingAsync)
    scripted.set_script(lambda _: answer(GOOD))
    llm = make(scripted)
    copy = llm.with_middleware(Meter())
    with ThreadPoolExecutor(8) as pool:
        assert len(list(pool.map(llm.call, [request(i) for i in range(16)]))) == 16

    async def gathered() -> None:
        await asyncio.gather(*(c.acall(request(i)) for i in range(16) for c in (llm, copy)))

    asyncio.run(gathered())
    assert made.count("sync") == 1 and made.count("async") == 1
    asyncio.run(gathered())  # a new loop gets its own async client
    assert made.count("async") == 2
    assert len(scripted.chat_requests) == 16 + 64


def test_async_client_closes_with_its_loop(scripted: ScriptedServer) -> None:
    """No 'Unclosed client session' on stderr after asyncio.run, run twice."""
    scripted.set_script(lambda _: answer(GOOD))
    code = (
        "import asyncio, sys\n"
        "from extractor.llm import LLM, CallRequest\n"
        "from extractor.providers import resolve\n"
        "from extractor.schema import ActorsResponse\n"
        f"llm = LLM(resolve('compatible/test', base_url={scripted.url!r}))\n"
        "req = CallRequest('actors', [{'role': 'user', 'content': 'x'}], ActorsResponse, {})\n"
        "for _ in range(2):\n"
        "    assert asyncio.run(llm.acall(req)).value.actors\n"
        "import gc; gc.collect()\n")
    done = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Unclosed" not in done.stderr, done.stderr
    assert len(scripted.chat_requests) == 2


# ------------------------------------------------------------------ salvaged answers


async def test_salvaged_answer_is_asked_again_on_the_next_run(
        scripted: ScriptedServer, call: Any, tmp_path: Path) -> None:
    partial = json.dumps({"actors": [actor("NATO"), actor("EU"), actor("UN")]})
    partial = partial[: partial.index('"UN"') + 2]  # cut inside the third item
    scripted.set_script([truncated(partial), answer({"actors": [actor("UN")]})])
    cache = ResponseCache(tmp_path / "c.sqlite")
    first = await call(make(scripted, cache), request())
    assert first.truncated and [a.name for a in first.value.actors] == ["NATO", "EU"]
    stored = cache.get(make(scripted, cache)._key(request()))
    assert stored is not None and stored.truncated

    offline = await call(make(scripted, cache, cache_only=True), request())
    assert offline.cached and offline.truncated  # served, marked, nothing sent
    assert len(scripted.chat_requests) == 1

    second = await call(make(scripted, cache), request())  # the next run asks again
    assert not second.cached and not second.truncated
    assert [a.name for a in second.value.actors] == ["UN"]
    assert len(scripted.chat_requests) == 2
    third = await call(make(scripted, cache), request())  # a whole answer is kept
    assert third.cached and not third.truncated and len(scripted.chat_requests) == 2


def test_async_transport_takes_the_proxy_from_the_environment_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "localhost")
    assert clients._env_proxy("http://api.example/v1/chat/completions") == (
        "http://proxy.invalid:3128")
    assert clients._env_proxy("http://localhost:8080/v1/chat/completions") is None
    monkeypatch.delenv("HTTP_PROXY")
    assert clients._env_proxy("http://api.example/v1/chat/completions") is None


def test_extractor_reasks_a_salvaged_pass_next_run_and_cache_only_keeps_its_notice(
        scripted: ScriptedServer, tmp_path: Path) -> None:
    """End to end (extract@5, three passes): the actors pass is cut at max_tokens once. The
    next cache-only run sends nothing and still says so; the next normal run asks again for
    that pass alone, and its whole answer is served from then on."""
    from extraction_server import document, pass_of, valid_answer

    from extractor import Extractor

    cut = {"left": 1}

    def script(body: dict[str, Any]) -> Any:
        if pass_of(body) == "actors" and cut["left"]:
            cut["left"] -= 1
            # the complete items are the two the whole answer has, so the later passes'
            # prompts (which list the actors found) are the same either way
            whole = json.dumps({"actors": [actor("Ruritania"), actor("Monday"),
                                           actor("Borduria")]})
            return truncated(whole[: whole.index('"Borduria"') + 4])
        return answer(valid_answer(body))

    scripted.set_script(script)
    cache = tmp_path / "c.sqlite"

    def run(**kwargs: Any) -> tuple[Any, int]:
        before = len(scripted.chat_requests)
        ex = Extractor("compatible/test", "extract@5", base_url=scripted.url, api_key="k",
                       cache=cache, policy=POLICY, **kwargs)
        result = ex.extract(document(1))
        return result, len(scripted.chat_requests) - before

    def cut_notice(result: Any) -> bool:
        return any(w.code == "truncated" for w in result.warnings)

    first, sent = run()
    assert sent == 3 and cut_notice(first)
    offline, sent = run(cache_only=True)
    assert sent == 0 and cut_notice(offline)
    again, sent = run()
    assert sent == 1 and not cut_notice(again)  # only the salvaged pass is asked again
    later, sent = run()
    assert sent == 0 and not cut_notice(later)
