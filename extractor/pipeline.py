"""Extractor: the passes over a Document -> a grounded Extraction with provenance.

The passes are written once, as a generator that yields call requests; a sync and an async
driver feed it answers, so `extract` and `aextract` cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

from . import __version__
from .cache import ResponseCache
from .candidates import (
    CHECK_PASSES,
    VERIFY_PASS,
    confirmed,
    threat_candidates,
    threat_from_check,
)
from .documents import Document, parse
from .llm import LLM, CallRequest, CallResult, RetryPolicy
from .prompts import Prompt, get_prompt
from .providers import resolve
from .resolver import Raw, Resolver, norm_name
from .schema import (
    RESPONSE_MODELS,
    SCHEMA_VERSION,
    ActorItem,
    DocumentMeta,
    Extraction,
    Notice,
    Provenance,
    Usage,
)

Plan = Generator[CallRequest, CallResult, Extraction]


def _actor_line(a: ActorItem) -> str:
    return f"{a.name} ({', '.join(a.aliases)})" if a.aliases else a.name


class Extractor:
    """A configured model and prompt; reuse one for many articles.

    model: a model string (see extractor.providers), default EXTRACTOR_MODEL or 'local'.
    prompt: 'id@version', default EXTRACTOR_PROMPT or extract@1.
    cache: True for the default on-disk response cache, a path, or a ResponseCache.
    rules: post-validation rules (extractor.rules), default the prompt version's own.
    cache_only: answer from the response cache or raise CacheMissError; never call a model.
    """

    def __init__(
        self,
        model: str | None = None,
        prompt: str | Prompt | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        cache: bool | str | Path | ResponseCache = False,
        policy: RetryPolicy | None = None,
        keep_unaligned: bool = False,
        chunk_chars: int = 6000,
        chunk_overlap: int = 1,
        fuzzy_threshold: float = 88.0,
        rules: tuple[str, ...] | None = None,
        cache_only: bool = False,
    ) -> None:
        self.prompt = prompt if isinstance(prompt, Prompt) else get_prompt(prompt)
        self.endpoint = resolve(model, base_url=base_url, api_key=api_key)
        if cache is True:
            cache = ResponseCache()
        elif isinstance(cache, str | Path):
            cache = ResponseCache(cache)
        # not `cache or None`: an empty ResponseCache has len 0, so it is falsy
        self.llm = LLM(self.endpoint, policy,
                       cache if isinstance(cache, ResponseCache) else None, cache_only=cache_only)
        self.keep_unaligned = keep_unaligned
        self.chunk_chars = chunk_chars
        self.chunk_overlap = chunk_overlap
        self.fuzzy_threshold = fuzzy_threshold
        self.rules = self.prompt.rules if rules is None else tuple(rules)

    def __repr__(self) -> str:
        return f"Extractor(model={self.endpoint.label!r}, prompt={self.prompt.ref!r})"

    @property
    def model(self) -> str:
        return self.endpoint.label

    # -- public twins

    def extract(self, text: str | bytes, *, source: str | None = None,
                meta: DocumentMeta | None = None) -> Extraction:
        plan = self._plan(parse(text, source=source, meta=meta))
        try:
            req = next(plan)
            while True:
                req = plan.send(self.llm.call(req))
        except StopIteration as done:
            return done.value

    async def aextract(self, text: str | bytes, *, source: str | None = None,
                       meta: DocumentMeta | None = None) -> Extraction:
        plan = self._plan(parse(text, source=source, meta=meta))
        try:
            req = next(plan)
            while True:
                req = plan.send(await self.llm.acall(req))
        except StopIteration as done:
            return done.value

    # -- the passes

    def _request(self, pass_name: str, **context: Any) -> CallRequest:
        return CallRequest(
            pass_name=pass_name,
            messages=self.prompt.render(pass_name, **context),
            response_model=RESPONSE_MODELS[pass_name],
            params=self.prompt.params_for(pass_name),
            key_parts={"prompt": self.prompt.ref, "prompt_sha256": self.prompt.sha256},
        )

    def _context_actors(self, items: list[ActorItem], text: str, doc: Document) -> list[ActorItem]:
        """Actors to name in the later passes; with `actor_context: grounded` only those the
        chunk names (never the publisher), so the model is not invited to cite others."""
        if self.prompt.parameters.get("actor_context") != "grounded":
            return items
        body = norm_name(text)
        publisher = norm_name(doc.meta.publisher or "")
        keep = []
        for a in items:
            forms = [norm_name(f) for f in (a.name, *a.aliases)]
            if publisher and publisher in forms:
                continue
            if any(f and re.search(rf"(?<!\w){re.escape(f)}(?!\w)", body) for f in forms):
                keep.append(a)
        return keep

    def _plan(self, doc: Document) -> Plan:
        started = time.perf_counter()
        chunks = doc.chunks(self.chunk_chars, self.chunk_overlap)
        raw = Raw()
        usage = Usage()
        notes: list[Notice] = [
            Notice(code="injection_suspected", message=(
                f"line at {s}-{e} reads as instructions to a model, not to a reader; it was "
                f"kept from the model and from evidence: {doc.text[s:e][:100]!r}"))
            for s, e in doc.injections]
        checked: set[tuple[int, int]] = set()
        for chunk in chunks:
            known: list[ActorItem] = []
            for pass_name in self.prompt.passes:
                if pass_name == VERIFY_PASS:
                    continue  # asked inside the check pass, for the sentences it kept
                if pass_name in CHECK_PASSES:
                    for cand in threat_candidates(doc, chunk, checked):
                        sent = {"sentence": cand.sentence, "context": cand.context,
                                "actors": [_actor_line(a) for a in known]}
                        result = yield self._request(pass_name, **sent)
                        usage = usage.add(result.usage)
                        item = threat_from_check(result.value, cand)  # type: ignore[arg-type]
                        if item and VERIFY_PASS in self.prompt.passes:
                            second = yield self._request(VERIFY_PASS, **sent)
                            usage = usage.add(second.usage)
                            item = item if confirmed(second.value) else None  # type: ignore[arg-type]
                        raw.threats += [item] if item else []
                    continue
                context: dict[str, Any] = {"article": chunk.text}
                if pass_name in ("threats", "claims"):
                    context["actors"] = [_actor_line(a) for a in known]
                result = yield self._request(pass_name, **context)
                usage = usage.add(result.usage)
                if result.truncated:
                    notes.append(Notice(code="truncated", message=(
                        f"pass '{pass_name}' (chunk {chunk.index + 1}/{len(chunks)}) hit "
                        "max_tokens; kept its complete items only")))
                value = result.value
                known += self._context_actors(getattr(value, "actors", []), chunk.text, doc)
                raw.actors += getattr(value, "actors", [])
                raw.threats += getattr(value, "threats", [])
                raw.claims += getattr(value, "claims", [])
        resolved = Resolver(doc, keep_unaligned=self.keep_unaligned,
                            fuzzy_threshold=self.fuzzy_threshold,
                            rules=self.rules).resolve(raw)
        provenance = Provenance(
            prompt_id=self.prompt.id,
            prompt_version=self.prompt.version,
            prompt_hash=self.prompt.sha256,
            schema_version=SCHEMA_VERSION,
            model=self.endpoint.label,
            provider=self.endpoint.provider,
            extractor_version=__version__,
            parameters={**{k: v for k, v in self.prompt.parameters.items()
                           if isinstance(v, str | int | float)}, "rules": ",".join(self.rules)},
            usage=usage,
            chunks=len(chunks),
            duration_s=round(time.perf_counter() - started, 3),
            created_at=dt.datetime.now(dt.UTC),
        )
        return Extraction(
            document=doc.meta,
            actors=resolved.actors,
            threats=resolved.threats,
            claims=resolved.claims,
            provenance=provenance,
            warnings=notes + resolved.warnings,
        )


_default: dict[tuple[Any, ...], Extractor] = {}


def _shared(model: str | None, prompt: str | None, kwargs: dict[str, Any]) -> Extractor:
    key = (model, prompt, tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
    if key not in _default:
        _default[key] = Extractor(model, prompt, **kwargs)
    return _default[key]


def extract(text: str | bytes, *, model: str | None = None, prompt: str | None = None,
            **kwargs: Any) -> Extraction:
    """Extract from one article with a shared Extractor for (model, prompt)."""
    source = kwargs.pop("source", None)
    return _shared(model, prompt, kwargs).extract(text, source=source)


async def aextract(text: str | bytes, *, model: str | None = None, prompt: str | None = None,
                   **kwargs: Any) -> Extraction:
    source = kwargs.pop("source", None)
    return await _shared(model, prompt, kwargs).aextract(text, source=source)
