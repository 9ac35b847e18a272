"""Score extractions against fixtures, as LABELLING.md says a prediction meets the gold.

Pure and model-free: usable on anyone's fixtures and on stored runs. Matching is one to
one (maximum bipartite matching over the pairs the rules allow).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from rapidfuzz import fuzz

from ..schema import Actor, Extraction
from . import origins as trace
from .fixtures import Fixture
from .items import gold_spans, item_lists, origin_label, pred_span
from .normalize import norm_name

STATEMENT_CLOSE = 70.0  # token_set_ratio for claims matched by statement
KINDS = ("actors", "threats", "claims")


def _keys(forms: Sequence[str], family: str | None) -> set[str]:
    keys = {norm_name(f) for f in forms if norm_name(f)}
    if family:
        keys.add(family)
    return keys


def _family_names(people: Sequence[tuple[str, str]]) -> dict[str, str | None]:
    """name -> its family name key, unless another actor shares that last word."""
    last = {name: norm_name(name).split()[-1] if len(norm_name(name).split()) > 1 else None
            for name, kind in people if kind == "person"}
    counts: dict[str, int] = {}
    for v in last.values():
        if v:
            counts[v] = counts.get(v, 0) + 1
    return {n: (v if v and counts[v] == 1 else None) for n, v in last.items()}


def gold_keys(fixture: Fixture) -> dict[str, set[str]]:
    fam = _family_names([(a.name, a.type) for a in fixture.actors])
    return {a.name: _keys(a.forms, fam.get(a.name)) for a in fixture.actors}


def pred_keys(extraction: Extraction) -> dict[str, set[str]]:
    fam = _family_names([(a.name, a.type) for a in extraction.actors])
    return {a.id: _keys([a.name, *a.aliases], fam.get(a.name)) for a in extraction.actors}


def match(n_gold: int, n_pred: int, ok: Callable[[int, int], bool],
          prefer: Callable[[int, int], float] | None = None) -> list[tuple[int, int]]:
    """Maximum one-to-one matching (Kuhn's augmenting paths); small inputs only.

    Each gold item tries its candidates best first by `prefer`, so among equally large
    matchings the closest pairs win and attribute accuracy is judged on the right pair.
    """
    edges = [[p for p in range(n_pred) if ok(g, p)] for g in range(n_gold)]
    if prefer is not None:
        edges = [sorted(ps, key=partial(_minus, prefer, g)) for g, ps in enumerate(edges)]
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for p in edges[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for g in range(n_gold):
        augment(g, set())
    return sorted((g, p) for p, g in owner.items())


def _minus(prefer: Callable[[int, int], float], g: int, p: int) -> float:
    return -prefer(g, p)


def _spans(text: str, quotes: Sequence[str]) -> list[tuple[int, int]]:
    spans = []
    for q in quotes:
        spans += [(m.start(), m.start() + len(q)) for m in re.finditer(re.escape(q), text)]
    return spans


def _tokens(s: str) -> set[str]:
    return set(re.findall(r"\w+", s.lower()))


def evidence_overlaps(text: str, gold_quotes: Sequence[str], start: int, end: int,
                      pred_text: str) -> bool:
    """Shared characters in the text, or a token overlap of half the shorter quote."""
    if end > start and any(s < end and start < e for s, e in _spans(text, gold_quotes)):
        return True
    p = _tokens(pred_text)
    for q in gold_quotes:
        g = _tokens(q)
        if p and g and len(p & g) >= 0.5 * min(len(p), len(g)):
            return True
    return False


def _closeness(text: str, gold_quotes: Sequence[str], ev: Any) -> float:
    """Characters the evidence shares with the nearest gold quote: ranks candidate pairs."""
    if ev.alignment == "unaligned" or ev.end <= ev.start:
        return 0.0
    return float(max((min(e, ev.end) - max(s, ev.start) for s, e in _spans(text, gold_quotes)),
                     default=0))


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, o: Counts) -> Counts:
        return Counts(self.tp + o.tp, self.fp + o.fp, self.fn + o.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else (1.0 if not self.fp else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class FixtureScore:
    """One fixture's counts, attribute checks and the items behind them, for reports."""

    fixture_id: str
    split: str
    ok: bool  # False: the extraction failed; everything counts as missed
    error: str | None = None
    counts: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    attrs: dict[str, list[bool]] = field(default_factory=dict)
    quotes_verbatim: list[bool] = field(default_factory=list)
    grounded: list[bool] = field(default_factory=list)
    items: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    seconds: float | None = None
    origins: trace.Tally = field(default_factory=dict)  # kind -> origin -> matched/spurious
    changed_by: trace.Tally = field(default_factory=dict)  # kind -> rule -> matched/spurious
    alignments: dict[str, list[str]] = field(default_factory=dict)  # kind -> evidence labels

    def attr(self, name: str, value: bool) -> None:
        self.attrs.setdefault(name, []).append(value)


def score_fixture(fixture: Fixture, extraction: Extraction | None,
                  error: str | None = None) -> FixtureScore:
    """Score one prediction; None (a failed extraction) counts every gold item as missed."""
    s = FixtureScore(fixture.id, fixture.split, ok=extraction is not None, error=error)
    gold_names = [a.name for a in fixture.actors]
    gk = gold_keys(fixture)
    if extraction is None:
        s.counts = {"actors": Counts(fn=len(fixture.actors)),
                    "threats": Counts(fn=len(fixture.threats)),
                    "claims": Counts(fn=len(fixture.claims))}
        spans = gold_spans(fixture)
        s.items = {
            "actors": item_lists([], gold_names, [], spans["actors"], []),
            "threats": item_lists([], [t.quotes[0] for t in fixture.threats], [],
                              spans["threats"], []),
            "claims": item_lists([], [c.statement for c in fixture.claims], [],
                             spans["claims"], []),
        }
        return s
    text = fixture.text
    spans = gold_spans(fixture)
    pk = pred_keys(extraction)
    preds: list[Actor] = extraction.actors
    s.seconds = extraction.provenance.duration_s

    def same(gold_name: str, pred_id: str) -> bool:
        gold = fixture.actor(gold_name)
        return bool(gk[gold.name] & pk.get(pred_id, set()))

    # actors
    pairs = match(len(fixture.actors), len(preds),
                  lambda g, p: bool(gk[gold_names[g]] & pk[preds[p].id]))
    matched_pairs = {"actors": pairs}
    s.counts["actors"] = Counts(len(pairs), len(preds) - len(pairs),
                                len(fixture.actors) - len(pairs))
    for g, p in pairs:
        s.attr("actor_type", fixture.actors[g].type == preds[p].type)
    s.items["actors"] = item_lists(
        pairs, [a.name for a in fixture.actors], [a.name for a in preds], spans["actors"],
        [[[m.start, m.end] for m in a.mentions] for a in preds])

    # threats
    gt, pt = fixture.threats, extraction.threats
    pairs = match(len(gt), len(pt), lambda g, p: same(gt[g].speaker, pt[p].speaker)
                  and evidence_overlaps(text, gt[g].quotes, pt[p].evidence.start,
                                        pt[p].evidence.end, pt[p].evidence.text),
                  lambda g, p: _closeness(text, gt[g].quotes, pt[p].evidence))
    matched_pairs["threats"] = pairs
    s.counts["threats"] = Counts(len(pairs), len(pt) - len(pairs), len(gt) - len(pairs))
    for g, p in pairs:
        if gt[g].category:
            s.attr("threat_category", gt[g].category == pt[p].category)
        if gt[g].conditional is not None:
            s.attr("threat_conditional", gt[g].conditional == pt[p].conditional)
        s.attr("threat_targets", _same_set(gt[g].targets, pt[p].targets, same))
    s.items["threats"] = item_lists(pairs, [t.quotes[0] for t in gt], [t.evidence.text for t in pt],
                                spans["threats"], [pred_span(t.evidence) for t in pt])

    # claims
    gc, pc = fixture.claims, extraction.claims

    def claim_ok(g: int, p: int) -> bool:
        if not same(gc[g].claimant, pc[p].claimant):
            return False
        if gc[g].quotes and pc[p].evidence.alignment != "unaligned":
            return evidence_overlaps(text, gc[g].quotes, pc[p].evidence.start,
                                     pc[p].evidence.end, pc[p].evidence.text)
        return fuzz.token_set_ratio(gc[g].statement, pc[p].statement) >= STATEMENT_CLOSE

    pairs = match(len(gc), len(pc), claim_ok, lambda g, p: _closeness(
        text, gc[g].quotes, pc[p].evidence) + fuzz.token_set_ratio(gc[g].statement,
                                                                   pc[p].statement) / 100)
    matched_pairs["claims"] = pairs
    s.counts["claims"] = Counts(len(pairs), len(pc) - len(pairs), len(gc) - len(pairs))
    for g, p in pairs:
        if gc[g].type:
            s.attr("claim_type", gc[g].type == pc[p].type)
    s.items["claims"] = item_lists(pairs, [c.statement for c in gc],
                               [f"{c.statement} [{c.evidence.text}]" for c in pc],
                               spans["claims"], [pred_span(c.evidence) for c in pc])

    for ev in [t.evidence for t in pt] + [c.evidence for c in pc]:
        s.quotes_verbatim.append(ev.quote.strip() in text)
        s.grounded.append(ev.alignment != "unaligned" and text[ev.start:ev.end] == ev.text)
    for kind, predicted in (("actors", preds), ("threats", pt), ("claims", pc)):
        _trace(s, kind, predicted, matched_pairs[kind])
    s.alignments = {"threats": [t.evidence.alignment for t in pt],
                    "claims": [c.evidence.alignment for c in pc]}
    return s


def _trace(s: FixtureScore, kind: str, predicted: Sequence[Any],
           pairs: list[tuple[int, int]]) -> None:
    """Origin tallies, and each matched/spurious item's origin beside it in `items`."""
    matched = {p for _, p in pairs}
    s.origins[kind], s.changed_by[kind] = trace.count(predicted, matched)
    labels = [origin_label(x) for x in predicted]
    s.items[kind]["matched_origins"] = [labels[p] for _, p in pairs]
    s.items[kind]["spurious_origins"] = [o for i, o in enumerate(labels) if i not in matched]


def _same_set(gold: list[str], pred: list[str], same: Callable[[str, str], bool]) -> bool:
    pairs = match(len(gold), len(pred), lambda g, p: same(gold[g], pred[p]))
    return len(pairs) == len(gold) == len(pred)
