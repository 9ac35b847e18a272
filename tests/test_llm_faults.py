"""extractor.llm.LLM against a scripted OpenAI-compatible server: transport faults, re-asks,
truncation, usage, Retry-After, secrets and the cache. Every test runs the sync `call` and the
async `acall` through the real openai SDK, instructor and tenacity."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from scripted_server import (
    Action,
    ScriptedServer,
    answer,
    drop,
    empty_choices,
    hang,
    not_json,
    rate_limited,
    status,
    truncated,
    unauthorized,
)

from extractor.cache import ResponseCache
from extractor.errors import (
    AuthenticationError,
    ExtractorError,
    InvalidOutputError,
    LLMError,
    ProviderError,
    TruncatedOutputError,
)
from extractor.llm import LLM, CallRequest, CallResult, RetryPolicy
from extractor.providers import resolve
from extractor.schema import ActorsResponse

KEY = "sk-planted-SECRET-123"
POLICY = RetryPolicy(attempts=3, backoff=0.01, timeout=1.0, reasks=2)
PROVIDER_TEXT = "UPSTREAM-OVERLOADED-xyzzy"  # marks provider error bodies


def actor(name: str, type_: str = "state") -> dict[str, Any]:
    return {"name": name, "type": type_, "aliases": [], "role": None, "affiliation": None,
            "country": None}


NATO, EU, UN = actor("NATO", "international_organization"), actor("EU"), actor("UN")
GOOD = {"actors": [NATO]}
BAD = {"actors": [{"name": "NATO"}]}  # no `type`: breaks the response schema
MESSAGES = [{"role": "system", "content": "You list actors."},
            {"role": "user", "content": "<article>NATO met.</article>\nTASK: list the actors."}]


def request(content: str = MESSAGES[1]["content"]) -> CallRequest:
    return CallRequest("actors", [MESSAGES[0], {"role": "user", "content": content}],
                       ActorsResponse, {"temperature": 0.0, "max_tokens": 300})


def make_llm(server: ScriptedServer, policy: RetryPolicy = POLICY,
             cache: ResponseCache | None = None) -> LLM:
    return LLM(resolve("compatible/test", base_url=server.url, api_key=KEY), policy, cache)


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest) -> Any:
    """`await call(llm, req)` runs LLM.call or LLM.acall."""

    async def run(llm: LLM, req: CallRequest) -> CallResult:
        return llm.call(req) if request.param == "sync" else await llm.acall(req)

    return run


def all_prompt_text(server: ScriptedServer) -> str:
    return json.dumps([r.messages for r in server.chat_requests])


# ------------------------------------------------------------------ transport faults

TRANSPORT_FAULTS: dict[str, tuple[Action, str]] = {
    # fault -> (action, what the exhausted ProviderError's message must name)
    "429": (rate_limited(), "HTTP 429"),
    "429-retry-after": (rate_limited(0.05), "HTTP 429"),
    "429-retry-after-date": (rate_limited("Wed, 21 Oct 2015 07:28:00 GMT"), "HTTP 429"),
    "429-retry-after-garbage": (rate_limited("soon"), "HTTP 429"),
    "500": (status(500, PROVIDER_TEXT), "HTTP 500"),
    "503": (status(503, PROVIDER_TEXT), "HTTP 503"),
    "hang": (hang(5.0), "timed out after 1s"),
    "drop": (drop(), "cannot reach"),
    "not-json": (not_json(), "not JSON"),
    "html-200": (not_json(b"<html>" + PROVIDER_TEXT.encode() + b"</html>", "text/html"),
                 "not JSON"),
}


@pytest.mark.parametrize("fault", TRANSPORT_FAULTS)
async def test_transport_fault_is_retried_then_succeeds(scripted: ScriptedServer, call: Any,
                                                        fault: str) -> None:
    scripted.set_script([TRANSPORT_FAULTS[fault][0], answer(GOOD, prompt_tokens=40,
                                                            completion_tokens=9)])
    result = await call(make_llm(scripted), request())
    assert result.value.model_dump() == ActorsResponse.model_validate(GOOD).model_dump()
    assert not result.truncated and not result.cached
    assert len(scripted.chat_requests) == 2
    assert result.usage.requests == 2
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (40, 9)
    # a transport retry resends the same conversation: no fault text enters the prompt
    first, second = (r.messages for r in scripted.chat_requests)
    assert first == second == request().messages
    assert PROVIDER_TEXT not in all_prompt_text(scripted)


@pytest.mark.parametrize("fault", TRANSPORT_FAULTS)
async def test_exhausted_transport_retries_raise_provider_error(
        scripted: ScriptedServer, call: Any, fault: str) -> None:
    action, cause = TRANSPORT_FAULTS[fault]
    scripted.set_script([action] * POLICY.attempts + [answer(GOOD)])
    with pytest.raises(ProviderError) as info:
        await call(make_llm(scripted), request())
    exc = info.value
    assert not isinstance(exc, AuthenticationError)
    assert cause in str(exc), str(exc)
    assert "pass 'actors'" in str(exc)
    assert exc.attempts == POLICY.attempts
    assert len(scripted.chat_requests) == POLICY.attempts  # the good answer was never asked for
    if fault[:3].isdigit():
        assert exc.status_code == int(fault[:3])


async def test_401_raises_authentication_error_without_retry(scripted: ScriptedServer,
                                                             call: Any) -> None:
    scripted.set_script([unauthorized(), answer(GOOD)])
    with pytest.raises(AuthenticationError) as info:
        await call(make_llm(scripted), request())
    assert info.value.attempts == 1
    assert info.value.status_code == 401
    assert "401" in str(info.value)
    assert len(scripted.chat_requests) == 1
    assert scripted.chat_requests[0].headers["authorization"] == f"Bearer {KEY}"


async def test_non_transient_4xx_is_not_retried(scripted: ScriptedServer, call: Any) -> None:
    scripted.set_script([status(400, "bad request: unknown parameter"), answer(GOOD)])
    with pytest.raises(ProviderError) as info:
        await call(make_llm(scripted), request())
    assert info.value.status_code == 400 and info.value.attempts == 1
    assert len(scripted.chat_requests) == 1


# ------------------------------------------------------------------ Retry-After


async def test_retry_after_is_honoured(scripted: ScriptedServer, call: Any) -> None:
    scripted.set_script([rate_limited(0.3), answer(GOOD)])
    started = time.monotonic()
    await call(make_llm(scripted), request())
    first, second = scripted.chat_requests
    assert second.at - first.at >= 0.3  # backoff alone would wait 0.01 s
    assert time.monotonic() - started >= 0.3


async def test_retry_after_is_capped(scripted: ScriptedServer, call: Any) -> None:
    policy = RetryPolicy(attempts=2, backoff=0.01, timeout=1.0, max_retry_after=0.1)
    scripted.set_script([rate_limited(30), answer(GOOD)])
    started = time.monotonic()
    result = await call(make_llm(scripted, policy), request())
    assert result.usage.requests == 2
    assert time.monotonic() - started < 10  # not the server's 30 s


# ------------------------------------------------------------------ validation re-asks


async def test_schema_violation_is_reasked_with_the_validation_error(
        scripted: ScriptedServer, call: Any) -> None:
    scripted.set_script([answer(BAD, prompt_tokens=100, completion_tokens=10),
                         answer(GOOD, prompt_tokens=200, completion_tokens=20)])
    result = await call(make_llm(scripted), request())
    assert result.value.model_dump() == ActorsResponse.model_validate(GOOD).model_dump()
    assert len(scripted.chat_requests) == 2
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (300, 30)
    assert result.usage.total_tokens == 330 and result.usage.requests == 2
    first, second = (r.messages for r in scripted.chat_requests)
    assert first == request().messages
    assert second[: len(first)] == first
    reask = json.dumps(second[len(first):])
    assert "type" in reask and "Field required" in reask  # the validation error
    assert second[len(first)] == {"role": "assistant", "content": json.dumps(BAD)}


async def test_reasks_are_bounded_then_invalid_output_error(scripted: ScriptedServer,
                                                            call: Any) -> None:
    scripted.set_script([answer(BAD)] * (POLICY.reasks + 1) + [answer(GOOD)])
    with pytest.raises(InvalidOutputError) as info:
        await call(make_llm(scripted), request())
    assert info.value.attempts == POLICY.reasks + 1
    assert len(scripted.chat_requests) == POLICY.reasks + 1
    assert "Field required" in str(info.value) and "actors.0.type" in str(info.value)


async def test_no_reasks_when_policy_allows_none(scripted: ScriptedServer, call: Any) -> None:
    policy = RetryPolicy(attempts=3, backoff=0.01, timeout=1.0, reasks=0)
    scripted.set_script([answer(BAD), answer(GOOD)])
    with pytest.raises(InvalidOutputError):
        await call(make_llm(scripted, policy), request())
    assert len(scripted.chat_requests) == 1


async def test_reask_conversation_never_carries_provider_error_text(
        scripted: ScriptedServer, call: Any) -> None:
    # 500, then a bad answer and its re-ask hits a 503, then a fresh bad answer and its re-ask
    scripted.set_script([status(500, PROVIDER_TEXT), answer(BAD), status(503, PROVIDER_TEXT),
                         answer(BAD), answer(GOOD)])
    result = await call(make_llm(scripted), request())
    assert result.value.model_dump() == ActorsResponse.model_validate(GOOD).model_dump()
    assert len(scripted.chat_requests) == 5 and result.usage.requests == 5
    sent = [r.messages for r in scripted.chat_requests]
    assert PROVIDER_TEXT not in json.dumps(sent)
    assert "Error code" not in json.dumps(sent)
    # requests 3 and 5 are re-asks carrying the validation error; 1, 2, 4 are the plain prompt
    for i in (0, 1, 3):
        assert sent[i] == request().messages
    for i in (2, 4):
        assert "Field required" in json.dumps(sent[i][2:])


async def test_usage_is_summed_over_every_attempt(scripted: ScriptedServer, call: Any) -> None:
    scripted.set_script([rate_limited(), answer(BAD, prompt_tokens=100, completion_tokens=10),
                         status(500), answer(GOOD, prompt_tokens=200, completion_tokens=20)])
    result = await call(make_llm(scripted), request())
    assert result.usage.requests == len(scripted.chat_requests) == 4
    assert result.usage.prompt_tokens == scripted.served_usage["prompt_tokens"] == 300
    assert result.usage.completion_tokens == scripted.served_usage["completion_tokens"] == 30


# ------------------------------------------------------------------ truncation, empty answers


async def test_truncated_answer_keeps_complete_items(scripted: ScriptedServer,
                                                     call: Any) -> None:
    partial = json.dumps({"actors": [NATO, EU, UN]})
    partial = partial[: partial.index('"UN"') + 2]  # cut inside the third item
    scripted.set_script([truncated(partial, prompt_tokens=30, completion_tokens=300),
                         answer(GOOD)])
    result = await call(make_llm(scripted), request())
    assert result.truncated
    assert [a.name for a in result.value.actors] == ["NATO", "EU"]
    assert len(scripted.chat_requests) == 1  # truncation is not a transport fault
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (30, 300)


@pytest.mark.parametrize("partial", ['{"actors": [{"name": "NAT', "Sure! The actors are", ""])
async def test_truncated_answer_with_nothing_complete_raises(scripted: ScriptedServer,
                                                             call: Any, partial: str) -> None:
    scripted.set_script([truncated(partial), answer(GOOD)])
    with pytest.raises(TruncatedOutputError) as info:
        await call(make_llm(scripted), request())
    assert "max_tokens" in str(info.value) and info.value.pass_name == "actors"
    assert len(scripted.chat_requests) == 1


async def test_empty_choices_raise_a_typed_error(scripted: ScriptedServer, call: Any) -> None:
    scripted.set_script([empty_choices()] * 10)
    with pytest.raises(ExtractorError) as info:
        await call(make_llm(scripted), request())
    assert isinstance(info.value, LLMError) and info.value.pass_name == "actors"


# ------------------------------------------------------------------ secrets, cache


async def test_api_key_never_leaks(scripted: ScriptedServer, call: Any, tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite")
    llm = make_llm(scripted, cache=cache)
    assert KEY not in repr(llm) and KEY not in repr(llm.endpoint) and KEY not in str(llm.endpoint)
    errors: list[BaseException] = []
    echoing = [  # servers that echo the key they refuse or received
        [status(401, f"Incorrect API key provided: {KEY}")],
        [status(500, f"internal error for key {KEY}")] * POLICY.attempts,
        [answer({"actors": [{"name": KEY}]})] * (POLICY.reasks + 1),
    ]
    for script in echoing:
        scripted.set_script(script)
        with pytest.raises(ExtractorError) as info:
            await call(llm, request())
        errors.append(info.value)
    assert [type(e) for e in errors] == [AuthenticationError, ProviderError, InvalidOutputError]
    for exc in errors:
        assert KEY not in str(exc) and KEY not in repr(exc)
    scripted.set_script([answer(GOOD)])
    await call(llm, request())
    assert len(cache) == 1
    cache.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("c.sqlite*"))
    assert b"actors" in stored and KEY.encode() not in stored
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in scripted.chat_requests)


async def test_cached_second_call_makes_no_request(scripted: ScriptedServer, call: Any,
                                                   tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite")
    scripted.set_script([answer(GOOD, prompt_tokens=40, completion_tokens=9),
                         answer({"actors": [EU]})])
    first = await call(make_llm(scripted, cache=cache), request())
    again = await call(make_llm(scripted, cache=cache), request())  # a fresh client, same cache
    assert len(scripted.chat_requests) == 1
    assert again.cached and not first.cached
    assert again.value.model_dump() == first.value.model_dump()
    assert (again.usage.requests, again.usage.cached_calls, again.usage.prompt_tokens) == (0, 1, 0)
    other = await call(make_llm(scripted, cache=cache), request("<article>EU met.</article>"))
    assert len(scripted.chat_requests) == 2 and not other.cached  # the key covers the messages
    assert [a.name for a in other.value.actors] == ["EU"]


async def test_failures_are_not_cached(scripted: ScriptedServer, call: Any,
                                       tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite")
    scripted.set_script([status(500)] * POLICY.attempts + [answer(GOOD)])
    with pytest.raises(ProviderError):
        await call(make_llm(scripted, cache=cache), request())
    assert len(cache) == 0
    result = await call(make_llm(scripted, cache=cache), request())
    assert not result.cached and len(scripted.chat_requests) == POLICY.attempts + 1


def test_scripted_server_serves_models(scripted: ScriptedServer) -> None:
    import openai

    client = openai.OpenAI(base_url=scripted.url, api_key=KEY, max_retries=0)
    assert [m.id for m in client.models.list()] == ["test"]
    assert scripted.requests[0].path == "/v1/models"
    assert scripted.requests[0].headers["authorization"] == f"Bearer {KEY}"
