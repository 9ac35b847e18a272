"""Eval runs: every prompt x model pair over the fixtures, stored so they can be re-scored.

A run folder holds manifest.json, one JSON per (pair, fixture) with the extraction or the
error, and report.json / report.md. One failing fixture never aborts a run. Each split in a
run is summarized on its own, and all of the run's fixtures together under "all".
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CacheMissError, ConfigError, ExtractorError
from ..schema import Extraction
from .fixtures import SPLITS, Fixture, load_fixtures, parse_splits
from .report import write_reports
from .scoring import FixtureScore, score_fixture
from .summary import summarize


def pair_key(prompt: str, model: str, rules: Sequence[str] | None = None) -> str:
    """'extract@10|local'; a rule set other than the prompt's own is part of the key
    ('extract@10|local|rules=()' for rules off), so both can stand in one run."""
    key = f"{prompt}|{model}"
    return key if rules is None else f"{key}|rules=({','.join(rules)})"


def parse_rule_set(spec: str) -> tuple[str, ...] | None:
    """'default' -> the prompt's own rules (None); 'none' or '()' -> no rules; 'a,b' -> (a, b)."""
    spec = spec.strip()
    if spec == "default":
        return None
    if spec in ("none", "()", ""):
        return ()
    return tuple(r.strip() for r in spec.strip("()").split(",") if r.strip())


def _slug(key: str) -> str:
    return re.sub(r"[^\w.@-]+", "_", key)


@dataclass
class RunResult:
    run_dir: Path
    summaries: dict[str, dict[str, Any]]
    scores: dict[str, list[FixtureScore]]
    fixtures: dict[str, Fixture] = field(default_factory=dict)  # id -> fixture, for HTML views


def new_run_dir(root: Path) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    run_dir = root / stamp
    n = 1
    while run_dir.exists():
        n += 1
        run_dir = root / f"{stamp}-{n}"
    run_dir.mkdir(parents=True)
    return run_dir


def run(
    fixtures_dir: Path,
    prompts: Sequence[str],
    models: Sequence[str],
    *,
    split: str | Iterable[str] = "all",
    runs_root: Path = Path("evals/runs"),
    cache: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
    extractor_options: dict[str, Any] | None = None,
    rule_sets: Sequence[tuple[str, ...] | None] = (None,),
) -> RunResult:
    """Extract every fixture with every pair, store outputs, score, write reports.

    Each of `rule_sets` (None: the prompt version's own rules; (): rules off) is a pair of its
    own, so one run gives the rules-off row beside the default one, from the same answers.
    """
    from ..pipeline import Extractor

    splits = parse_splits(split)
    fixtures = load_fixtures(fixtures_dir, splits)
    if not fixtures:
        raise ConfigError(f"no fixtures in {fixtures_dir} for split {','.join(splits)}")
    run_dir = new_run_dir(runs_root)
    pairs: list[dict[str, Any]] = []
    manifest: dict[str, Any] = {
        "fixtures_dir": str(Path(fixtures_dir).resolve()),
        "split": ",".join(splits),
        "splits": list(splits),
        "prompts": list(prompts),
        "models": list(models),
        "started": dt.datetime.now(dt.UTC).isoformat(),
        "pairs": pairs,
    }
    total = len(prompts) * len(models) * len(rule_sets) * len(fixtures)
    done = 0
    for model, prompt, rules in itertools.product(models, prompts, rule_sets):
        ex = Extractor(model, prompt, cache=cache, rules=rules, **(extractor_options or {}))
        key = pair_key(ex.prompt.ref, ex.model, rules)
        pairs.append({"key": key, "prompt": ex.prompt.ref, "prompt_sha256": ex.prompt.sha256,
                      "model": ex.model, "rules": list(ex.rules)})
        pair_dir = run_dir / _slug(key)
        pair_dir.mkdir()
        for fx in fixtures:
            if progress:
                progress(f"{key} {fx.id}", done, total)
            record = _extract_one(ex, fx)
            (pair_dir / f"{fx.id}.json").write_text(json.dumps(record, indent=1))
            done += 1
    if progress:
        progress("scoring", done, total)
    manifest["finished"] = dt.datetime.now(dt.UTC).isoformat()
    (run_dir / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return rescore(run_dir)


def _extract_one(ex: Any, fx: Fixture) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result: Extraction = ex.extract(fx.text, source=fx.id)
        return {"fixture": fx.id, "ok": True, "error": None,
                "seconds": round(time.perf_counter() - started, 2),
                "model_seconds": result.provenance.usage.model_seconds,
                "extraction": result.model_dump(mode="json")}
    except CacheMissError:
        raise  # a cache-only run must not score a fixture it could not replay
    except ExtractorError as e:  # counted as all misses, listed, and the run goes on
        return {"fixture": fx.id, "ok": False, "error": f"{type(e).__name__}: {e}",
                "seconds": round(time.perf_counter() - started, 2), "extraction": None}


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not path.is_file():
        raise ConfigError(f"{folder} is not a run or answers folder (no manifest.json)")
    manifest: dict[str, Any] = json.loads(path.read_text())
    return manifest


def manifest_fixtures_dir(folder: Path, manifest: dict[str, Any]) -> Path:
    """The fixture folder a manifest names; a relative one is relative to the manifest."""
    fdir = Path(manifest["fixtures_dir"])
    return fdir if fdir.is_absolute() else (folder / fdir).resolve()


def rescore(run_dir: Path, fixtures_dir: Path | None = None) -> RunResult:
    """Score a stored run again, without calling any model.

    The answers are read from the run folder, or from the folder its manifest names as
    `answers_dir` (a run scored from stored answers); reports are written to the run folder.
    """
    manifest = read_manifest(run_dir)
    records = Path(manifest.get("answers_dir") or run_dir)
    splits = parse_splits(manifest.get("splits") or manifest.get("split"))
    fixtures = {f.id: f for f in load_fixtures(
        fixtures_dir or manifest_fixtures_dir(run_dir, manifest), splits)}
    summaries: dict[str, dict[str, Any]] = {}
    scores: dict[str, list[FixtureScore]] = {}
    for pair in manifest["pairs"]:
        key = pair["key"]
        pair_scores = []
        for fid, fx in fixtures.items():
            path = records / _slug(key) / f"{fid}.json"
            if not path.is_file():
                pair_scores.append(score_fixture(fx, None, error="no stored output"))
                continue
            rec = json.loads(path.read_text())
            ext = Extraction.model_validate(rec["extraction"]) if rec["ok"] else None
            sc = score_fixture(fx, ext, error=rec.get("error"))
            # model time survives cache replays; wall time is the fallback for old records
            seconds = rec.get("model_seconds") or rec.get("seconds")
            sc.seconds = round(seconds, 1) if seconds is not None else None
            pair_scores.append(sc)
        scores[key] = pair_scores
        summaries[key] = {"pair": pair, "all": summarize(pair_scores)}
        for split in SPLITS:
            part = [s for s in pair_scores if s.split == split]
            if part:
                summaries[key][split] = summarize(part)
    result = RunResult(run_dir, summaries, scores, fixtures)
    write_reports(result, fixtures, manifest)
    return result


def headline(summary: dict[str, Any]) -> dict[str, dict[str, float]]:
    """The `--json` shape: micro precision/recall/F1 per kind."""
    return {k: {m: summary[k][m] for m in ("precision", "recall", "f1")}
            for k in ("actors", "threats", "claims")}
