"""extractor.batch and `extractor batch` against a loopback scripted server: every document
ends in OUT or in the errors file exactly once, through injected faults, a SIGKILL and a
resume; rate limits space requests; a warm re-run with the response cache sends nothing."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from extraction_server import document, marker_of, pass_of, valid_answer
from scripted_server import Action, ScriptedServer, answer, status, unauthorized

from extractor.batch import (
    BatchItem,
    RateLimit,
    aextract_many,
    extract_many,
    finished_ids,
    read_items,
)
from extractor.errors import AuthenticationError
from extractor.llm import CallRequest, RetryPolicy
from extractor.pipeline import Extractor
from extractor.schema import ActorsResponse, Extraction

FAST = RetryPolicy(attempts=3, backoff=0.001, max_backoff=0.01, timeout=10.0, reasks=1)


def ok(body: dict[str, Any]) -> Action:
    return answer(valid_answer(body))


# A three-pass version (3 requests per document), so the counts below do not depend on how
# many candidate sentences the default prompt would check.
PROMPT = "extract@5"


def make(server: ScriptedServer, **kwargs: Any) -> Extractor:
    return Extractor("test", PROMPT, base_url=server.url, policy=FAST, **kwargs)


def docs(n: int) -> list[tuple[str, str]]:
    return [(f"d{i}", document(i)) for i in range(n)]


def lines(path: Path) -> list[dict[str, Any]]:
    """Every line of a JSONL file, each of which must parse."""
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def ids_once(path: Path) -> set[str]:
    counts = Counter(str(r["id"]) for r in lines(path)) if path.exists() else Counter()
    assert all(c == 1 for c in counts.values()), [k for k, c in counts.items() if c > 1]
    return set(counts)


def requested(server: ScriptedServer, since: int = 0) -> set[str]:
    """Document ids (DOC-i -> di) the server was asked about, from its request log."""
    found = {marker_of(r.body or {}) for r in server.chat_requests[since:]}
    return {f"d{m.removeprefix('DOC-')}" for m in found if m}


# ------------------------------------------------------------------ faults: none lost


def test_thousand_documents_with_injected_faults_none_lost_none_duplicated(
        scripted: ScriptedServer, tmp_path: Path) -> None:
    """20% faulty: 5% 5xx/429 then success, 5% permanent 400, 5% answers that never fit the
    schema, 5% empty texts. The healthy and the retried ones land in OUT, the rest in
    errors, each exactly once."""
    n = 1000
    kind = {f"d{i}": ("flaky", "4xx", "schema", "empty")[i % 20] if i % 20 < 4 else "ok"
            for i in range(n)}
    seen: Counter[tuple[str, str]] = Counter()

    def script(body: dict[str, Any]) -> Action:
        doc = f"d{(marker_of(body) or 'DOC-x').removeprefix('DOC-')}"
        seen[(doc, pass_of(body))] += 1
        first = seen[(doc, pass_of(body))] == 1
        if kind.get(doc) == "flaky" and first:
            return status(503, "overloaded", retry_after=0) if int(doc[1:]) % 40 == 0 \
                else status(500, "boom")
        if kind.get(doc) == "4xx":
            return status(400, "context length exceeded")
        if kind.get(doc) == "schema":
            return answer({"actors": [{"name": "X"}]}) if int(doc[1:]) % 40 == 2 \
                else answer("Sure! Here are the actors you asked for.")
        return ok(body)

    scripted.set_script(script)
    items = [(i, "" if kind[i] == "empty" else text) for i, text in docs(n)]
    out, errs = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    report = extract_many(items, make(scripted), out=out, errors_path=errs, concurrency=16)

    good = {i for i, k in kind.items() if k in ("ok", "flaky")}
    bad = set(kind) - good
    assert ids_once(out) == good
    assert ids_once(errs) == bad
    assert (report.ok, report.failed, report.skipped, report.duplicates) == (850, 150, 0, 0)
    failures = {r["id"]: r for r in lines(errs)}
    for doc_id, record in failures.items():
        expected = {"4xx": "ProviderError", "schema": "InvalidOutputError",
                    "empty": "InputError"}[kind[doc_id]]
        assert record["error"] == expected, record
        assert record["attempts"] == {"4xx": 1, "schema": 2, "empty": 0}[kind[doc_id]]
        assert record["message"]
    assert all(failures[i].get("status_code") == 400 for i in bad if kind[i] == "4xx")
    for record in lines(out):  # every result is a whole, valid Extraction
        extraction = Extraction.model_validate(record["extraction"])
        assert extraction.document.source == record["id"]
        assert extraction.threats and extraction.claims
    assert all(seen[(i, "actors")] == 2 for i in good if kind[i] == "flaky")  # retried once
    assert not requested(scripted) & {i for i in bad if kind[i] == "empty"}


# -------------------------------------------------------------- resume after SIGKILL


def _cli(args: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "extractor.cli", "batch", "-p", PROMPT, *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=Path(__file__).resolve().parents[1], **kwargs)


def test_resume_after_sigkill_requests_no_finished_document_again(
        scripted: ScriptedServer, tmp_path: Path) -> None:
    n = 150

    def slow(body: dict[str, Any]) -> Action:
        time.sleep(0.01)  # the server answers one request at a time: ~100 requests/s
        return ok(body)

    scripted.set_script(slow)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in docs(n)))
    out = tmp_path / "out.jsonl"
    args = [str(source), "--out", str(out), "-m", "test", "--base-url", scripted.url,
            "--no-cache", "--concurrency", "4"]

    first = _cli(args)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(finished_ids(out)) < 30:
        assert first.poll() is None, first.stderr.read().decode()  # type: ignore[union-attr]
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert first.returncode == -signal.SIGKILL
    done_at_kill = finished_ids(out)  # a torn last line, if any, is not counted
    assert 30 <= len(done_at_kill) < n
    mark = len(scripted.chat_requests)

    second = _cli(args)
    _, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr.decode()
    again = requested(scripted, since=mark)
    assert again, "the re-run must have finished the rest"
    assert not again & done_at_kill, sorted(again & done_at_kill)
    assert ids_once(out) == {i for i, _ in docs(n)}  # and every line parses
    assert not (tmp_path / "out.errors.jsonl").exists() or not lines(
        tmp_path / "out.errors.jsonl")


def test_torn_last_line_is_cut_and_its_document_redone(scripted: ScriptedServer,
                                                       tmp_path: Path) -> None:
    scripted.set_script(ok)
    out = tmp_path / "out.jsonl"
    extract_many(docs(3), make(scripted), out=out)
    with out.open("ab") as fh:
        fh.write(b'{"id":"d3","extraction":{"schema_vers')  # a write cut by a crash
    mark = len(scripted.chat_requests)
    report = extract_many(docs(5), make(scripted), out=out)
    assert requested(scripted, since=mark) == {"d3", "d4"}
    assert (report.ok, report.skipped) == (2, 3)
    assert ids_once(out) == {"d0", "d1", "d2", "d3", "d4"}


def test_errors_are_retried_on_rerun_and_leave_the_errors_file(scripted: ScriptedServer,
                                                               tmp_path: Path) -> None:
    broken = {"d1"}
    scripted.set_script(lambda b: status(400, "no") if requested_one(b) in broken else ok(b))
    out, errs = tmp_path / "out.jsonl", tmp_path / "err.jsonl"
    extract_many(docs(3), make(scripted), out=out, errors_path=errs)
    assert ids_once(errs) == {"d1"}
    mark = len(scripted.chat_requests)
    report = extract_many(docs(3), make(scripted), out=out, errors_path=errs,
                          retry_errors=False)
    assert (report.ok, report.failed, report.skipped) == (0, 0, 3)
    assert len(scripted.chat_requests) == mark
    broken.clear()  # the provider recovers: a plain re-run retries the failure
    report = extract_many(docs(3), make(scripted), out=out, errors_path=errs)
    assert (report.ok, report.skipped) == (1, 2)
    assert ids_once(out) == {"d0", "d1", "d2"}
    assert ids_once(errs) == set()


def requested_one(body: dict[str, Any]) -> str:
    return f"d{(marker_of(body) or 'DOC-x').removeprefix('DOC-')}"


def test_duplicate_ids_in_input_are_extracted_once(scripted: ScriptedServer,
                                                   tmp_path: Path) -> None:
    scripted.set_script(ok)
    out = tmp_path / "out.jsonl"
    report = extract_many([*docs(2), ("d0", document(0)), {"id": "d9", "text": document(9)},
                           {"text": "no id"}, ("d5",)], make(scripted), out=out)  # type: ignore[list-item]
    assert report.duplicates == 1
    assert ids_once(out) == {"d0", "d1", "d9"}
    problems = {r["id"]: r for r in lines(tmp_path / "out.errors.jsonl")}
    assert set(problems) == {"#5", "#6"}
    assert {r["error"] for r in problems.values()} == {"InputError"}


def test_fatal_error_stops_the_batch_and_records_nothing(scripted: ScriptedServer,
                                                         tmp_path: Path) -> None:
    scripted.set_script(lambda _: unauthorized())
    out = tmp_path / "out.jsonl"
    with pytest.raises(AuthenticationError):
        extract_many(docs(50), make(scripted), out=out, concurrency=4)
    assert len(scripted.chat_requests) <= 8  # stopped, did not try all 50
    assert finished_ids(out) == set()
    assert not (tmp_path / "out.errors.jsonl").exists()


# ------------------------------------------------------------ concurrency and limits


def test_concurrency_is_bounded(scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.set_script(ok)
    state = {"now": 0, "peak": 0}

    class Counting(Extractor):
        async def aextract(self, text: Any, **kwargs: Any) -> Extraction:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
            try:
                await asyncio.sleep(0.01)
                return await super().aextract(text, **kwargs)
            finally:
                state["now"] -= 1

    ex = Counting("test", PROMPT, base_url=scripted.url, policy=FAST)
    extract_many(docs(40), ex, out=tmp_path / "out.jsonl", concurrency=5)
    assert state["peak"] == 5


def test_rpm_limit_spaces_requests(scripted: ScriptedServer, tmp_path: Path) -> None:
    """600 rpm = 10 requests/s with a 1 s bucket: the first 10 of 30 requests go at once, the
    last 20 drain at 10/s, so the run cannot end before 2 s after it starts.

    Only lower bounds on time are asserted (a loaded machine can slow a run, never speed it);
    the first request's arrival can lag its slot, so the bound is taken from the call's start.
    """
    scripted.set_script(ok)
    mark = len(scripted.chat_requests)
    started = time.monotonic()
    extract_many([(f"x{i}", t) for i, t in docs(10)], make(scripted),
                 out=tmp_path / "b.jsonl", concurrency=10, rpm=600)
    paced_at = [r.at for r in scripted.chat_requests[mark:]]
    assert len(paced_at) == 30
    assert paced_at[-1] - started >= 1.95
    for start in paced_at:  # any 1 s window holds at most the bucket (10) + 1 s of rate (10)
        assert sum(start <= t < start + 1.0 for t in paced_at) <= 21


async def test_tpm_limit_waits_for_tokens() -> None:
    """60,000 tpm = 1,000 tokens/s with a 10 s bucket: 20 calls of about 600 tokens (12,000)
    overflow the 10,000-token bucket by 2,000, which takes about 2 s to drain."""
    req = CallRequest("actors", [{"role": "user", "content": "x" * 40}], ActorsResponse,
                      {"max_tokens": 580})
    limit = RateLimit(tpm=60_000)
    assert 590 <= limit.charge(req) <= 600
    started = time.monotonic()
    for _ in range(20):
        await limit.abefore(req)
    assert time.monotonic() - started >= 1.5  # 2,000 tokens over the bucket at 1,000/s
    assert RateLimit().charge(req) == 0  # no limit, no charge


def test_warm_rerun_with_response_cache_sends_no_request(scripted: ScriptedServer,
                                                         tmp_path: Path) -> None:
    scripted.set_script(ok)
    cache = tmp_path / "responses.sqlite"
    cold = extract_many(docs(20), make(scripted, cache=cache), out=tmp_path / "cold.jsonl")
    assert len(scripted.chat_requests) == cold.requests == 60
    warm = extract_many(docs(20), make(scripted, cache=cache), out=tmp_path / "warm.jsonl",
                        rpm=60)  # 1 request/s: charging the 60 cached calls would take 60 s
    assert len(scripted.chat_requests) == 60
    assert (warm.ok, warm.requests, warm.cached_calls) == (20, 0, 60)
    assert warm.elapsed < 30  # charged at 1 request/s, 60 cached calls would take 60 s
    assert ids_once(tmp_path / "warm.jsonl") == ids_once(tmp_path / "cold.jsonl")


# ------------------------------------------------------------------------- readers


def test_readers_jsonl_folder_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "one"}\n\n[1, 2]\n{"id": "b", "text": "two"}\nnope\n')
    items = list(read_items(source))
    assert [(i.id, i.text) for i in items if i.problem is None] == [("1", "one"), ("b", "two")]
    assert [i.id for i in items if i.problem] == ["in.jsonl:3", "in.jsonl:5"]

    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "beta.txt").write_text("second")
    (folder / "alpha.txt").write_text("first")
    (folder / "notes.md").write_text("ignored")
    assert list(read_items(folder)) == [BatchItem("alpha", b"first"), BatchItem("beta", b"second")]

    stdin = io.TextIOWrapper(io.BytesIO(b'{"id": "s", "text": "from stdin"}\n'))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert list(read_items("-")) == [BatchItem("s", "from stdin")]


def test_cli_reads_a_folder_and_exits_3_when_some_failed(scripted: ScriptedServer,
                                                         tmp_path: Path) -> None:
    scripted.set_script(ok)
    folder = tmp_path / "texts"
    folder.mkdir()
    for i, text in docs(4):
        (folder / f"{i}.txt").write_text(text)
    (folder / "blank.txt").write_text("   \n")
    out = tmp_path / "out.jsonl"
    proc = _cli([str(folder), "--out", str(out), "-m", "test", "--base-url", scripted.url,
                 "--no-cache", "--errors", str(tmp_path / "bad.jsonl")])
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 3, stderr.decode()
    assert ids_once(out) == {"d0", "d1", "d2", "d3"}
    assert [r["id"] for r in lines(tmp_path / "bad.jsonl")] == ["blank"]
    assert b"4 extracted, 1 failed" in stderr


def test_a_second_concurrent_run_on_the_same_out_is_refused(scripted: ScriptedServer,
                                                            tmp_path: Path) -> None:
    from extractor.errors import ConfigError

    gate = threading.Event()

    def held(body: dict[str, Any]) -> Action:
        gate.wait(10)
        return ok(body)

    scripted.set_script(held)
    out = tmp_path / "out.jsonl"

    async def both() -> None:
        first = asyncio.create_task(aextract_many(docs(1), make(scripted), out=out))
        await asyncio.sleep(0.3)
        try:
            with pytest.raises(ConfigError, match="another batch"):
                await aextract_many(docs(1), make(scripted), out=out)
        finally:
            gate.set()
        await first

    asyncio.run(both())
    assert ids_once(out) == {"d0"}
    assert os.path.getsize(out) > 0

