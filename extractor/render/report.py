"""The eval run's report: the side-by-side table, an F1 chart, every fixture's items marked."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..evals.report import HEADER, table_rows
from ..evals.scoring import KINDS
from .base import env
from .extraction import Mark, segments

if TYPE_CHECKING:
    from ..evals.fixtures import Fixture
    from ..evals.runner import RunResult

PAIR_COLOURS = ["#3366cc", "#dc7f1c", "#2a9d6f", "#9c4fb8", "#c43c5c", "#5f7d8c", "#b59b1a"]

def _fixtures(result: RunResult) -> dict[str, Fixture]:
    if getattr(result, "fixtures", None):
        return result.fixtures
    from ..evals.fixtures import load_fixtures

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
    return env().get_template("report.html.j2").render(
        run=result.run_dir.name, manifest=manifest, header=HEADER, rows=rows,
        chart=_chart(result), fixtures=views, nonce=secrets.token_urlsafe(16),
        summaries=result.summaries)
