"""The baseline gate, and the stored answers that let CI run it without a model.

A baseline records one prompt x model pair's headline F1s per split and the fixture ids of
each split. The gate compares every split the run has, and fails only on the `dev` split
(the one prompts are tuned on, so a drop there is a regression, not noise from a split nobody
tunes on). A gate that cannot compare (the pair is not in the run, the run has no `dev`
fixtures) is an error, never a silent pass.

Stored answers are a run folder's raw records for chosen splits and pairs, with a manifest
whose fixture path is relative to it, so `evals/baselines/answers` can be committed and
re-scored anywhere: a scorer or fixture change that moves `dev` fails CI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError, ExtractorError
from .fixtures import SPLITS, load_fixtures, parse_splits
from .runner import (
    RunResult,
    _slug,
    manifest_fixtures_dir,
    new_run_dir,
    read_manifest,
    rescore,
)
from .scoring import KINDS

GATE_SPLIT = "dev"
DEFAULT_TOLERANCE = 0.05


class BaselineError(ExtractorError):
    """The baseline gate cannot compare this run with its baseline (exit code 4)."""


@dataclass
class GateResult:
    failures: list[str] = field(default_factory=list)  # gating: dev F1 drops, changed dev set
    report: list[str] = field(default_factory=list)  # every split's comparison, for the log

    @property
    def passed(self) -> bool:
        return not self.failures


def save_baseline(result: RunResult, path: Path, *, command: str, duration_s: float,
                  tolerance: float = DEFAULT_TOLERANCE, pair: str | None = None) -> str:
    """Store one pair's headline F1s and fixture ids per split; returns the pair's key."""
    key = pair or next(iter(result.summaries))
    if key not in result.summaries:
        raise ConfigError(f"pair {key} is not in run {result.run_dir.name}")
    summary = result.summaries[key]
    splits = [s for s in (*SPLITS, "all") if s in summary]
    data = {
        "pair": key,
        "prompt_sha256": summary["pair"].get("prompt_sha256"),
        "gate": GATE_SPLIT,
        "tolerance": tolerance,
        "command": command,
        "duration_s": round(duration_s, 1),
        "run": result.run_dir.name,
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "f1": {s: {k: summary[s][k]["f1"] for k in KINDS} for s in splits},
        "fixtures": {s: sorted(sc.fixture_id for sc in result.scores[key] if sc.split == s)
                     for s in splits if s != "all"},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n")
    return key


def check_baseline(result: RunResult, path: Path) -> GateResult:
    """Compare per split; F1 drops beyond the tolerance fail only on the gate split."""
    if not path.is_file():
        raise BaselineError(f"no baseline at {path}: save one with --save-baseline")
    base = json.loads(path.read_text())
    key, gate, tol = base["pair"], base.get("gate", GATE_SPLIT), base["tolerance"]
    summary = result.summaries.get(key)
    if summary is None:
        prompt, _, rest = key.partition("|")
        model, _, rules = rest.partition("|")
        how = f"-p {prompt} -m {model}"
        if rules.startswith("rules=("):  # see runner.pair_key
            how += f" --rules '{rules[7:-1] or 'none'}'"
        raise BaselineError(
            f"the baseline's prompt x model pair {key} is not in this run (it has "
            f"{', '.join(result.summaries) or 'no pairs'}): run it with {how}, or save a new "
            "baseline for this run's pair with --save-baseline")
    if gate not in summary:
        raise BaselineError(f"the baseline gates on split {gate}, and this run has no {gate} "
                            f"fixtures: run with --split {gate} (or all)")
    out = GateResult()
    sha = summary["pair"].get("prompt_sha256")
    if base.get("prompt_sha256") and sha and sha != base["prompt_sha256"]:
        out.failures.append(f"prompt {summary['pair'].get('prompt')} changed since the baseline "
                            f"(sha256 {sha[:12]} != {base['prompt_sha256'][:12]}): a prompt "
                            "version is immutable; add a new version and save a new baseline")
    want = base.get("fixtures", {}).get(gate)
    if want is not None:
        have = sorted(s.fixture_id for s in result.scores[key] if s.split == gate)
        if have != sorted(want):
            missing, new = sorted(set(want) - set(have)), sorted(set(have) - set(want))
            out.failures.append(f"{gate} fixtures differ from the baseline's (missing: "
                                f"{', '.join(missing) or '-'}; new: {', '.join(new) or '-'}):"
                                " save a new baseline")
    for split, ref in base["f1"].items():
        gating = split == gate
        if split not in summary:
            out.report.append(f"{split}: not in this run (baseline only)")
            continue
        for kind, was in ref.items():
            now = summary[split][kind]["f1"]
            line = f"{split} {kind} F1 {now:.3f} (baseline {was:.3f}, {now - was:+.3f})"
            if now < was - tol:
                line += f": below the tolerance of {tol}" + ("" if gating else ", not gating")
                if gating:
                    out.failures.append(line)
            out.report.append(line)
    return out


def save_answers(run_dir: Path, dest: Path, *, splits: str | Iterable[str] = GATE_SPLIT,
                 pairs: Sequence[str] = ()) -> list[str]:
    """Copy a run's raw answers for `splits` (and `pairs`, default all) into `dest`.

    Each pair's folder in `dest` is replaced whole, so it never mixes two runs' answers.
    Returns the pair keys saved.
    """
    manifest = read_manifest(run_dir)
    if manifest.get("answers_dir"):
        run_dir = Path(manifest["answers_dir"])  # a run scored from answers: copy those
    chosen = parse_splits(splits)
    fdir = manifest_fixtures_dir(run_dir, manifest)
    fixtures = load_fixtures(fdir, chosen)
    if not fixtures:
        raise ConfigError(f"no {','.join(chosen)} fixtures in {fdir}")
    known = {p["key"]: p for p in manifest["pairs"]}
    unknown = [k for k in pairs if k not in known]
    if unknown:
        raise ConfigError(f"run {run_dir.name} has no pair {', '.join(unknown)} (it has "
                          f"{', '.join(known)})")
    keys = list(pairs) or list(known)
    for key in keys:  # check everything before writing anything
        for fx in fixtures:
            if not (run_dir / _slug(key) / f"{fx.id}.json").is_file():
                raise ConfigError(f"run {run_dir.name} has no answer for {fx.id} under {key}")
    dest.mkdir(parents=True, exist_ok=True)
    old = read_manifest(dest) if (dest / "manifest.json").is_file() else None
    kept = [p for p in (old or {}).get("pairs", []) if p["key"] not in keys]
    if kept and old is not None and parse_splits(old.get("splits")) != chosen:
        raise ConfigError(f"{dest} holds answers for split {old.get('split')}: save the same "
                          "splits, or into another folder")
    for key in keys:
        folder = dest / _slug(key)
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        for fx in fixtures:
            shutil.copyfile(run_dir / _slug(key) / f"{fx.id}.json", folder / f"{fx.id}.json")
    out = {"answers": True, "fixtures_dir": os.path.relpath(fdir, dest.resolve()),
           "split": ",".join(chosen), "splits": list(chosen),
           "pairs": kept + [known[k] for k in keys], "source_run": run_dir.name,
           "saved": dt.datetime.now(dt.UTC).isoformat()}
    (dest / "manifest.json").write_text(json.dumps(out, indent=1) + "\n")
    return keys


def score_answers(answers: Path, runs_root: Path, fixtures_dir: Path | None = None) -> RunResult:
    """Score stored answers into a new run folder (reports there; `answers` is not touched)."""
    manifest = read_manifest(answers)
    run_dir = new_run_dir(runs_root)
    manifest = {**manifest, "answers_dir": str(answers.resolve()),
                "fixtures_dir": str(fixtures_dir or manifest_fixtures_dir(answers, manifest)),
                "started": dt.datetime.now(dt.UTC).isoformat()}
    (run_dir / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return rescore(run_dir)
