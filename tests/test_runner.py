"""Eval runs end to end over a scripted server: stored outputs, rescoring, reports, the
baseline gate and the CLI's --json shape."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from extraction_server import valid_answer
from scripted_server import Action, ScriptedServer, answer, status
from typer.testing import CliRunner

from extractor.cli import app
from extractor.evals.runner import check_baseline, rescore, run, save_baseline

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


def test_baseline_gate_passes_at_and_fails_below_tolerance(tmp_path: Path, fixtures: Path) -> None:
    with ScriptedServer() as server:
        server.set_script(script)
        result = run(fixtures, ["extract@1"], ["compatible/test"], runs_root=tmp_path / "runs",
                     extractor_options={"base_url": server.url, "api_key": "k"})
    base = tmp_path / "baseline.json"
    save_baseline(result, base, command="test", duration_s=1.0, tolerance=0.05)
    assert check_baseline(result, base) == []
    data = json.loads(base.read_text())
    data["f1"]["all"]["actors"] = min(1.0, data["f1"]["all"]["actors"] + 0.2)
    base.write_text(json.dumps(data))
    failures = check_baseline(result, base)
    assert len(failures) == 1 and failures[0].startswith("actors F1")


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
        data["f1"]["all"]["claims"] = 1.0
        data["tolerance"] = 0.0
        base.write_text(json.dumps(data))
        res = runner.invoke(app, [*args, "--check-baseline"])
        two = runner.invoke(app, [*args, "-p", "naive@1", "--json"])
    assert res.exit_code == 4 and "baseline check failed" in res.stderr
    assert set(json.loads(two.stdout)) == {"extract@1|compatible/test", "naive@1|compatible/test"}
