"""Sweep a prompt version's yes-threshold over answers already in the response cache.

A threshold changes no question of round 1, only how "yes" is read from the logprobs, so
every point of the curve replays the cached is_threat answers; the statements a lower
threshold adds as threats need their round-2 details, asked once and cached (--cache-only
makes a missing answer an error instead). Run the version once on the splits first
(`extractor eval --split dev,real-dev -p extract@12`); pick the threshold on the splits you
tune on, never on `real`.

    python benchmarks/threshold.py -p extract@12 --split dev,real-dev
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from extractor.evals.fixtures import load_fixtures, parse_splits
from extractor.evals.scoring import KINDS, Counts, score_fixture
from extractor.pipeline import Extractor
from extractor.prompts import get_prompt

GRID = (0.9, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05)


def f1(c: Counts) -> float:
    p, r = c.precision, c.recall
    return 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-p", "--prompt", default="extract@12")
    ap.add_argument("-m", "--model", default="local")
    ap.add_argument("--pass", dest="pass_name", default="is_threat")
    ap.add_argument("--split", default="dev,real-dev")
    ap.add_argument("--fixtures", type=Path, default=Path("evals/fixtures"))
    ap.add_argument("--cache-only", action="store_true")
    ap.add_argument("--grid", type=lambda v: tuple(float(x) for x in v.split(",")), default=GRID,
                    help="thresholds to try, comma-separated (default: 0.9 down to 0.05)")
    args = ap.parse_args()
    splits = parse_splits(args.split)
    if "real" in splits:
        raise SystemExit("the held-out split is never tuned on")
    fixtures = load_fixtures(args.fixtures, splits)
    base = get_prompt(args.prompt)
    print(f"{args.prompt} {args.pass_name} threshold on {','.join(splits)} "
          f"({len(fixtures)} fixtures, cached answers)")
    print("| threshold | " + " | ".join(f"{k} F1 (P/R)" for k in KINDS) + " |")
    print("|---|" + "---|" * len(KINDS))
    for t in args.grid:
        thresholds = {**base.parameters.get("thresholds", {}), args.pass_name: t}
        prompt = dataclasses.replace(base, parameters={**base.parameters,
                                                       "thresholds": thresholds})
        with Extractor(args.model, prompt, cache=True, cache_only=args.cache_only) as ex:
            totals = {k: Counts() for k in KINDS}
            for fx in fixtures:
                s = score_fixture(fx, ex.extract(fx.text, source=fx.id))
                for k in KINDS:
                    totals[k] = totals[k] + s.counts[k]
        cells = [f"{f1(c):.2f} ({c.precision:.2f}/{c.recall:.2f})" for c in totals.values()]
        print(f"| {t:.2f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
