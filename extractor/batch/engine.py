"""What extracts one document of a batch, in this process or in a worker process.

An engine turns a BatchItem into an Outcome (a finished OUT line, an errors line, or the
fatal error that stops the batch) and reports the usage it metered since it was last asked.
Lines are made where the extraction ran, so a worker process sends back bytes to append.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Protocol

from .. import errors
from ..middleware import Meter, Middleware
from .jsonl import error_line, ok_line
from .ratelimit import RateLimit
from .readers import BatchItem

# Errors that would fail every remaining document the same way: stop instead of recording.
FATAL: tuple[type[Exception], ...] = (
    errors.AuthenticationError,
    errors.ConfigError,
    errors.ModelUnavailableError,
)


@dataclass
class Outcome:
    """A finished document: its OUT line, its errors line, or the fatal error that stops all."""

    line: bytes | None = None
    error: bytes | None = None
    fatal: BaseException | None = None


async def extract_one(extractor: Any, item: BatchItem) -> Outcome:
    try:
        if item.problem is not None:
            raise errors.InputError(item.problem)
        result = await extractor.aextract(item.text, source=item.id)
    except FATAL as exc:
        return Outcome(fatal=exc)
    except Exception as exc:  # one bad document must not end the batch
        return Outcome(error=error_line(item.id, exc))
    return Outcome(line=ok_line(item.id, result.model_dump_json()))


class Engine(Protocol):
    async def run(self, item: BatchItem) -> Outcome: ...
    def usage(self) -> dict[str, int]: ...
    async def aclose(self) -> None: ...


def limits(rpm: float | None, tpm: float | None) -> list[Middleware]:
    return [RateLimit(rpm, tpm)] if rpm or tpm else []


class InProcess:
    """The caller's Extractor, its LLM wrapped (never replaced) with limits and a meter."""

    def __init__(self, extractor: Any, rpm: float | None, tpm: float | None) -> None:
        self.meter = Meter()
        self.extractor = copy.copy(extractor)  # the caller's own object is left alone
        self.extractor.llm = extractor.llm.with_middleware(*limits(rpm, tpm), self.meter)

    async def run(self, item: BatchItem) -> Outcome:
        return await extract_one(self.extractor, item)

    def usage(self) -> dict[str, int]:
        return self.meter.take()

    async def aclose(self) -> None:
        return None  # the LLM's async client closes with this loop


