"""Suite numbers from per-fixture scores: what report.json's summaries hold.

Micro precision/recall/F1 with bootstrap intervals, attribute accuracy on matched pairs,
grounding, evidence alignment shares and the origin tallies of extractor.evals.origins.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from . import origins
from .scoring import KINDS, Counts, FixtureScore


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def bootstrap_f1(scores: Sequence[FixtureScore], kind: str, n: int = 1000,
                 seed: int = 0) -> tuple[float, float]:
    """95% interval of micro F1, resampling fixtures (the suite is small)."""
    if not scores:
        return (0.0, 0.0)
    rng = random.Random(seed)
    f1s = []
    for _ in range(n):
        sample = [rng.choice(scores) for _ in scores]
        f1s.append(sum((x.counts[kind] for x in sample), Counts()).f1)
    f1s.sort()
    return (round(f1s[int(0.025 * n)], 4), round(f1s[int(0.975 * n) - 1], 4))


def summarize(scores: Sequence[FixtureScore]) -> dict[str, Any]:
    """Suite numbers: micro P/R/F1 with bootstrap intervals, attribute accuracy, grounding."""
    out: dict[str, Any] = {"fixtures": len(scores)}
    for kind in KINDS:
        total = sum((s.counts[kind] for s in scores), Counts())
        out[kind] = {**total.as_dict(), "f1_ci95": list(bootstrap_f1(scores, kind))}
    names = sorted({k for s in scores for k in s.attrs})
    out["accuracy"] = {k: _share([v for s in scores for v in s.attrs.get(k, [])]) for k in names}
    out["quotes_verbatim"] = _share([v for s in scores for v in s.quotes_verbatim])
    out["grounded"] = _share([v for s in scores for v in s.grounded])
    out["alignment"] = {k: origins.alignment_shares([a for s in scores
                                                      for a in s.alignments.get(k, [])])
                        for k in ("threats", "claims")}
    out["alignment"]["all"] = origins.alignment_shares(
        [a for s in scores for v in s.alignments.values() for a in v])
    tally = origins.merge(s.origins for s in scores)
    out["origins"] = origins.with_precision(tally)
    out["changed_by"] = origins.with_precision(origins.merge(s.changed_by for s in scores))
    out["origin_shares"] = {status: origins.family_shares(tally, status)
                            for status in origins.STATUSES}
    out["schema_valid"] = _share([s.ok for s in scores])
    out["failed"] = [{"fixture": s.fixture_id, "error": s.error} for s in scores if not s.ok]
    secs = [s.seconds for s in scores if s.seconds is not None]
    out["seconds_per_article"] = round(sum(secs) / len(secs), 2) if secs else None
    return out
