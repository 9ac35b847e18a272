"""Where scored items came from, and how their evidence was grounded.

Matched and spurious items are counted by `origin` (the model pass or stage that created the
item) and by every entry of `changed_by` (the rules that changed it), per kind: the numbers
that say whether a rule or stage earns its place. Evidence alignment shares (exact,
normalized, fuzzy, unaligned) are kept apart, since a fuzzy grounding is weaker evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

ALIGNMENTS = ("exact", "normalized", "fuzzy", "unaligned")
STATUSES = ("matched", "spurious")

# kind -> origin (or rule) -> {"matched": n, "spurious": n}
Tally = dict[str, dict[str, dict[str, int]]]


class Traced(Protocol):
    origin: str
    changed_by: list[str]


def count(items: Sequence[Traced], matched: set[int]) -> tuple[dict[str, dict[str, int]],
                                                                dict[str, dict[str, int]]]:
    """(by origin, by changing rule) for one kind of one prediction."""
    by_origin: dict[str, dict[str, int]] = {}
    by_rule: dict[str, dict[str, int]] = {}
    for i, it in enumerate(items):
        status = "matched" if i in matched else "spurious"
        _bump(by_origin, it.origin or "unknown", status)
        for rule in dict.fromkeys(it.changed_by):  # a rule that ran twice changed it once
            _bump(by_rule, rule, status)
    return by_origin, by_rule


def _bump(table: dict[str, dict[str, int]], key: str, status: str) -> None:
    row = table.setdefault(key, dict.fromkeys(STATUSES, 0))
    row[status] += 1


def merge(tallies: Iterable[Tally]) -> Tally:
    """Sum per-fixture tallies; origins sorted by how many items they gave."""
    out: Tally = {}
    for t in tallies:
        for kind, rows in t.items():
            dest = out.setdefault(kind, {})
            for key, row in rows.items():
                d = dest.setdefault(key, dict.fromkeys(STATUSES, 0))
                for status in STATUSES:
                    d[status] += row.get(status, 0)
    return {kind: dict(sorted(rows.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))
            for kind, rows in out.items()}


def with_precision(tally: Tally) -> dict[str, dict[str, dict[str, Any]]]:
    """Each row with its precision: the share of that origin's items that matched gold."""
    return {kind: {key: {**row, "precision": round(row["matched"] / n, 4) if (
        n := row["matched"] + row["spurious"]) else None} for key, row in rows.items()}
        for kind, rows in tally.items()}


def family(origin: str) -> str:
    """'model:actors' -> 'model', 'rule:merge_restated' -> 'rule'."""
    return origin.split(":", 1)[0]


def family_shares(tally: Mapping[str, Mapping[str, Mapping[str, int]]],
                  status: str = "matched") -> dict[str, float]:
    """Share of the items with `status`, all kinds together, per origin family."""
    counts: dict[str, int] = {}
    for rows in tally.values():
        for key, row in rows.items():
            counts[family(key)] = counts.get(family(key), 0) + row.get(status, 0)
    total = sum(counts.values())
    if not total:
        return {}
    return {k: round(v / total, 4) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
            if v}


def alignment_shares(labels: Sequence[str]) -> dict[str, Any]:
    """Share of each alignment among evidence labels, with the count they are shares of."""
    n = len(labels)
    return {"n": n, **{a: (round(labels.count(a) / n, 4) if n else None) for a in ALIGNMENTS}}
