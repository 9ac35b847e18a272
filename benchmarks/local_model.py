"""Embedded-model speed: seconds per article and tokens/s, with and without llama.cpp's
prompt-prefix caching and parallel slots. Run by hand, one configuration per process:

    python benchmarks/local_model.py --model local/qwen2.5-coder-0.5b --prompt extract@2

Each configuration runs in a fresh subprocess (one llama.cpp server per process) with the
response cache off, over the first N dev fixtures, and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE, SLOTS = "EXTRACTOR_LOCAL_CACHE_PROMPT", "EXTRACTOR_LOCAL_PARALLEL"
CONFIGS = {
    "prefix cache on, 1 slot": {CACHE: "1", SLOTS: "1"},
    "prefix cache off, 1 slot": {CACHE: "0", SLOTS: "1"},
    "prefix cache on, 2 slots, 2 articles at once": {CACHE: "1", SLOTS: "2"},
}

WORKER = r"""
import asyncio, json, os, sys, time
from extractor import Extractor
from extractor.evals.fixtures import load_fixtures
model, prompt, n, conc = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
texts = [f.text for f in load_fixtures("evals/fixtures", "dev")[:n]]
ex = Extractor(model, prompt, cache=False)
ex.extract("Warm-up: the ministry said it would respond.")  # load the model first
sem = asyncio.Semaphore(conc)
async def one(t):
    async with sem:
        return await ex.aextract(t)
async def main():
    t0 = time.perf_counter()
    results = await asyncio.gather(*(one(t) for t in texts))
    wall = time.perf_counter() - t0
    usage = [r.provenance.usage for r in results]
    print(json.dumps({"wall": wall, "articles": len(texts),
                      "completion": sum(u.completion_tokens for u in usage),
                      "prompt": sum(u.prompt_tokens for u in usage)}))
asyncio.run(main())
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="local/qwen2.5-coder-0.5b")
    ap.add_argument("--prompt", default="extract@2")
    ap.add_argument("--articles", type=int, default=3)
    args = ap.parse_args()
    rows = []
    for name, env in CONFIGS.items():
        conc = int(env["EXTRACTOR_LOCAL_PARALLEL"])
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", WORKER, args.model, args.prompt, str(args.articles), str(conc)],
            cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append((name, r["wall"] / r["articles"], r["completion"] / r["wall"],
                     r["prompt"] / r["articles"], time.perf_counter() - started))
    print(f"model {args.model}, prompt {args.prompt}, {args.articles} dev articles, cache off\n")
    print("| configuration | s/article | generated tok/s (all passes) | prompt tokens/article |")
    print("|---|---|---|---|")
    for name, spa, tps, ptok, _ in rows:
        print(f"| {name} | {spa:.1f} | {tps:.1f} | {ptok:.0f} |")


if __name__ == "__main__":
    main()
