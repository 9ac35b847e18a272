"""Extractor: the passes over a Document -> a grounded Extraction with provenance.

The passes are written once, as a generator that yields call requests; a sync and an async
driver feed it answers, so `extract` and `aextract` cannot drift apart.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import time
from collections.abc import Generator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from . import __version__, grammar, passes, presets
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
from .plan import LinguisticPlan
from .prompts import LAYER_FLAGS, STATEMENT_FLAGS, Prompt, get_prompt
from .providers import resolve
from .resolve.assemble import assemble
from .resolver import Raw, Resolver, norm_name
from .rules import get_rules
from .rules.legacy import check_legacy_rules
from .schema import (
    SCHEMA_VERSION,
    ActorItem,
    DocumentMeta,
    Extraction,
    Notice,
    Provenance,
    Usage,
)

Plan = Generator[Any, Any, Extraction]


def _actor_line(a: ActorItem) -> str:
    return f"{a.name} ({', '.join(a.aliases)})" if a.aliases else a.name


class Extractor:
    """A configured model and prompt; reuse one for many articles.

    model: a model string (see extractor.providers), default EXTRACTOR_MODEL or 'local'.
    prompt: 'id@version', default EXTRACTOR_PROMPT or extract@1.
    cache: True for the default on-disk response cache, a path, or a ResponseCache.
    rules: post-validation rules (extractor.rules), default the prompt version's own.
    cache_only: answer from the response cache or raise CacheMissError; never call a model.
    concurrency: requests of one round sent at once (default 1 on the embedded model, 8
        elsewhere).
    preset: a named (model, prompt) pair (extractor.presets: default, fast, linguistic);
        a model or prompt given beside it wins.
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
        concurrency: int | None = None,
        preset: str | None = None,
    ) -> None:
        if preset is not None:
            named = presets.get_preset(preset)
            model, prompt = model or named.model, prompt or named.prompt
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
        if self.prompt.parameters.get("plan") == "linguistic":
            get_rules(self.rules)  # an unknown rule is a ConfigError now, not after the calls
        else:
            check_legacy_rules(self.rules)
        self.concurrency = concurrency if concurrency is not None else (
            1 if self.endpoint.provider == "local" else 8)

    def __repr__(self) -> str:
        return f"Extractor(model={self.endpoint.label!r}, prompt={self.prompt.ref!r})"

    @property
    def model(self) -> str:
        return self.endpoint.label

    def close(self) -> None:
        """Close the clients and, for an embedded model, stop its llama.cpp server (the next
        call starts it again)."""
        self.llm.close()
        if self.endpoint.provider == "local":
            from .models import LocalServer

            if LocalServer._current is not None:
                LocalServer._current.close()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public twins

    def extract(self, text: str | bytes, *, source: str | None = None,
                meta: DocumentMeta | None = None) -> Extraction:
        plan = self._plan(parse(text, source=source, meta=meta))
        try:
            req = next(plan)
            while True:
                req = plan.send(self._run_sync(req))
        except StopIteration as done:
            return done.value

    async def aextract(self, text: str | bytes, *, source: str | None = None,
                       meta: DocumentMeta | None = None) -> Extraction:
        plan = self._plan(parse(text, source=source, meta=meta))
        try:
            req = next(plan)
            while True:
                req = plan.send(await self._run_async(req))
        except StopIteration as done:
            return done.value

    def _run_sync(self, req: CallRequest | list[CallRequest]) -> Any:
        """One request, or a round of independent ones: at once against a server with its
        own hardware, one after another on the embedded model (its 2 cores gain nothing)."""
        if isinstance(req, CallRequest):
            return self.llm.call(req)
        if self.concurrency <= 1 or len(req) <= 1:
            return [self.llm.call(r) for r in req]
        with ThreadPoolExecutor(min(self.concurrency, len(req))) as pool:
            return list(pool.map(self.llm.call, req))

    async def _run_async(self, req: CallRequest | list[CallRequest]) -> Any:
        if isinstance(req, CallRequest):
            return await self.llm.acall(req)
        limit = asyncio.Semaphore(max(self.concurrency, 1))

        async def one(r: CallRequest) -> CallResult:
            async with limit:
                return await self.llm.acall(r)

        return list(await asyncio.gather(*(one(r) for r in req)))

    # -- the passes

    def _request(self, pass_name: str, **context: Any) -> CallRequest:
        model = passes.response_model(pass_name)
        params = self.prompt.params_for(pass_name)
        if (self.endpoint.grammar and pass_name in self.prompt.parameters.get("compact", ())
                and (gbnf := grammar.compact(model)) is not None):
            params = {**params, "grammar": gbnf}  # compact JSON, no padding tokens
        return CallRequest(
            pass_name=pass_name,
            messages=self.prompt.render(pass_name, **context),
            response_model=model,
            params=params,
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
        if self.prompt.parameters.get("plan") != "linguistic":
            return (yield from self._article_plan(doc))
        from .linguistics import analyze

        started = time.perf_counter()
        layer = self.prompt.parameters
        analysis = analyze(doc, **{f: bool(layer.get(f)) for f in LAYER_FLAGS})
        if not analysis.has_layer:
            return (yield from self._fallback(doc, analysis.language))
        plan = LinguisticPlan(doc, analysis, self._request, self.rules,
                              self.prompt.parameters.get("thresholds"),
                              self.prompt.parameters.get("targets", "model"),
                              self.prompt.parameters.get("ask_types", "speakers"),
                              passes.typing_pass(self.prompt.passes),
                              {f: bool(layer.get(f)) for f in STATEMENT_FLAGS},
                              bool(layer.get("forecasts")))
        draft = yield from plan.run()
        actors, threats, claims = assemble(draft)
        notes = self._doc_notes(doc) + draft.notes + [
            Notice(code="truncated", message=f"pass '{p}' hit max_tokens") for p in plan.truncated]
        extra = {"linguistics": analysis.pipeline, "language": analysis.language,
                 "rounds": plan.rounds}
        return Extraction(document=doc.meta, actors=actors, threats=threats, claims=claims,
                          provenance=self._provenance(plan.usage, 1, started, extra),
                          warnings=notes, **_carried(doc))

    def _fallback(self, doc: Document, language: str) -> Plan:
        """No linguistic layer for this language: the version's model-only passes, with no
        English word lists, and a warning that says so."""
        ref = self.prompt.parameters.get("fallback", "naive@1")
        inner = Extractor.__new__(Extractor)
        inner.__dict__.update(self.__dict__)
        inner.prompt, inner.rules = get_prompt(ref), ()
        result = yield from inner._article_plan(doc)
        note = Notice(code="no_linguistic_layer", message=(
            f"the article reads as '{language}', which has no linguistic layer here; "
            f"extracted with the model-only passes of {ref} and no rules"))
        return result.model_copy(update={
            "warnings": [note, *result.warnings],
            "provenance": result.provenance.model_copy(update={
                "prompt_id": self.prompt.id, "prompt_version": self.prompt.version,
                "prompt_hash": self.prompt.sha256,
                "parameters": {**result.provenance.parameters, "fallback": ref,
                               "language": language}})})

    def _doc_notes(self, doc: Document) -> list[Notice]:
        return [Notice(code="injection_suspected", message=(
                f"line at {s}-{e} reads as instructions to a model, not to a reader; it was "
                f"kept from the model and from evidence: {doc.text[s:e][:100]!r}"))
                for s, e in doc.injections] + doc.withheld_notices()

    def _provenance(self, usage: Usage, chunks: int, started: float,
                    extra: dict[str, Any] | None = None) -> Provenance:
        return Provenance(
            prompt_id=self.prompt.id,
            prompt_version=self.prompt.version,
            prompt_hash=self.prompt.sha256,
            schema_version=SCHEMA_VERSION,
            model=self.endpoint.label,
            provider=self.endpoint.provider,
            extractor_version=__version__,
            parameters={**{k: v for k, v in self.prompt.parameters.items()
                           if isinstance(v, str | int | float)}, "rules": ",".join(self.rules),
                        **(extra or {})},
            usage=usage,
            chunks=chunks,
            duration_s=round(time.perf_counter() - started, 3),
            created_at=dt.datetime.now(dt.UTC),
        )

    def _article_plan(self, doc: Document) -> Plan:
        started = time.perf_counter()
        chunks = doc.chunks(self.chunk_chars, self.chunk_overlap)
        raw = Raw()
        usage = Usage()
        notes: list[Notice] = self._doc_notes(doc)
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
                        item = threat_from_check(result.value, cand)
                        if item and VERIFY_PASS in self.prompt.passes:
                            second = yield self._request(VERIFY_PASS, **sent)
                            usage = usage.add(second.usage)
                            item = item if confirmed(second.value) else None
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
        provenance = self._provenance(usage, len(chunks), started)
        return Extraction(
            document=doc.meta,
            actors=resolved.actors,
            threats=resolved.threats,
            claims=resolved.claims,
            provenance=provenance,
            warnings=notes + resolved.warnings,
            **_carried(doc),
        )


def _carried(doc: Document) -> dict[str, Any]:
    """What every result carries from its Document: the withheld spans, and for HTML input
    the extracted text its offsets refer to."""
    return {"withheld": doc.withheld,
            "text": doc.text if doc.meta.content_type == "html" else None}


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
