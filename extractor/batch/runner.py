"""The batch orchestrator: every document ends as exactly one line, in OUT or in the errors
file, through faults, crashes and resumes.

- At most `concurrency` documents are in flight; the input is read lazily, deduplicated by
  id, and ids already in OUT (and in the errors file, with retry_errors=False) are skipped.
- A bad document (empty text, a permanent 4xx, an answer that never fits the schema) becomes
  one line in the errors file and the batch goes on; a fault that dooms every document
  (credentials, configuration) stops the batch at once instead of filling the errors file.
- Only this process writes the files, whoever extracts: the Extractor here (its own LLM,
  wrapped with rate limits and a meter as middleware, so cache_only and every other setting
  hold), or worker processes (extractor.batch.workers) that send finished lines back.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import errors
from .engine import Engine, InProcess
from .jsonl import Appender, compact_errors, default_errors_path, error_line, finished_ids
from .readers import BatchItem, ItemLike, to_item


@dataclass
class BatchReport:
    """Live counters of a batch; the progress callback gets this object."""

    total: int | None = None
    ok: int = 0
    failed: int = 0
    skipped: int = 0  # already in OUT (or in errors with retry_errors=False)
    duplicates: int = 0  # ids seen twice in the input this run
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_calls: int = 0
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def processed(self) -> int:
        return self.ok + self.failed

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def docs_per_s(self) -> float:
        return self.processed / self.elapsed if self.elapsed > 0 else 0.0

    def count(self, usage: dict[str, int]) -> None:
        for name, value in usage.items():
            setattr(self, name, getattr(self, name) + value)


async def aextract_many(
    items: Iterable[ItemLike],
    extractor: Any,
    *,
    out: str | Path,
    errors_path: str | Path | None = None,
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    retry_errors: bool = True,
    fsync: bool = True,
    total: int | None = None,
    on_progress: Callable[[BatchReport], None] | None = None,
    workers: int = 1,
) -> BatchReport:
    """Extract every item, at most `concurrency` documents in flight, into JSONL files.

    Each document ends as exactly one line: `{"id", "extraction"}` in `out`, or
    `{"id", "error", "message", "attempts", ...}` in `errors_path` (default
    OUT.errors.jsonl). Re-running skips ids already in `out`, and retries those in the
    errors file unless `retry_errors` is False. `rpm`/`tpm` pace model calls client-side
    (cache hits are free). `workers` > 1 extracts in that many processes (the concurrency and
    the limits are shared among them); this process still reads the input and writes the
    files. Raises the first fatal error (credentials, configuration) after stopping.
    """
    if concurrency < 1 or workers < 1:
        raise errors.ConfigError("concurrency and workers must be at least 1")
    out = Path(out)
    err_path = Path(errors_path) if errors_path else default_errors_path(out)
    report = BatchReport(total=total)
    ok_writer = Appender(out, fsync=fsync, lock=True)  # first: the lock guards the reads below
    err_writer: Appender | None = None
    engine: Engine | None = None
    seen: set[str] = set()
    fatal: list[BaseException] = []
    running: set[asyncio.Task[None]] = set()
    slots = asyncio.Semaphore(concurrency)
    done: set[str] = set()

    def progress() -> None:
        if on_progress is not None:
            on_progress(report)

    async def one(item: BatchItem) -> None:
        nonlocal err_writer
        assert engine is not None
        outcome = await engine.run(item)
        report.count(engine.usage())
        if outcome.fatal is not None:
            fatal.append(outcome.fatal)
            return
        if outcome.line is not None:
            ok_writer.write(outcome.line)
            done.add(item.id)
            report.ok += 1
        else:
            if err_writer is None:
                err_writer = Appender(err_path, fsync=fsync)
            err_writer.write(outcome.error or error_line(item.id, errors.ExtractorError("?")))
            report.failed += 1
        progress()

    def finished(task: asyncio.Task[None]) -> None:
        running.discard(task)
        slots.release()
        if not task.cancelled() and (exc := task.exception()) is not None:
            fatal.append(exc)  # e.g. OUT's disk is full: stop, lose nothing

    try:
        done |= finished_ids(out)
        skip = done | (set() if retry_errors else finished_ids(err_path))
        if workers > 1:
            from .workers import WorkerPool

            engine = await WorkerPool.start(extractor, workers, concurrency, rpm, tpm)
        else:
            engine = InProcess(extractor, rpm, tpm)
        for position, record in enumerate(items, 1):
            item = to_item(record, position)
            if item.id in seen:
                report.duplicates += 1
                continue
            seen.add(item.id)
            if item.id in skip:
                report.skipped += 1
                progress()
                continue
            await slots.acquire()
            if fatal:
                slots.release()
                break
            task = asyncio.create_task(one(item))
            running.add(task)
            task.add_done_callback(finished)
        while running and not fatal:
            await asyncio.wait(set(running), return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in list(running):
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)
        report.finished = time.monotonic()
        if engine is not None:
            await engine.aclose()
        await ok_writer.aclose()
        if err_writer is not None:
            await err_writer.aclose()
        compact_errors(err_path, done)
    if fatal:
        raise fatal[0]
    return report


def extract_many(
    items: Iterable[ItemLike],
    extractor: Any,
    *,
    out: str | Path,
    errors_path: str | Path | None = None,
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    retry_errors: bool = True,
    fsync: bool = True,
    total: int | None = None,
    on_progress: Callable[[BatchReport], None] | None = None,
    workers: int = 1,
) -> BatchReport:
    """Sync twin of `aextract_many`, same options.

    Outside an event loop it runs its own. Inside one (a Jupyter cell, an async framework)
    a loop cannot be nested, so the batch runs on a fresh loop in a helper thread while this
    call waits; `await aextract_many(...)` is the way that does not block the caller's loop.
    """
    batch = aextract_many(
        items, extractor, out=out, errors_path=errors_path, concurrency=concurrency, rpm=rpm,
        tpm=tpm, retry_errors=retry_errors, fsync=fsync, total=total, on_progress=on_progress,
        workers=workers)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(batch)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="extract_many") as pool:
        return pool.submit(asyncio.run, batch).result()
