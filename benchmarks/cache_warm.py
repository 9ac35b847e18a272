"""Eval suite re-run against a warm response cache: model calls (must be 0) and wall time.

    python benchmarks/cache_warm.py --prompt extract@2 --split dev

Run it after a cold run of the same prompt x model (`extractor eval ...`) filled the cache.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from extractor.evals.runner import run


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--prompt", default="extract@2")
    ap.add_argument("--model", default="local")
    ap.add_argument("--split", default="dev")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as runs:
        started = time.perf_counter()
        result = run(Path("evals/fixtures"), [args.prompt], [args.model], split=args.split,
                     runs_root=Path(runs), cache=True)
        wall = time.perf_counter() - started
        requests = cached = 0
        model_seconds = 0.0
        for path in result.run_dir.glob("*/*.json"):
            rec = json.loads(path.read_text())
            usage = (rec.get("extraction") or {}).get("provenance", {}).get("usage", {})
            requests += usage.get("requests", 0)
            cached += usage.get("cached_calls", 0)
            model_seconds += usage.get("model_seconds", 0.0)
    n = len(next(iter(result.scores.values())))
    print("| run | articles | model requests | cached calls | wall s | model s replayed |")
    print("|---|---|---|---|---|---|")
    print(f"| {args.prompt} x {args.model}, {args.split}, warm | {n} | {requests} | {cached} "
          f"| {wall:.2f} | {model_seconds:.0f} |")


if __name__ == "__main__":
    main()
