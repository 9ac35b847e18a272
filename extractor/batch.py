"""Concurrent, rate-limited, resumable extraction over many documents.

Why it is shaped this way:
- One JSONL line per finished document, written whole by one `os.write` on an `O_APPEND`
  descriptor, so a killed run leaves complete lines and at most one torn last line; resume
  repairs that tail and skips every id already in OUT. fsync runs in a worker thread as a
  group commit, so durability never stalls the event loop.
- A bad document (empty text, a permanent 4xx, an answer that never fits the schema) becomes
  one line in the errors file and the batch goes on; a fault that dooms every document
  (credentials, configuration) stops the batch at once instead of filling the errors file.
- Rate limits are paced per model call (not per document), with aiolimiter leaky buckets that
  refill smoothly, so a provider's per-minute limit is never hit in one burst; calls the
  response cache answers are not charged.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from aiolimiter import AsyncLimiter

from . import errors
from .llm import LLM, CallRequest, CallResult
from .pipeline import Extractor

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

# Errors that would fail every remaining document the same way: stop instead of recording.
FATAL: tuple[type[Exception], ...] = (
    errors.AuthenticationError,
    errors.ConfigError,
    errors.ModelUnavailableError,
)


# ------------------------------------------------------------------------------ input


@dataclass(frozen=True)
class BatchItem:
    """One document to extract. `problem` says why the input record itself is unusable."""

    id: str
    text: str | bytes | None
    problem: str | None = None


ItemLike = BatchItem | tuple[Any, Any] | Mapping[str, Any]


def to_item(record: ItemLike, position: int) -> BatchItem:
    """Normalise an (id, text) pair or a {"id", "text"} mapping; ids become strings."""
    if isinstance(record, BatchItem):
        return record
    if isinstance(record, Mapping):
        rid, text = record.get("id"), record.get("text")
    elif isinstance(record, tuple | list) and len(record) == 2:
        rid, text = record
    else:
        return BatchItem(f"#{position}", None,
                         f"record {position} is not an (id, text) pair or a mapping")
    if rid is None or rid == "":
        return BatchItem(f"#{position}", None, f"record {position} has no 'id'")
    if not isinstance(text, str | bytes):
        return BatchItem(str(rid), None, f"record {position} has no 'text' string")
    return BatchItem(str(rid), text)


def _jsonl_items(stream: IO[bytes], name: str) -> Iterator[BatchItem]:
    for n, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except ValueError as e:
            yield BatchItem(f"{name}:{n}", None, f"{name} line {n} is not valid JSON: {e}")
            continue
        if not isinstance(record, dict):
            yield BatchItem(f"{name}:{n}", None, f"{name} line {n} is not a JSON object")
            continue
        yield to_item(record, n)


def read_items(source: str | Path) -> Iterator[BatchItem]:
    """Documents from a JSONL file ({"id", "text"} per line), a folder of .txt files (id =
    file stem, sorted), or '-' for JSONL on stdin. Read lazily: a huge input is never
    held in memory."""
    if str(source) == "-":
        return _jsonl_items(sys.stdin.buffer, "<stdin>")
    path = Path(source)
    if path.is_dir():
        return (BatchItem(f.stem, f.read_bytes()) for f in sorted(path.glob("*.txt")))
    if path.is_file():
        return _file_items(path)
    raise errors.InputError(f"no such file or folder: {source}")


def _file_items(path: Path) -> Iterator[BatchItem]:
    with path.open("rb") as fh:
        yield from _jsonl_items(fh, path.name)


def count_items(source: str | Path) -> int | None:
    """How many documents `read_items(source)` yields (None for stdin): the progress total."""
    if str(source) == "-":
        return None
    path = Path(source)
    if path.is_dir():
        return sum(1 for _ in path.glob("*.txt"))
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


# ----------------------------------------------------------------------------- output


def repair_tail(path: Path) -> None:
    """Cut a torn last line (a write interrupted by a crash) so appends start on a new line.

    A last line that parses but lacks its newline (an edited file) gets the newline instead.
    """
    if not path.exists():
        return
    with path.open("rb+") as fh:
        size = fh.seek(0, os.SEEK_END)
        if size == 0:
            return
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return
        pos, block = size, 65536
        while pos > 0:  # find the last newline, reading backwards
            start = max(0, pos - block)
            fh.seek(start)
            chunk = fh.read(pos - start)
            nl = chunk.rfind(b"\n")
            if nl >= 0:
                pos = start + nl + 1
                break
            pos = start
        fh.seek(pos)
        try:
            whole = isinstance(json.loads(fh.read()), dict)
        except ValueError:
            whole = False
        if whole:
            fh.seek(0, os.SEEK_END)
            fh.write(b"\n")
        else:
            fh.truncate(pos)


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSONL file; a line a crash damaged is skipped (its document is
    simply done again)."""
    if not path.exists():
        return
    with path.open("rb") as fh:
        for raw in fh:
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            if isinstance(record, dict) and "id" in record:
                yield record


def finished_ids(path: str | Path) -> set[str]:
    """Ids that have a complete line in a batch's OUT (or errors) file."""
    return {str(r["id"]) for r in _records(Path(path))}


class _Appender:
    """A JSONL file opened O_APPEND: whole lines, each in one os.write; group fsync."""

    def __init__(self, path: Path, *, fsync: bool, lock: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        if lock and fcntl is not None:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(self.fd)
                raise errors.ConfigError(
                    f"another batch is writing {path}; wait for it or choose another --out"
                ) from None
        repair_tail(path)  # after the lock: never cut a line another run is writing
        self.lines = 0
        self._dirty = asyncio.Event()
        self._closing = False
        self._flusher = asyncio.create_task(self._flush()) if fsync else None

    def write(self, record: bytes) -> None:
        view = memoryview(record)
        while view:  # a regular file takes it in one write; loop only on a short write
            view = view[os.write(self.fd, view):]
        self.lines += 1
        self._dirty.set()

    async def _flush(self) -> None:
        # Group commit: lines written during one fsync are made durable by the next one.
        while not self._closing:
            await self._dirty.wait()
            self._dirty.clear()
            await asyncio.to_thread(os.fsync, self.fd)

    async def aclose(self) -> None:
        if self._flusher is not None:
            self._closing = True  # let an fsync in flight finish before the fd closes
            self._dirty.set()
            await self._flusher
            os.fsync(self.fd)
        os.close(self.fd)


def _compact_errors(path: Path, done: set[str]) -> None:
    """Keep one line per failed id (the latest) and none for ids now in OUT; atomic replace.

    The errors file is append-only while a batch runs (crash-safe); a retried document's old
    line goes here, at the end of a run.
    """
    if not path.exists():
        return
    raw = path.read_bytes().splitlines()
    latest: dict[str, bytes] = {}
    for line in raw:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "id" in record:
            latest.pop(str(record["id"]), None)  # re-insert: order follows the latest failure
            latest[str(record["id"])] = line
    kept = [line for rid, line in latest.items() if rid not in done]
    if kept == raw:
        return
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(b"".join(line + b"\n" for line in kept))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


# ------------------------------------------------------------------------ rate limits


def _bucket(per_minute: float, burst_seconds: float) -> AsyncLimiter:
    """A leaky bucket holding about `burst_seconds` of the rate: it refills smoothly, so a
    per-minute limit is never spent in one burst at the start of a minute."""
    per_second = per_minute / 60.0
    capacity = max(1.0, per_second * burst_seconds)
    return AsyncLimiter(capacity, capacity / per_second)


async def _take(bucket: AsyncLimiter | None, amount: float) -> None:
    while bucket is not None and amount > 0:  # a charge above capacity goes in slices
        part = min(amount, bucket.max_rate)
        await bucket.acquire(part)
        amount -= part


def estimate_tokens(req: CallRequest) -> int:
    """What a provider charges a request against TPM up front: prompt (about 4 characters a
    token) plus max_tokens."""
    chars = sum(len(str(m.get("content", ""))) for m in req.messages)
    return chars // 4 + 8 * len(req.messages) + int(req.params.get("max_tokens") or 0)


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


class Pacer:
    """Client-side RPM and TPM limits and usage counts, charged per model call.

    Transport retries and re-asks happen inside one LLM call; they are charged after it
    returns, so the long-run rate stays within the limits.
    """

    def __init__(self, rpm: float | None = None, tpm: float | None = None,
                 report: BatchReport | None = None) -> None:
        self.rpm = _bucket(rpm, 1.0) if rpm else None
        self.tpm = _bucket(tpm, 10.0) if tpm else None
        self.report = report or BatchReport()

    async def before(self, req: CallRequest) -> int:
        await _take(self.rpm, 1)
        charge = estimate_tokens(req) if self.tpm else 0
        await _take(self.tpm, charge)
        return charge

    async def after(self, requests: int, charge: int) -> None:
        extra = max(0, requests - 1)
        await _take(self.rpm, extra)
        await _take(self.tpm, extra * charge)

    def count(self, result: CallResult) -> None:
        r = self.report
        r.requests += result.usage.requests
        r.prompt_tokens += result.usage.prompt_tokens
        r.completion_tokens += result.usage.completion_tokens
        r.cached_calls += int(result.cached)


class PacedLLM(LLM):
    """The extractor's LLM with a Pacer in front of every call the cache does not answer."""

    def __init__(self, base: LLM, pacer: Pacer) -> None:
        super().__init__(base.endpoint, base.policy, base.cache)
        self.pacer = pacer

    async def acall(self, req: CallRequest) -> CallResult:
        _, hit = self._cached(req)
        if hit is not None:
            self.pacer.count(hit)
            return hit
        charge = await self.pacer.before(req)
        try:
            result = await super().acall(req)
        except errors.LLMError as e:
            self.pacer.report.requests += e.attempts
            await self.pacer.after(e.attempts, charge)
            raise
        self.pacer.count(result)
        await self.pacer.after(result.usage.requests, charge)
        return result

    async def aclose(self) -> None:
        """Close the async HTTP client; it belongs to the event loop that made it."""
        if self._async is not None:
            with contextlib.suppress(Exception):
                await self._async.client.close()
            self._async = None


def paced(extractor: Extractor, pacer: Pacer) -> Extractor:
    """A shallow copy of `extractor` whose model calls go through `pacer` and a fresh async
    client (one per event loop; the caller's own client is left alone)."""
    clone = copy.copy(extractor)
    clone.llm = PacedLLM(extractor.llm, pacer)
    return clone


# ------------------------------------------------------------------------------ batch


def _error_record(item_id: str, exc: BaseException) -> bytes:
    record: dict[str, Any] = {
        "id": item_id,
        "error": type(exc).__name__,
        "message": str(exc),
        "attempts": getattr(exc, "attempts", 0 if isinstance(exc, errors.InputError) else 1),
    }
    if getattr(exc, "pass_name", None):
        record["pass"] = exc.pass_name  # type: ignore[attr-defined]
    if getattr(exc, "status_code", None) is not None:
        record["status_code"] = exc.status_code  # type: ignore[attr-defined]
    return (json.dumps(record, ensure_ascii=False) + "\n").encode()


def default_errors_path(out: str | Path) -> Path:
    """OUT.jsonl -> OUT.errors.jsonl, beside it."""
    out = Path(out)
    return out.with_name(f"{out.name.removesuffix('.jsonl')}.errors.jsonl")


async def aextract_many(
    items: Iterable[ItemLike],
    extractor: Extractor,
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
) -> BatchReport:
    """Extract every item, at most `concurrency` documents in flight, into JSONL files.

    Each document ends as exactly one line: `{"id", "extraction"}` in `out`, or
    `{"id", "error", "message", "attempts", ...}` in `errors_path` (default
    OUT.errors.jsonl). Re-running skips ids already in `out`, and retries those in the
    errors file unless `retry_errors` is False. `rpm`/`tpm` pace model calls client-side.
    Raises the first fatal error (credentials, configuration) after stopping.
    """
    if concurrency < 1:
        raise errors.ConfigError("concurrency must be at least 1")
    out = Path(out)
    err_path = Path(errors_path) if errors_path else default_errors_path(out)
    report = BatchReport(total=total)
    ok_writer = _Appender(out, fsync=fsync, lock=True)  # first: the lock guards the reads below
    err_writer: _Appender | None = None
    try:
        done = finished_ids(out)
        skip = done | (set() if retry_errors else finished_ids(err_path))
    except BaseException:
        await ok_writer.aclose()
        raise
    runner = paced(extractor, Pacer(rpm, tpm, report))
    seen: set[str] = set()
    fatal: list[BaseException] = []
    running: set[asyncio.Task[None]] = set()
    slots = asyncio.Semaphore(concurrency)

    def progress() -> None:
        if on_progress is not None:
            on_progress(report)

    def fail(item_id: str, exc: BaseException) -> None:
        nonlocal err_writer
        if err_writer is None:
            err_writer = _Appender(err_path, fsync=fsync)
        err_writer.write(_error_record(item_id, exc))
        report.failed += 1

    async def one(item: BatchItem) -> None:
        try:
            if item.problem is not None:
                raise errors.InputError(item.problem)
            result = await runner.aextract(item.text, source=item.id)  # type: ignore[arg-type]
        except FATAL as exc:
            fatal.append(exc)
            return
        except Exception as exc:  # one bad document must not end the batch
            fail(item.id, exc)
        else:
            line = f'{{"id":{json.dumps(item.id, ensure_ascii=False)},"extraction":' \
                   f'{result.model_dump_json()}}}\n'
            ok_writer.write(line.encode())
            done.add(item.id)
            report.ok += 1
        progress()

    def finished(task: asyncio.Task[None]) -> None:
        running.discard(task)
        slots.release()
        if not task.cancelled() and (exc := task.exception()) is not None:
            fatal.append(exc)  # e.g. OUT's disk is full: stop, lose nothing

    try:
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
        await runner.llm.aclose()  # type: ignore[attr-defined]
        await ok_writer.aclose()
        if err_writer is not None:
            await err_writer.aclose()
        _compact_errors(err_path, done)
    if fatal:
        raise fatal[0]
    return report


def extract_many(
    items: Iterable[ItemLike],
    extractor: Extractor,
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
) -> BatchReport:
    """Sync twin of `aextract_many` (runs its own event loop; call it outside one)."""
    return asyncio.run(aextract_many(
        items, extractor, out=out, errors_path=errors_path, concurrency=concurrency, rpm=rpm,
        tpm=tpm, retry_errors=retry_errors, fsync=fsync, total=total, on_progress=on_progress))
