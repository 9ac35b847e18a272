"""Speed and quality from the same answers: seconds per article, requests, tokens and F1 per
prompt version, on one split, with a cold response cache, in one run.

    python benchmarks/speed.py --split dev -p naive@1 -p extract@11

naive@1 is the reference: the table gives each version's time as a ratio to it, measured in
the same run on the same machine (an absolute time on shared cores means little). Each
version gets its own fresh response cache, so every answer is produced by the model; the
model is loaded before the clock starts. Run it with nothing else running. The run folders
(every answer) are kept under --runs-dir, so the F1s can be re-scored later.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from extractor import Extractor
from extractor.evals.runner import headline, run

ROOT = Path(__file__).resolve().parent.parent


def _measure(prompt: str, model: str, split: str, runs_dir: Path) -> dict[str, Any]:
    cache = Path(tempfile.mkdtemp(prefix="speed-cache-")) / "responses.sqlite"
    started = time.perf_counter()
    result = run(ROOT / "evals" / "fixtures", [prompt], [model], split=split,
                 runs_root=runs_dir, cache=cache)  # type: ignore[arg-type]
    wall = time.perf_counter() - started
    (key, summary), = result.summaries.items()
    records = [json.loads(p.read_text()) for p in (result.run_dir).glob("*/*.json")
               if p.name != "manifest.json"]
    usage = [r["extraction"]["provenance"]["usage"] for r in records if r.get("extraction")]
    n = len(records)
    scores = headline(summary["all"])
    return {"prompt": prompt, "articles": n, "s_per_article": wall / n,
            "requests": sum(u["requests"] for u in usage) / n,
            "prompt_tokens": sum(u["prompt_tokens"] for u in usage) / n,
            "completion_tokens": sum(u["completion_tokens"] for u in usage) / n,
            "f1": {k: round(v["f1"], 3) for k, v in scores.items()},
            "run": result.run_dir.name}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-p", "--prompt", action="append", default=[])
    ap.add_argument("-m", "--model", default="local")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--runs-dir", type=Path, default=ROOT / "evals" / "runs")
    ap.add_argument("--out", type=Path, default=None, help="also write the rows as JSON")
    args = ap.parse_args()
    prompts = args.prompt or ["naive@1", "extract@11"]
    if "naive@1" not in prompts:
        prompts.insert(0, "naive@1")
    Extractor(args.model, "naive@1").extract("Warm-up: the ministry said it would respond.")
    rows = [_measure(p, args.model, args.split, args.runs_dir) for p in prompts]
    ref = next(r for r in rows if r["prompt"] == "naive@1")["s_per_article"]
    print(f"split {args.split}, model {args.model}, {rows[0]['articles']} articles, cold cache")
    print("| prompt | s/article | x naive@1 | requests | prompt tok | completion tok "
          "| actors F1 | threats F1 | claims F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        f = r["f1"]
        print(f"| {r['prompt']} | {r['s_per_article']:.1f} | {r['s_per_article'] / ref:.2f} "
              f"| {r['requests']:.1f} | {r['prompt_tokens']:.0f} | {r['completion_tokens']:.0f} "
              f"| {f['actors']:.2f} | {f['threats']:.2f} | {f['claims']:.2f} |")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
