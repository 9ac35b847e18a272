"""report.json and report.md for a run: the side-by-side table and per-fixture items.

The table has one row per pair and split (and "all": every fixture of the run), with the
evidence alignment shares and the origin families of matched items beside the F1s; report.md
then lists, per pair, matched and spurious counts by origin and by changing rule, per kind.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .fixtures import SPLITS
from .origins import ALIGNMENTS
from .scoring import KINDS

if TYPE_CHECKING:
    from .fixtures import Fixture
    from .runner import RunResult


def _f1(summary: dict[str, Any], kind: str) -> str:
    s = summary[kind]
    lo, hi = s["f1_ci95"]
    return f"{s['f1']:.2f} [{lo:.2f}-{hi:.2f}]"


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.0%}"


def alignment_cell(summary: dict[str, Any]) -> str:
    """'exact / normalized / fuzzy' shares of threat and claim evidence."""
    a = summary.get("alignment", {}).get("all")
    if not a or not a["n"]:
        return "-"
    return " / ".join(_pct(a[k]) for k in ALIGNMENTS[:3])


def origin_cell(summary: dict[str, Any]) -> str:
    """Origin families of matched items, all kinds: 'model 70% · linguistics 30%'."""
    shares = summary.get("origin_shares", {}).get("matched") or {}
    return " · ".join(f"{k} {_pct(v)}" for k, v in shares.items()) or "-"


def table_rows(result: RunResult) -> list[list[str]]:
    """One row per pair and split (then "all"): the side-by-side comparison."""
    rows = []
    for key, summ in result.summaries.items():
        for split in (*SPLITS, "all"):
            if split not in summ:
                continue
            s = summ[split]
            rows.append([
                key, split, str(s["fixtures"]), *(_f1(s, k) for k in KINDS),
                f"{s['grounded']:.0%}" if s["grounded"] is not None else "-",
                f"{s['quotes_verbatim']:.0%}" if s["quotes_verbatim"] is not None else "-",
                f"{s['schema_valid']:.0%}",
                f"{s['seconds_per_article']}" if s["seconds_per_article"] is not None else "-",
                alignment_cell(s), origin_cell(s),
            ])
    return rows


HEADER = ["prompt, model", "split", "n", "actors F1 [95% CI]", "threats F1 [95% CI]",
          "claims F1 [95% CI]", "grounded", "quotes verbatim", "valid", "s/article",
          "evidence exact / normalized / fuzzy", "matched by origin"]


def markdown_table(result: RunResult) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |"
              for r in table_rows(result)]
    return "\n".join(lines)


def origin_lines(summary: dict[str, Any]) -> list[str]:
    """Markdown tables: matched and spurious items by origin, and by changing rule, per kind."""
    md = []
    for title, field in (("Items by origin", "origins"), ("Items changed by", "changed_by")):
        rows = [(kind, key, row) for kind in KINDS
                for key, row in summary.get(field, {}).get(kind, {}).items()]
        if not rows:
            continue
        md += [f"{title} (all fixtures):", "",
               "| kind | " + ("origin" if field == "origins" else "stage or rule")
               + " | matched | spurious | precision |", "|---|---|---|---|---|"]
        md += [f"| {kind} | {key} | {row['matched']} | {row['spurious']} | "
               f"{'-' if row['precision'] is None else format(row['precision'], '.2f')} |"
               for kind, key, row in rows]
        md.append("")
    al = summary.get("alignment", {})
    if al:
        md += ["Evidence alignment: " + "; ".join(
            f"{kind} (n {a['n']}) " + ", ".join(f"{k} {_pct(a[k])}" for k in ALIGNMENTS)
            for kind, a in al.items() if a["n"]), ""]
    return md


def write_reports(result: RunResult, fixtures: dict[str, Fixture],
                  manifest: dict[str, Any]) -> None:
    per_fixture: dict[str, list[dict[str, Any]]] = {}
    for key, scores in result.scores.items():
        per_fixture[key] = [{
            "fixture": s.fixture_id, "split": s.split, "ok": s.ok, "error": s.error,
            "seconds": s.seconds,
            **{k: s.counts[k].as_dict() for k in KINDS},
            "origins": s.origins, "changed_by": s.changed_by, "alignments": s.alignments,
            "items": s.items,
        } for s in scores]
    report = {"run": result.run_dir.name, "manifest": manifest,
              "summaries": result.summaries, "fixtures": per_fixture}
    (result.run_dir / "report.json").write_text(json.dumps(report, indent=1))
    md = [f"# Eval report {result.run_dir.name}", "",
          f"Fixtures: `{manifest['fixtures_dir']}` (split {manifest['split']})"
          + (f", answers from `{manifest['answers_dir']}`" if manifest.get("answers_dir") else ""),
          "",
          markdown_table(result), ""]
    for key, summ in result.summaries.items():
        acc = summ["all"]["accuracy"]
        md += [f"## {key}", "", "Attribute accuracy on matched pairs: " + ", ".join(
            f"{k} {v:.2f}" for k, v in acc.items() if v is not None), ""]
        md += origin_lines(summ["all"])
        for f in summ["all"]["failed"]:
            md.append(f"- FAILED {f['fixture']}: {f['error']}")
        for fx in per_fixture[key]:
            md += ["", f"### {fx['fixture']} ({fx['split']})" + ("" if fx["ok"] else " FAILED"), ""]
            md.append(" / ".join(f"{k} P {fx[k]['precision']:.2f} R {fx[k]['recall']:.2f}"
                                 for k in KINDS))
            for kind in KINDS:
                items = fx["items"].get(kind, {})
                for it in items.get("missed", []):
                    md.append(f"- {kind} missed: {str(it)[:160]}")
                for it, origin in zip(items.get("spurious", []),
                                      items.get("spurious_origins", []), strict=False):
                    md.append(f"- {kind} spurious ({origin}): {str(it)[:160]}")
    (result.run_dir / "report.md").write_text("\n".join(md) + "\n")
