"""report.json and report.md for a run: the side-by-side table and per-fixture items."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .scoring import KINDS

if TYPE_CHECKING:
    from .fixtures import Fixture
    from .runner import RunResult


def _f1(summary: dict[str, Any], kind: str) -> str:
    s = summary[kind]
    lo, hi = s["f1_ci95"]
    return f"{s['f1']:.2f} [{lo:.2f}-{hi:.2f}]"


def table_rows(result: RunResult) -> list[list[str]]:
    """One row per pair and split: the side-by-side comparison."""
    rows = []
    for key, summ in result.summaries.items():
        for split in ("dev", "test", "all"):
            if split not in summ:
                continue
            s = summ[split]
            rows.append([
                key, split, str(s["fixtures"]), *(_f1(s, k) for k in KINDS),
                f"{s['grounded']:.0%}" if s["grounded"] is not None else "-",
                f"{s['quotes_verbatim']:.0%}" if s["quotes_verbatim"] is not None else "-",
                f"{s['schema_valid']:.0%}",
                f"{s['seconds_per_article']}" if s["seconds_per_article"] is not None else "-",
            ])
    return rows


HEADER = ["prompt, model", "split", "n", "actors F1 [95% CI]", "threats F1 [95% CI]",
          "claims F1 [95% CI]", "grounded", "quotes verbatim", "valid", "s/article"]


def markdown_table(result: RunResult) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |"
              for r in table_rows(result)]
    return "\n".join(lines)


def write_reports(result: RunResult, fixtures: dict[str, Fixture],
                  manifest: dict[str, Any]) -> None:
    per_fixture: dict[str, list[dict[str, Any]]] = {}
    for key, scores in result.scores.items():
        per_fixture[key] = [{
            "fixture": s.fixture_id, "split": s.split, "ok": s.ok, "error": s.error,
            "seconds": s.seconds,
            **{k: s.counts[k].as_dict() for k in KINDS},
            "items": s.items,
        } for s in scores]
    report = {"run": result.run_dir.name, "manifest": manifest,
              "summaries": result.summaries, "fixtures": per_fixture}
    (result.run_dir / "report.json").write_text(json.dumps(report, indent=1))
    md = [f"# Eval report {result.run_dir.name}", "",
          f"Fixtures: `{manifest['fixtures_dir']}` (split {manifest['split']})", "",
          markdown_table(result), ""]
    for key, summ in result.summaries.items():
        acc = summ["all"]["accuracy"]
        md += [f"## {key}", "", "Attribute accuracy on matched pairs: " + ", ".join(
            f"{k} {v:.2f}" for k, v in acc.items() if v is not None), ""]
        for f in summ["all"]["failed"]:
            md.append(f"- FAILED {f['fixture']}: {f['error']}")
        for fx in per_fixture[key]:
            md += ["", f"### {fx['fixture']} ({fx['split']})" + ("" if fx["ok"] else " FAILED"), ""]
            md.append(" / ".join(f"{k} P {fx[k]['precision']:.2f} R {fx[k]['recall']:.2f}"
                                 for k in KINDS))
            for kind in KINDS:
                items = fx["items"].get(kind, {})
                for label in ("missed", "spurious"):
                    for it in items.get(label, []):
                        md.append(f"- {kind} {label}: {str(it)[:160]}")
    (result.run_dir / "report.md").write_text("\n".join(md) + "\n")
