"""HTML views: one extraction over its article, and an eval run's report.

Each page is one self-contained file (inline CSS and JS, no network). Jinja2 autoescapes
everything, and a Content-Security-Policy with a per-page nonce lets only our own script run,
so nothing in an article executes. Templates live in extractor/templates/.
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader

from .evals.report import HEADER, table_rows
from .evals.scoring import KINDS
from .schema import Extraction

if TYPE_CHECKING:
    from .evals.fixtures import Fixture
    from .evals.runner import RunResult

PAIR_COLOURS = ["#3366cc", "#dc7f1c", "#2a9d6f", "#9c4fb8", "#c43c5c", "#5f7d8c", "#b59b1a"]


@cache
def _env() -> Environment:
    return Environment(loader=PackageLoader("extractor", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True)


@dataclass(eq=False)  # identity, not value: two equal spans are still two marks
class Mark:
    start: int
    end: int
    kind: str  # CSS class: actor/threat/claim, or matched/missed/spurious
    item: str  # data-item: the side-list entry it belongs to


def segments(text: str, marks: list[Mark]) -> list[tuple[str, Any, bool]]:
    """("text", str, _) / ("open", Mark, first_fragment) / ("close", Mark, _) tokens.

    Marks nest; one that crosses another is closed and reopened at the boundary, so the
    fragments of every mark cover exactly its characters and no others.
    """
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    starting: dict[int, list[Mark]] = defaultdict(list)
    for m in marks:
        starting[m.start].append(m)
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[tuple[str, Any, bool]] = []
    stack: list[Mark] = []
    for i, pos in enumerate(bounds):
        ending = [j for j, m in enumerate(stack) if m.end == pos]
        reopen: list[Mark] = []
        if ending:
            popped, stack = stack[ending[0]:], stack[:ending[0]]
            out += [("close", m, False) for m in reversed(popped)]
            reopen = [m for m in popped if m.end != pos]
        for m in sorted(reopen, key=lambda m: -m.end):
            stack.append(m)
            out.append(("open", m, False))
        for m in sorted(starting.get(pos, []), key=lambda m: -m.end):
            stack.append(m)
            out.append(("open", m, True))
        if i + 1 < len(bounds):
            out.append(("text", text[pos:bounds[i + 1]], False))
    return out


# ------------------------------------------------------------------------ extraction view


def _item(kind: str, id_: str, head: str, meta: list[str], fields: list[tuple[str, Any]],
          spans: list[Any], text: str) -> dict[str, Any]:
    """A side-list entry; spans that do not slice `text` to their own text are not marked."""
    real = [s for s in spans if s.end > s.start]
    ok = [s for s in real if text[s.start:s.end] == s.text]
    return {"kind": kind, "id": id_, "head": head, "meta": " · ".join(m for m in meta if m),
            "spans": ok, "located": bool(ok), "mismatch": len(ok) < len(real),
            "fields": [(k, v) for k, v in fields if v not in (None, "", [])]}


def _evidence(ev: Any) -> str:
    return f"{ev.alignment} ({ev.score:.0f}) {ev.start}-{ev.end}"


def _views(r: Extraction, text: str) -> tuple[list[Any], list[Any], list[Any]]:
    names = {a.id: a.name for a in r.actors}

    def name(*ids: str, sep: str = ", ") -> str:
        return sep.join(names.get(i, i) for i in ids)

    def chain(first: str, via: list[str]) -> str:  # reported_by, speaker outwards
        return name(first, *via, sep=" → ") if via else ""

    threats = [_item(
        "threat", t.id, t.evidence.text or t.evidence.quote,
        [name(t.speaker) + (" → " + name(*t.targets) if t.targets else ""), t.category,
         f"CAMEO {t.cameo}" if t.cameo else "", "conditional" if t.conditional else ""],
        [("speaker", name(t.speaker)), ("targets", name(*t.targets)),
         ("reported by", chain(t.speaker, t.reported_by)), ("action", t.action),
         ("category", t.category), ("CAMEO", t.cameo),
         ("conditional", "yes" if t.conditional else "no"), ("condition", t.condition),
         ("evidence", _evidence(t.evidence)),
         ("model quote", t.evidence.quote if t.evidence.quote != t.evidence.text else "")],
        [t.evidence], text) for t in r.threats]
    claims = [_item(
        "claim", c.id, c.statement, [name(c.claimant), c.type],
        [("claimant", name(c.claimant)), ("type", c.type), ("statement", c.statement),
         ("about", name(*c.about)), ("reported by", chain(c.claimant, c.reported_by)),
         ("evidence", _evidence(c.evidence)), ("quote", c.evidence.text or c.evidence.quote)],
        [c.evidence], text) for c in r.claims]
    actors = [_item(
        "actor", a.id, a.name,
        [a.type.replace("_", " "), a.country or "",
         f"{len(a.mentions)} mention{'s' * (len(a.mentions) != 1)}"],
        [("name", a.name), ("type", a.type), ("aliases", ", ".join(a.aliases)), ("role", a.role),
         ("affiliation", a.affiliation), ("country", a.country), ("mentions", len(a.mentions))],
        a.mentions, text) for a in r.actors]
    return threats, claims, actors


def extraction_html(result: Extraction, text: str) -> str:
    """The article with every actor mention and threat/claim evidence marked, plus side lists."""
    threats, claims, actors = _views(result, text)
    items = threats + claims + actors
    marks = [Mark(s.start, s.end, it["kind"], it["id"]) for it in items for s in it["spans"]]
    p = result.provenance
    return _env().get_template("extraction.html.j2").render(
        r=result, p=p, usage=p.usage, hash=p.prompt_hash[:12], chars=len(text), items=items,
        groups=[("Threats", "threat", threats), ("Claims", "claim", claims),
                ("Actors", "actor", actors)],
        mismatched=[it["id"] for it in items if it["mismatch"]],
        tokens=segments(text, marks), nonce=secrets.token_urlsafe(16))


# ---------------------------------------------------------------------------- eval report


def _fixtures(result: RunResult) -> dict[str, Fixture]:
    if getattr(result, "fixtures", None):
        return result.fixtures
    from .evals.fixtures import load_fixtures

    try:
        manifest = json.loads((result.run_dir / "manifest.json").read_text())
        return {f.id: f for f in load_fixtures(Path(manifest["fixtures_dir"]),
                                               manifest.get("split", "all"))}
    except Exception:  # noqa: BLE001 - the report still renders, without articles
        return {}


def _chart(result: RunResult) -> dict[str, Any]:
    """Grouped bars: F1 (split all) per kind, one bar per pair, with 95% interval whiskers."""
    keys = list(result.summaries)
    bw, gap, h, left, top = 38, 40, 200, 44, 18
    group_w = len(keys) * bw + gap
    bars, groups = [], []
    for g, kind in enumerate(KINDS):
        x0 = left + gap / 2 + g * group_w
        groups.append({"x": x0 + len(keys) * bw / 2, "label": kind})
        for i, key in enumerate(keys):
            s = result.summaries[key]["all"][kind]
            lo, hi = s["f1_ci95"]
            bars.append({"x": x0 + i * bw + 2, "w": bw - 4, "y": top + h * (1 - s["f1"]),
                         "h": h * s["f1"], "f1": s["f1"], "lo_y": top + h * (1 - lo),
                         "hi_y": top + h * (1 - hi), "lo": lo, "hi": hi, "kind": kind,
                         "pair": key, "colour": PAIR_COLOURS[i % len(PAIR_COLOURS)]})
    ticks = [{"y": top + h * (1 - v / 4), "label": f"{v / 4:.2f}"} for v in range(5)]
    return {"bars": bars, "groups": groups, "ticks": ticks, "left": left, "top": top, "h": h,
            "width": left + len(KINDS) * group_w + 10, "height": top + h + 30,
            "legend": [(k, PAIR_COLOURS[i % len(PAIR_COLOURS)]) for i, k in enumerate(keys)]}


def _f1_class(cell: str) -> str:
    try:
        v = float(cell.split()[0])
    except (ValueError, IndexError):
        return ""
    return "f1-hi" if v >= 0.8 else "f1-mid" if v >= 0.5 else "f1-lo"


def _pair_view(fx: Fixture | None, sc: Any, prefix: str) -> dict[str, Any]:
    """One fixture under one pair: its items and the article with their spans marked."""
    text = fx.text if fx else ""
    items, marks = [], []
    for kind in KINDS:
        got = sc.items.get(kind, {})
        for status in ("missed", "spurious", "matched"):
            labels = got.get(status, [])
            spans_list = got.get(f"{status}_spans") or [None] * len(labels)
            for k, (label, spans) in enumerate(zip(labels, spans_list, strict=False)):
                if status == "matched":  # mark what the model found; the gold where it found none
                    spans = (spans[1] or spans[0]) if spans else []
                    head, fields = label[0], [("gold", label[0]), ("predicted", label[1])]
                else:
                    head, fields = label, [("gold" if status == "missed" else "predicted", label)]
                id_ = f"{prefix}-{kind[0]}-{status}-{k}"
                ok = [(s, e) for s, e in spans or [] if 0 <= s < e <= len(text)]
                if kind != "actors" or status != "matched":  # every matched mention: too many
                    marks += [Mark(s, e, f"{status} k-{kind}", id_) for s, e in ok]
                items.append({"id": id_, "kind": kind, "status": status, "head": head,
                              "located": bool(ok) or (kind == "actors" and status == "matched"),
                              "tip_title": f"{status} {kind[:-1]}", "fields": fields})
    return {"items": items, "counts": {k: sc.counts[k].as_dict() for k in KINDS}, "ok": sc.ok,
            "error": sc.error, "seconds": sc.seconds, "tokens": segments(text, marks),
            "bad": sum(sc.counts[k].fp + sc.counts[k].fn for k in KINDS),
            "groups": [(k, [it for it in items if it["kind"] == k])
                       for k in ("threats", "claims", "actors")]}


def report_html(result: RunResult) -> str:
    """The side-by-side table, an F1 bar chart, and every fixture's items marked in its text."""
    fixtures = _fixtures(result)
    rows = [[(c, _f1_class(c) if 3 <= j <= 5 else "") for j, c in enumerate(r)]
            for r in table_rows(result)]
    order = [s.fixture_id for s in next(iter(result.scores.values()), [])]
    views = []
    for fi, fid in enumerate(order):
        fx = fixtures.get(fid)
        pairs = []
        for pi, (key, scores) in enumerate(result.scores.items()):
            sc = next((s for s in scores if s.fixture_id == fid), None)
            if sc is not None:
                pairs.append({"key": key, **_pair_view(fx, sc, f"f{fi}p{pi}")})
        split = next((s.split for ss in result.scores.values() for s in ss
                      if s.fixture_id == fid), "")
        views.append({"id": fid, "split": split, "fixture": fx, "pairs": pairs})
    manifest_path = result.run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    return _env().get_template("report.html.j2").render(
        run=result.run_dir.name, manifest=manifest, header=HEADER, rows=rows,
        chart=_chart(result), fixtures=views, nonce=secrets.token_urlsafe(16),
        summaries=result.summaries)
