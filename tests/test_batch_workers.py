"""extractor.batch: the Extractor's own settings hold in a batch (cache_only sends nothing),
the sync entry point works inside a running event loop, and worker processes share one
output and its resume logic, against the loopback scripted server."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from scripted_server import ScriptedServer, status, unauthorized
from test_batch import FAST, docs, ids_once, lines, make, ok, requested, requested_one

from extractor.batch import extract_many, finished_ids
from extractor.errors import AuthenticationError
from extractor.schema import Extraction

# ------------------------------------------------------- the extractor's own settings hold


def test_cache_only_extractor_sends_nothing_and_records_cache_misses(
        scripted: ScriptedServer, tmp_path: Path) -> None:
    """The batch wraps the Extractor's own LLM (limits and a meter as middleware), so
    cache_only holds: cached documents land in OUT, uncached ones in the errors file as
    CacheMissError, and not one request reaches the server."""
    scripted.set_script(ok)
    cache = tmp_path / "responses.sqlite"
    extract_many(docs(2), make(scripted, cache=cache), out=tmp_path / "warm.jsonl")
    mark = len(scripted.chat_requests)
    assert mark == 6
    out = tmp_path / "out.jsonl"
    report = extract_many(docs(4), make(scripted, cache=cache, cache_only=True), out=out,
                          rpm=6000)
    assert len(scripted.chat_requests) == mark
    assert ids_once(out) == {"d0", "d1"}
    failures = {r["id"]: r for r in lines(tmp_path / "out.errors.jsonl")}
    assert set(failures) == {"d2", "d3"}
    assert {r["error"] for r in failures.values()} == {"CacheMissError"}
    assert (report.ok, report.failed, report.requests, report.cached_calls) == (2, 2, 0, 6)


def test_extract_many_works_inside_a_running_event_loop(scripted: ScriptedServer,
                                                        tmp_path: Path) -> None:
    """A Jupyter cell runs inside an event loop: the sync call must still work there."""
    scripted.set_script(ok)
    out = tmp_path / "out.jsonl"

    async def notebook_cell() -> Any:
        return extract_many(docs(3), make(scripted), out=out, concurrency=2)

    report = asyncio.run(notebook_cell())
    assert (report.ok, report.failed) == (3, 0)
    assert ids_once(out) == {"d0", "d1", "d2"}
    assert requested(scripted) == {"d0", "d1", "d2"}


# ------------------------------------------------------------------ worker processes


def test_workers_share_one_output_and_resume(scripted: ScriptedServer, tmp_path: Path) -> None:
    """Two worker processes extract; this process writes both files, so every document ends
    in exactly one of them, and a re-run asks again only for what is not in OUT."""
    broken = {"d3"}
    scripted.set_script(lambda b: status(400, "no") if requested_one(b) in broken else ok(b))
    out, errs = tmp_path / "out.jsonl", tmp_path / "err.jsonl"
    report = extract_many(docs(30), make(scripted), out=out, errors_path=errs, workers=2,
                          concurrency=8)
    assert ids_once(out) == {f"d{i}" for i in range(30)} - broken
    assert ids_once(errs) == broken
    assert (report.ok, report.failed) == (29, 1)
    assert report.requests == len(scripted.chat_requests) == 29 * 3 + 1
    for record in lines(out):
        assert Extraction.model_validate(record["extraction"]).document.source == record["id"]

    broken.clear()
    mark = len(scripted.chat_requests)
    again = extract_many(docs(36), make(scripted), out=out, errors_path=errs, workers=2)
    assert requested(scripted, since=mark) == {"d3", *(f"d{i}" for i in range(30, 36))}
    assert (again.ok, again.skipped, again.failed) == (7, 29, 0)
    assert ids_once(out) == {f"d{i}" for i in range(36)}
    assert ids_once(errs) == set()


def test_workers_stop_on_a_fatal_error(scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.set_script(lambda _: unauthorized())
    out = tmp_path / "out.jsonl"
    with pytest.raises(AuthenticationError) as info:
        extract_many(docs(40), make(scripted), out=out, workers=2, concurrency=4)
    assert info.value.status_code == 401
    assert len(scripted.chat_requests) <= 8  # stopped, did not try all 40
    assert finished_ids(out) == set()
    assert not (tmp_path / "out.errors.jsonl").exists()


def test_workers_get_an_endpoint_started_on_first_use_as_its_url(
        scripted: ScriptedServer, tmp_path: Path) -> None:
    """The local provider starts its server on first use, from a closure that cannot be
    pickled: workers get the endpoint connected, one server for all of them."""
    import dataclasses

    from extractor.llm import LLM

    scripted.set_script(ok)
    started: list[str] = []

    def start() -> str:
        started.append("server")
        return scripted.url

    ex = make(scripted)
    ex.endpoint = dataclasses.replace(ex.endpoint, base_url=None, connect_fn=lambda: start())
    ex.llm = LLM(ex.endpoint, FAST)
    report = extract_many(docs(6), ex, out=tmp_path / "out.jsonl", workers=2)
    assert (report.ok, report.failed) == (6, 0)
    assert started == ["server"]  # once, here, not in each worker


def test_an_extractor_that_cannot_travel_is_refused_before_any_work(
        scripted: ScriptedServer, tmp_path: Path) -> None:
    from extractor.errors import ConfigError

    scripted.set_script(ok)
    ex = make(scripted)
    ex.hook = lambda: None  # type: ignore[attr-defined]  # a lambda does not pickle
    with pytest.raises(ConfigError, match="cannot be pickled"):
        extract_many(docs(3), ex, out=tmp_path / "out.jsonl", workers=2)
    assert scripted.chat_requests == []
    assert finished_ids(tmp_path / "out.jsonl") == set()


def test_a_killed_worker_stops_the_batch_and_a_rerun_loses_nothing(
        scripted: ScriptedServer, tmp_path: Path) -> None:
    """SIGKILL one worker mid-batch: the batch stops with an error naming it, every line
    written is whole and once, and a re-run does the rest without asking again for any
    finished document."""
    import multiprocessing
    import os
    import signal
    import threading

    from extractor.errors import ExtractorError

    served = {"n": 0}
    lock = threading.Lock()

    def script(body: dict[str, Any]) -> Any:
        with lock:
            served["n"] += 1
            if served["n"] == 40:
                victim = multiprocessing.active_children()[0]
                os.kill(victim.pid, signal.SIGKILL)  # type: ignore[arg-type]
        return ok(body)

    scripted.set_script(script)
    out = tmp_path / "out.jsonl"
    with pytest.raises(ExtractorError, match="exited with code -9"):
        extract_many(docs(60), make(scripted), out=out, workers=2, concurrency=4)
    done = ids_once(out)  # every line parses, none twice
    assert len(done) < 60
    scripted.set_script(ok)
    mark = len(scripted.chat_requests)
    report = extract_many(docs(60), make(scripted), out=out, workers=2, concurrency=4)
    assert not requested(scripted, since=mark) & done
    assert report.skipped == len(done) and report.ok == 60 - len(done)
    assert ids_once(out) == {f"d{i}" for i in range(60)}
