"""Crash-safe JSONL output of a batch, and what a resume reads back from it.

- One line per finished document, written whole by one `os.write` on an `O_APPEND`
  descriptor, so a killed run leaves complete lines and at most one torn last line;
  `repair_tail` cuts that line on the next open, and its document is simply done again.
- fsync runs in a worker thread as a group commit, so durability never stalls the loop.
- An exclusive lock on OUT refuses a second batch writing the same file.
- The errors file is append-only while a batch runs; `compact_errors` keeps one line per
  still-failed id at the end of a run, replacing the file atomically.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import errors

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]


GROUP_S = 0.05  # how long a finished line may wait for its fsync, at most, past the last one


def default_errors_path(out: str | Path) -> Path:
    """OUT.jsonl -> OUT.errors.jsonl, beside it."""
    out = Path(out)
    return out.with_name(f"{out.name.removesuffix('.jsonl')}.errors.jsonl")


def ok_line(item_id: str, extraction_json: str) -> bytes:
    return (f'{{"id":{json.dumps(item_id, ensure_ascii=False)},"extraction":'
            f'{extraction_json}}}\n').encode()


def error_line(item_id: str, exc: BaseException) -> bytes:
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
    """The JSON objects of a JSONL file; a line a crash damaged is skipped."""
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


class Appender:
    """A JSONL file opened O_APPEND: whole lines, each in one os.write; group fsync.

    Made inside a running loop (the fsync task lives on it).
    """

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
        # Group commit: lines written during one fsync, or within GROUP_S of the first of
        # them, are made durable by the next one (one thread hop per group, not per line).
        while not self._closing:
            await self._dirty.wait()
            await asyncio.sleep(GROUP_S)
            self._dirty.clear()
            await asyncio.to_thread(os.fsync, self.fd)

    async def aclose(self) -> None:
        if self._flusher is not None:
            self._closing = True  # let an fsync in flight finish before the fd closes
            self._dirty.set()
            await self._flusher
            os.fsync(self.fd)
        os.close(self.fd)


def compact_errors(path: Path, done: set[str]) -> None:
    """Keep one line per failed id (the latest) and none for ids now in OUT; atomic replace."""
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
