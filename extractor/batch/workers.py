"""Extraction in worker processes, `extract_many(..., workers=N)`: past one event loop's CPU.

Why this shape: the parent keeps everything that makes a batch safe (reading the input,
skipping finished ids, writing both files), so there is one writer and the exactly-once and
resume logic is the single-process one. Workers only extract. Each is a spawned process
with the caller's Extractor (pickled: its settings, cache_only included; its HTTP clients
are made afresh there), its own event loop, `concurrency / N` documents in flight and
`1/N` of rpm/tpm. Workers pull documents from one queue, so a slow one takes fewer, and
send back finished lines for the parent to append. A worker that dies stops the batch as a
fatal error: what it had in flight was never written, so a re-run does it.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import multiprocessing
import os
import pickle
import queue
import threading
from typing import Any

from .. import errors
from ..llm import portable as portable_endpoint
from .engine import InProcess, Outcome
from .readers import BatchItem

Portable = tuple[str, str, dict[str, Any]] | None


def portable(exc: BaseException | None) -> Portable:
    """A fatal error as plain data (the typed errors take keyword arguments pickle lacks)."""
    if exc is None:
        return None
    attrs = {k: v for k, v in vars(exc).items() if isinstance(v, str | int | float | None)}
    return type(exc).__name__, str(exc), attrs


def rebuild(data: Portable) -> BaseException | None:
    if data is None:
        return None
    name, message, attrs = data
    cls = getattr(errors, name, None)
    if not (isinstance(cls, type) and issubclass(cls, Exception)):
        cls = errors.ExtractorError
    exc = cls.__new__(cls)
    Exception.__init__(exc, message)
    exc.__dict__.update(attrs)
    return exc


def _worker(payload: bytes, concurrency: int, rpm: float | None, tpm: float | None,
            inbox: Any, outbox: Any) -> None:
    try:
        extractor = pickle.loads(payload)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which stops
        outbox.put(("failed", f"a worker could not load the Extractor: {type(exc).__name__}: "
                              f"{exc}"))
        return
    asyncio.run(_serve(InProcess(extractor, rpm, tpm), concurrency, inbox, outbox))


def _next(inbox: Any, parent: int) -> Any:
    """The next document, or None to stop: the parent's sentinel, or the parent gone (a
    SIGKILLed batch must not leave its workers waiting for ever)."""
    while True:
        try:
            return inbox.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:
                return None


async def _serve(engine: InProcess, concurrency: int, inbox: Any, outbox: Any) -> None:
    loop = asyncio.get_running_loop()
    parent = os.getppid()
    slots = asyncio.Semaphore(concurrency)
    tasks: set[asyncio.Task[None]] = set()

    async def handle(seq: int, item: BatchItem) -> None:
        try:
            outcome = await engine.run(item)
            outbox.put(("done", seq, outcome.line, outcome.error, portable(outcome.fatal),
                        engine.usage()))
        finally:
            slots.release()

    while True:
        await slots.acquire()  # pull a document only when there is room for it
        message = await loop.run_in_executor(None, _next, inbox, parent)
        if message is None:
            break
        seq, item_id, text, problem = message
        task = asyncio.create_task(handle(seq, BatchItem(item_id, text, problem)))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.gather(*tasks)


class WorkerPool:
    """The parent's side: documents out on one queue, outcomes back on another."""

    def __init__(self, procs: list[Any], inbox: Any, outbox: Any) -> None:
        self.procs = procs
        self.inbox, self.outbox = inbox, outbox
        self.loop = asyncio.get_running_loop()
        self.pending: dict[int, asyncio.Future[Outcome]] = {}
        self.used: dict[str, int] = {}
        self.broken: BaseException | None = None
        self.stopping = False
        self._seq = itertools.count()
        self._reader = threading.Thread(target=self._read, name="batch-workers", daemon=True)
        self._reader.start()
        self._watcher = self.loop.create_task(self._watch())

    @classmethod
    async def start(cls, extractor: Any, workers: int, concurrency: int, rpm: float | None,
                    tpm: float | None) -> WorkerPool:
        clone = copy.copy(extractor)
        if getattr(extractor, "endpoint", None) is extractor.llm.endpoint:
            clone.endpoint = portable_endpoint(extractor.endpoint)  # the same endpoint, connected
        try:
            payload = pickle.dumps(clone)
        except Exception as exc:
            raise errors.ConfigError(
                f"workers > 1 sends the Extractor to worker processes, and this one cannot be "
                f"pickled: {type(exc).__name__}: {exc}") from exc
        ctx = multiprocessing.get_context("spawn")  # never fork a process that runs threads
        inbox, outbox = ctx.Queue(), ctx.Queue()
        per = -(-concurrency // workers)
        args = (payload, per, rpm / workers if rpm else None, tpm / workers if tpm else None,
                inbox, outbox)
        procs = [ctx.Process(target=_worker, args=args, name=f"extractor-worker-{i + 1}",
                             daemon=True) for i in range(workers)]
        for proc in procs:
            proc.start()
        return cls(procs, inbox, outbox)

    def _read(self) -> None:
        """Outcomes from the workers onto the loop."""
        while not self.stopping:
            try:
                message = self.outbox.get(timeout=0.2)
            except queue.Empty:
                continue
            except (EOFError, OSError):
                return
            self.loop.call_soon_threadsafe(self._deliver, message)

    async def _watch(self) -> None:
        """A dead worker breaks the pool. Watched from the loop, not the reader: a worker
        killed halfway through sending leaves the reader waiting for the rest."""
        while not self.stopping:
            await asyncio.sleep(0.2)
            dead = next((p for p in self.procs if p.exitcode is not None), None)
            if dead is not None and not self.stopping:
                self._break(errors.ExtractorError(
                    f"worker process {dead.name} exited with code {dead.exitcode}; "
                    "re-run the batch to do the documents it had in flight"))
                return

    def _deliver(self, message: tuple[Any, ...]) -> None:
        if message[0] == "failed":
            self._break(errors.ConfigError(message[1]))
            return
        _, seq, line, error, fatal, used = message
        for name, value in used.items():
            self.used[name] = self.used.get(name, 0) + value
        future = self.pending.pop(seq, None)
        if future is not None and not future.done():
            future.set_result(Outcome(line=line, error=error, fatal=rebuild(fatal)))

    def _break(self, exc: BaseException) -> None:
        self.broken = self.broken or exc
        for future in self.pending.values():
            if not future.done():
                future.set_result(Outcome(fatal=self.broken))
        self.pending.clear()

    async def run(self, item: BatchItem) -> Outcome:
        if self.broken is not None:
            return Outcome(fatal=self.broken)
        seq = next(self._seq)
        future: asyncio.Future[Outcome] = self.loop.create_future()
        self.pending[seq] = future
        self.inbox.put((seq, item.id, item.text, item.problem))
        return await future

    def usage(self) -> dict[str, int]:
        used, self.used = self.used, {}
        return used

    async def aclose(self) -> None:
        """Let idle workers exit on their own (their clients close); stop the rest."""
        self.stopping = True
        self._watcher.cancel()
        hurry = self.broken is not None or bool(self.pending)  # a stopped batch: no waiting
        for _ in self.procs:
            self.inbox.put(None)
        for proc in self.procs:
            await asyncio.to_thread(proc.join, 0.0 if hurry else 10.0)
            if proc.exitcode is None:
                proc.terminate()
                await asyncio.to_thread(proc.join, 5.0)
        await asyncio.to_thread(self._reader.join, 1.0)
        for q in (self.inbox, self.outbox):
            q.cancel_join_thread()
            q.close()
