"""Valid extraction answers for a loopback OpenAI-compatible server, and a fast aiohttp server.

`valid_answer(body)` reads the pass from the request's `response_format` schema and answers
with items grounded in the article: real names from it and quotes copied from it, so the whole
pipeline (parse, passes, grounding) runs as it would on a model's answer. The tests plug it
into tests/scripted_server.py; benchmarks/throughput.py runs this file as its own process
(`python tests/extraction_server.py --latency 0.2`): aiohttp answers many concurrent requests
after the injected latency without a thread per request.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import time
from typing import Any

ARTICLE = re.compile(r"<article>\s*(.*?)\s*</article>", re.S)
MARKER = re.compile(r"DOC-\d+")
NAME = re.compile(r"\b[A-Z][a-z]{3,}\b")
SENTENCE = re.compile(r"[^.!?]+[.!?]")


def article_of(body: dict[str, Any]) -> str:
    """The article text of a request (between <article> tags in its messages)."""
    for message in reversed(body.get("messages") or []):
        found = ARTICLE.search(str(message.get("content", "")))
        if found:
            return found.group(1)
    return ""


def marker_of(body: dict[str, Any]) -> str | None:
    """The DOC-n marker the tests put in each document, which keys the request log."""
    found = MARKER.search(article_of(body))
    return found.group(0) if found else None


def pass_of(body: dict[str, Any]) -> str:
    """actors | threats | claims | all, from the response_format's schema properties."""
    rf = body.get("response_format") or {}
    props = list(((rf.get("json_schema") or {}).get("schema") or {}).get("properties") or {})
    return "all" if len(props) > 1 else (props[0] if props else "unknown")


def document(i: int) -> str:
    """A short news-like article with a threat and a claim; DOC-i marks it."""
    return (f"DOC-{i}. Ruritania warned on Monday that it would strike Borduria if the talks "
            f"failed. Officials in Borduria said the warning was a bluff. Report {i} ends here.")


def valid_answer(body: dict[str, Any]) -> dict[str, Any]:
    """A response that fits the pass's schema and grounds in the article."""
    text = article_of(body)
    names = list(dict.fromkeys(NAME.findall(text)))[:2] or ["Nobody"]
    sentences = [s.strip() for s in SENTENCE.findall(text)] or [text[:200] or "none"]
    actors = [{"name": n, "type": "state", "aliases": [], "role": None, "affiliation": None,
               "country": None} for n in names]
    threats = [{"quote": sentences[min(1, len(sentences) - 1)][:400], "speaker": names[0],
                "targets": names[1:], "reported_by": [], "action": "strike",
                "category": "military_force", "conditional": True,
                "condition": "if the talks failed"}]
    claims = [{"quote": sentences[-1][:400], "claimant": names[-1],
               "statement": "The warning was a bluff.", "type": "assessment",
               "reported_by": [], "about": names[:1]}]
    parts = {"actors": actors, "threats": threats, "claims": claims}
    kind = pass_of(body)
    return parts if kind == "all" else {kind: parts.get(kind, [])}


def completion(body: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(content)
    prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages") or []) // 4
    return {
        "id": "chatcmpl-loopback", "object": "chat.completion", "created": int(time.time()),
        "model": body.get("model", "test"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                     "finish_reason": "stop", "logprobs": None}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": len(text) // 4,
                  "total_tokens": prompt + len(text) // 4},
    }


async def serve(port: int, latency: float) -> None:
    """Answer every chat completion with a valid extraction after `latency` seconds."""
    from aiohttp import web

    async def chat(request: web.Request) -> web.Response:
        body = await request.json()
        await asyncio.sleep(latency)
        return web.json_response(completion(body, valid_answer(body)))

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port, backlog=1024)
    await site.start()
    bound = runner.addresses[0][1]
    print(f"PORT {bound}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    cli = argparse.ArgumentParser(description=__doc__)
    cli.add_argument("--port", type=int, default=0)
    cli.add_argument("--latency", type=float, default=0.2, help="seconds before each answer")
    args = cli.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.latency))
