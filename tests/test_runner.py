"""Eval runs end to end over a scripted server: stored outputs, rescoring, reports, the
baseline gate (per split, gating on dev, from stored answers as CI runs it) and the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from extraction_server import valid_answer
from scripted_server import Action, ScriptedServer, answer, status
from typer.testing import CliRunner

from extractor.cli import app
from extractor.evals.baseline import (
    BaselineError,
    check_baseline,
    save_answers,
    save_baseline,
)
from extractor.evals.fixtures import load_fixture
from extractor.evals.gold import to_extraction
from extractor.evals.report import table_rows
from extractor.evals.runner import _slug, rescore, run
from extractor.prompts import get_prompt

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def script(body: dict) -> Action:  # type: ignore[type-arg]
    return answer(valid_answer(body))


@pytest.fixture()
def fixtures(tmp_path: Path) -> Path:
    d = tmp_path / "fixtures"
    d.mkdir()
    for fid in ("seed-nk-offensive-action", "legal-and-labour-threats"):
        for ext in ("yaml", "txt"):
            shutil.copy(ROOT / "evals" / "fixtures" / f"{fid}.{ext}", d)
    return d


def test_run_stores_outputs_rescoring_reproduces_and_a_failure_is_listed(
    tmp_path: Path, fixtures: Path
) -> None:
    calls = {"n": 0}

    def flaky(body: dict) -> Action:  # type: ignore[type-arg]
        calls["n"] += 1  # the second fixture's first pass fails for good
        return status(400, "bad request") if calls["n"] == 4 else script(body)

    with ScriptedServer() as server:
        server.set_script(flaky)
        result = run(fixtures, ["extract@1"], ["compatible/test"], runs_root=tmp_path / "runs",
                     extractor_options={"base_url": server.url, "api_key": "k"})
    key = "extract@1|compatible/test"
    summary = result.summaries[key]["all"]
    assert summary["fixtures"] == 2 and summary["schema_valid"] == 0.5
    assert [f["fixture"] for f in summary["failed"]] == ["seed-nk-offensive-action"]
    stored = sorted(p.name for p in result.run_dir.glob("*/*.json"))
    assert stored == ["legal-and-labour-threats.json", "seed-nk-offensive-action.json"]
    for name in ("manifest.json", "report.json", "report.md"):
        assert (result.run_dir / name).is_file()
    again = rescore(result.run_dir)
    assert again.summaries[key]["all"]["threats"] == summary["threats"]
    assert "seed-nk-offensive-action" in (result.run_dir / "report.md").read_text()


def test_baseline_gate_compares_per_split_and_gates_on_dev(tmp_path: Path, fixtures: Path) -> None:
    with ScriptedServer() as server:
        server.set_script(script)
        result = run(fixtures, ["extract@1"], ["compatible/test"], runs_root=tmp_path / "runs",
                     extractor_options={"base_url": server.url, "api_key": "k"})
    base = tmp_path / "baseline.json"
    save_baseline(result, base, command="test", duration_s=1.0, tolerance=0.05)
    data = json.loads(base.read_text())
    assert set(data["f1"]) == {"dev", "all"} and data["gate"] == "dev"
    assert data["fixtures"] == {"dev": ["legal-and-labour-threats", "seed-nk-offensive-action"]}
    assert check_baseline(result, base).passed
    # a drop on a split that does not gate is reported, and passes
    data["f1"]["test"] = {"actors": 1.0, "threats": 1.0, "claims": 1.0}
    data["f1"]["all"]["actors"] = 1.0
    base.write_text(json.dumps(data))
    checked = check_baseline(result, base)
    assert checked.passed and "test: not in this run (baseline only)" in checked.report
    assert any(r.startswith("all actors F1") and r.endswith("not gating") for r in checked.report)
    # the same drop on dev fails
    data["f1"]["dev"]["actors"] = min(1.0, data["f1"]["dev"]["actors"] + 0.2)
    base.write_text(json.dumps(data))
    checked = check_baseline(result, base)
    assert len(checked.failures) == 1 and checked.failures[0].startswith("dev actors F1")
    # another pair's baseline cannot be compared: an error, never a pass
    data["pair"] = "extract@10|local"
    base.write_text(json.dumps(data))
    with pytest.raises(BaselineError, match=r"extract@10\|local is not in this run"):
        check_baseline(result, base)


def test_cli_eval_json_shape_and_gate_exit_code(tmp_path: Path, fixtures: Path) -> None:
    base = tmp_path / "b.json"
    with ScriptedServer() as server:
        server.set_script(script)
        args = ["eval", "--fixtures", str(fixtures), "--runs-dir", str(tmp_path / "runs"),
                "-p", "extract@1", "-m", "compatible/test", "--base-url", server.url,
                "--baseline", str(base)]
        res = runner.invoke(app, [*args, "--json", "--save-baseline"])
        assert res.exit_code == 0, res.stderr
        out = json.loads(res.stdout)
        assert set(out) == {"actors", "threats", "claims"}
        assert set(out["threats"]) == {"precision", "recall", "f1"}
        data = json.loads(base.read_text())
        data["f1"]["dev"]["claims"] = 1.0
        data["tolerance"] = 0.0
        base.write_text(json.dumps(data))
        res = runner.invoke(app, [*args, "--check-baseline"])
        two = runner.invoke(app, [*args, "-p", "naive@1", "--json", "--split", "dev,test",
                                  "--split", "translated"])
        held_out = runner.invoke(app, [*args, "--split", "real"])
        unknown = runner.invoke(app, [*args, "--split", "dev,train"])
    assert held_out.exit_code == 2 and "for split real" in " ".join(held_out.stderr.split())
    assert unknown.exit_code == 2 and "unknown split train" in " ".join(unknown.stderr.split())
    manifests = [json.loads(p.read_text())
                 for p in sorted((tmp_path / "runs").glob("*/manifest.json"))]
    assert manifests[-1]["splits"] == ["dev", "test", "translated"]
    assert res.exit_code == 4 and "baseline check failed" in res.stderr
    assert set(json.loads(two.stdout)) == {"extract@1|compatible/test", "naive@1|compatible/test"}


def gold_run(root: Path, ids: dict[str, str], pair: str = "extract@99|local") -> Path:
    """A stored run whose answers are the gold (fixture id -> the split to give it)."""
    fdir = root / "fixtures"
    fdir.mkdir(parents=True)
    for fid, split in ids.items():
        shutil.copy(ROOT / "evals" / "fixtures" / f"{fid}.txt", fdir)
        body = (ROOT / "evals" / "fixtures" / f"{fid}.yaml").read_text()
        (fdir / f"{fid}.yaml").write_text(body.replace("\nsplit: dev\n", f"\nsplit: {split}\n")
                                          .replace("\nsplit: test\n", f"\nsplit: {split}\n"))
    run_dir = root / "runs" / "20260101T000000Z"
    (run_dir / _slug(pair)).mkdir(parents=True)
    prompt, _, model = pair.partition("|")
    (run_dir / "manifest.json").write_text(json.dumps({
        "fixtures_dir": str(fdir), "split": "all", "pairs": [
            {"key": pair, "prompt": prompt, "prompt_sha256": "ab" * 32, "model": model}]}))
    for fid in ids:
        fx = load_fixture(fdir / f"{fid}.yaml")
        rec = {"fixture": fid, "ok": True, "error": None, "seconds": 1.0,
               "extraction": to_extraction(fx).model_dump(mode="json")}
        (run_dir / _slug(pair) / f"{fid}.json").write_text(json.dumps(rec))
    return run_dir


def test_stored_answers_gate_the_baseline_without_a_model(tmp_path: Path) -> None:
    run_dir = gold_run(tmp_path / "src", {"seed-nk-offensive-action": "dev",
                                          "legal-and-labour-threats": "dev",
                                          "nested-reporting-chain": "test"})
    answers = tmp_path / "repo" / "evals" / "baselines" / "answers"
    assert save_answers(run_dir, answers) == ["extract@99|local"]
    stored = sorted(p.relative_to(answers).as_posix() for p in answers.rglob("*.json"))
    assert stored == ["extract@99_local/legal-and-labour-threats.json",
                      "extract@99_local/seed-nk-offensive-action.json", "manifest.json"]
    manifest = json.loads((answers / "manifest.json").read_text())
    assert manifest["splits"] == ["dev"] and not Path(manifest["fixtures_dir"]).is_absolute()
    base = tmp_path / "baseline.json"
    # the baseline of a whole run has every split; the answers hold only the gating one
    save_baseline(rescore(run_dir), base, command="test", duration_s=0.0)
    assert set(json.loads(base.read_text())["f1"]) == {"dev", "test", "all"}
    args = ["eval", "rescore", "--answers", str(answers), "--runs-dir", str(tmp_path / "runs"),
            "--baseline", str(base), "--check-baseline"]
    ok = runner.invoke(app, args)
    assert ok.exit_code == 0, ok.stderr
    assert "baseline check passed" in ok.stderr and "test: not in this run" in ok.stderr
    # the answers folder is read, never written: the report went to a new run folder
    assert not (answers / "report.json").exists()
    assert len(list((tmp_path / "runs").glob("*/report.json"))) == 1
    # a worse stored answer on dev fails the gate with exit code 4
    path = answers / "extract@99_local" / "seed-nk-offensive-action.json"
    rec = json.loads(path.read_text())
    rec["extraction"]["threats"] = []
    path.write_text(json.dumps(rec))
    bad = runner.invoke(app, args)
    assert bad.exit_code == 4 and "dev threats F1" in bad.stderr
    # the baseline's pair missing from the answers: exit 4 and a message naming the pair
    data = json.loads(base.read_text())
    data["pair"] = "extract@12|local"
    base.write_text(json.dumps(data))
    missing = runner.invoke(app, args)
    assert missing.exit_code == 4
    assert "extract@12|local is not in this run" in " ".join(missing.stderr.split())


def test_one_run_over_several_splits_reports_each_split_and_the_origins(tmp_path: Path) -> None:
    run_dir = gold_run(tmp_path, {"seed-nk-offensive-action": "dev",
                                  "nested-reporting-chain": "test",
                                  "legal-and-labour-threats": "translated",
                                  "cyber-extortion-hospital": "real"})
    result = rescore(run_dir)  # manifest split "all": the held-out real fixture is left out
    assert [r[1] for r in table_rows(result)] == ["dev", "test", "translated", "all"]
    assert result.summaries["extract@99|local"]["all"]["fixtures"] == 3
    md = (run_dir / "report.md").read_text()
    assert "| extract@99\\|local | translated |" in md
    assert "| threats | gold:fixture |" in md and "Evidence alignment:" in md
    report = json.loads((run_dir / "report.json").read_text())
    dev = report["summaries"]["extract@99|local"]["dev"]
    n_threats = len(load_fixture(run_dir.parent.parent / "fixtures" /
                                 "seed-nk-offensive-action.yaml").threats)
    assert dev["origins"]["threats"] == {"gold:fixture": {"matched": n_threats, "spurious": 0,
                                                          "precision": 1.0}}
    assert dev["origin_shares"]["matched"] == {"gold": 1.0}
    from extractor.render import report_html

    html = report_html(result)  # the HTML report lists the same origin counts
    assert 'data-kind="threats" data-origin="gold:fixture"><td>extract@99|local</td>' in html
    manifest = json.loads((run_dir / "manifest.json").read_text())
    manifest["split"] = "real"
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    assert [r[1] for r in table_rows(rescore(run_dir))] == ["real", "all"]


def test_a_rules_off_row_stands_beside_the_default_from_the_same_answers(
    tmp_path: Path, fixtures: Path
) -> None:
    with ScriptedServer() as server:
        server.set_script(script)
        result = run(fixtures, ["extract@1"], ["compatible/test"], runs_root=tmp_path / "runs",
                     split="dev", rule_sets=[None, ()],
                     extractor_options={"base_url": server.url, "api_key": "k"})
        asked = len(server.chat_requests)
    keys = list(result.summaries)
    assert keys == ["extract@1|compatible/test", "extract@1|compatible/test|rules=()"]
    pairs = json.loads((result.run_dir / "manifest.json").read_text())["pairs"]
    assert pairs[1]["rules"] == []
    assert [r[0] for r in table_rows(result)].count(keys[1]) == 2  # dev and all
    # the rules-off pair replayed the first pair's answers: one set of model calls
    assert asked == len(get_prompt("extract@1").passes) * 2  # each pass, for two fixtures
