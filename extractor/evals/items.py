"""Per-fixture item lists for reports: matched, missed and spurious labels, where each stands
in the text, and what made each predicted item (its origin and the rules that changed it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .fixtures import Fixture


def origin_label(item: Any) -> str:
    """'model:threats' or 'model:threats > rule:merge_restated': what made and changed it."""
    return " > ".join([item.origin, *item.changed_by])


Spans = list[list[int]]  # [[start, end], ...] in the fixture text


def gold_spans(fixture: Fixture) -> dict[str, list[Spans]]:
    """Where each gold item stands: first occurrence of each quote, every mention of an actor."""
    text = fixture.text

    def quotes(qs: Sequence[str]) -> Spans:
        found = [(text.find(q), len(q)) for q in qs]
        return [[s, s + n] for s, n in found if s >= 0 and n]

    def names(forms: Sequence[str]) -> Spans:
        pats = [r"(?<!\w)" + re.escape(f.strip()) + r"(?!\w)" for f in forms if f.strip()]
        if not pats:
            return []
        return [[m.start(), m.end()] for m in re.finditer("|".join(
            sorted(pats, key=len, reverse=True)), text)]

    return {"actors": [names(a.forms) for a in fixture.actors],
            "threats": [quotes(t.quotes) for t in fixture.threats],
            "claims": [quotes(c.quotes) for c in fixture.claims]}


def pred_span(ev: Any) -> Spans:
    return [[ev.start, ev.end]] if ev.alignment != "unaligned" and ev.end > ev.start else []


def item_lists(pairs: list[tuple[int, int]], gold: list[str], pred: list[str],
           gold_spans: list[Spans], pred_spans: list[Spans]) -> dict[str, list[Any]]:
    """matched/missed/spurious labels, and the same lists of spans under *_spans keys."""
    mg, mp = {g for g, _ in pairs}, {p for _, p in pairs}
    return {
        "matched": [[gold[g], pred[p]] for g, p in pairs],
        "missed": [x for i, x in enumerate(gold) if i not in mg],
        "spurious": [x for i, x in enumerate(pred) if i not in mp],
        "matched_spans": [[gold_spans[g], pred_spans[p]] for g, p in pairs],
        "missed_spans": [x for i, x in enumerate(gold_spans) if i not in mg],
        "spurious_spans": [x for i, x in enumerate(pred_spans) if i not in mp],
    }
