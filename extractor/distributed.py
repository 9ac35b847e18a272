"""Extraction over a Ray Data dataset: one Extractor per worker, documents concurrent within it.

Why a class-based UDF: each actor builds its Extractor (HTTP client, prompt, cache handle)
once and reuses it for every batch, and keeps one event loop so its async client stays
bound to that loop. Rate limits are LLM middleware (extractor.batch.RateLimit) on the
actor's own Extractor, so its settings (cache_only included) hold. Rows {id, text} become
{id, extraction_json, error}: a bad document is an error row, never a failed job. `ray` is
imported only inside `extract_dataset`, so `import extractor` (and this module) never
imports it.

Install with `pip install 'extractor[ray]'`.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from . import errors
from .batch import RateLimit
from .llm import RetryPolicy

if TYPE_CHECKING:
    import ray.data


class ExtractorUDF:
    """Ray Data callable class: a batch of {id, text} -> {id, extraction_json, error}.

    rpm/tpm are this worker's share of a client-side limit (extract_dataset divides them).
    """

    def __init__(
        self,
        model: str | None = None,
        prompt: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        cache: bool | str = False,
        policy: RetryPolicy | None = None,
        doc_concurrency: int = 8,
        rpm: float | None = None,
        tpm: float | None = None,
    ) -> None:
        from .pipeline import Extractor

        self.loop = asyncio.new_event_loop()
        self.slots = max(1, doc_concurrency)
        self.extractor = Extractor(model, prompt, base_url=base_url, api_key=api_key,
                                   cache=cache, policy=policy)
        if rpm or tpm:
            self.extractor.llm = self.extractor.llm.with_middleware(RateLimit(rpm, tpm))

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        ids = [str(i) for i in batch["id"]]
        texts = [t if isinstance(t, str | bytes) else None for t in batch["text"]]
        results = self.loop.run_until_complete(self._run(ids, texts))
        return {
            "id": ids,
            "extraction_json": [r[0] for r in results],
            "error": [r[1] for r in results],
        }

    async def _run(self, ids: list[str], texts: list[str | bytes | None]
                   ) -> list[tuple[str | None, str | None]]:
        gate = asyncio.Semaphore(self.slots)

        async def one(doc_id: str, text: str | bytes | None) -> tuple[str | None, str | None]:
            async with gate:
                try:
                    if text is None:
                        raise errors.InputError("row has no 'text' string")
                    result = await self.extractor.aextract(text, source=doc_id)
                except Exception as exc:  # a bad document is an error row, not a failed job
                    return None, f"{type(exc).__name__}: {exc}"
                return result.model_dump_json(), None

        return list(await asyncio.gather(*(one(i, t) for i, t in zip(ids, texts, strict=True))))

    def __del__(self) -> None:
        loop = getattr(self, "loop", None)
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(Exception):
                loop.run_until_complete(self.extractor.llm.aclose())
            loop.close()


def extract_dataset(
    ds: ray.data.Dataset,
    *,
    model: str | None = None,
    prompt: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    concurrency: int = 2,
    doc_concurrency: int = 8,
    batch_size: int = 16,
    num_cpus: float = 0.5,
    cache: bool | str = False,
    policy: RetryPolicy | None = None,
    rpm: float | None = None,
    tpm: float | None = None,
) -> ray.data.Dataset:
    """Map rows {id, text} to {id, extraction_json, error} on `concurrency` Ray actors.

    Each actor keeps up to `doc_concurrency` documents in flight (the work is waiting on the
    model server, hence the fractional `num_cpus`). rpm/tpm are totals, split evenly across
    actors. An API key given here travels in Ray's task specs; prefer EXTRACTOR_API_KEY or
    OPENAI_API_KEY in the workers' environment. Lazy, like every Ray Data transform.
    """
    import ray.data

    share = max(1, concurrency)
    return ds.map_batches(
        ExtractorUDF,
        fn_constructor_kwargs={
            "model": model, "prompt": prompt, "base_url": base_url, "api_key": api_key,
            "cache": cache, "policy": policy, "doc_concurrency": doc_concurrency,
            "rpm": rpm / share if rpm else None, "tpm": tpm / share if tpm else None,
        },
        batch_size=batch_size,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=share),
        num_cpus=num_cpus,
    )
