"""The command line: output on stdout, one-line errors on stderr, exit codes."""

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from extractor.cli import app

ROOT = Path(__file__).parent.parent
runner = CliRunner()


def test_import_loads_no_llm_stack_or_model() -> None:
    code = ("import sys, extractor; "
            "print(sorted(m for m in ('openai', 'instructor', 'xllamacpp') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_schema_commands_print_json_schema() -> None:
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0
    schema = json.loads(res.stdout)
    assert schema["title"] == "Extraction" and "provenance" in schema["properties"]
    res = runner.invoke(app, ["schema", "--response", "threats"])
    assert res.exit_code == 0 and json.loads(res.stdout)["title"] == "ThreatsResponse"
    res = runner.invoke(app, ["schema", "--response", "nope"])
    assert res.exit_code == 2 and "unknown pass" in res.stderr


def test_prompts_list_and_show() -> None:
    res = runner.invoke(app, ["prompts", "list"])
    assert res.exit_code == 0 and "extract@1" in res.stdout and "naive@1" in res.stdout
    res = runner.invoke(app, ["prompts", "show", "extract@1"])
    assert res.exit_code == 0 and "passes: [actors, threats, claims]" in res.stdout
    res = runner.invoke(app, ["prompts", "show", "extract@99"])
    assert res.exit_code == 2 and "PromptNotFoundError" in res.stderr


def test_models_lists_local_models() -> None:
    res = runner.invoke(app, ["models"])
    assert res.exit_code == 0
    for name in ("qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b", "smollm2-135m"):
        assert f"local/{name}" in res.stdout


def test_eval_validate_passes_on_the_suite_and_fails_loudly_on_a_broken_fixture(
    tmp_path: Path,
) -> None:
    res = runner.invoke(app, ["eval", "validate", str(ROOT / "evals" / "fixtures")])
    assert res.exit_code == 0 and "fixtures valid" in res.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntext: Hello there.\nactors: []\nthreats:\n"
                   "  - {speaker: Nobody, quote: Hello there}\n")
    res = runner.invoke(app, ["eval", "validate", str(tmp_path)])
    assert res.exit_code == 2
    assert "bad.yaml" in res.stderr and "threats[0].speaker" in res.stderr


def test_extract_bad_input_is_a_one_line_error_with_exit_code_2(tmp_path: Path) -> None:
    res = runner.invoke(app, ["extract", str(tmp_path / "missing.txt")])
    assert res.exit_code == 2 and "no such file" in res.stderr
    res = runner.invoke(app, ["extract", "-"], input="   \n")
    assert res.exit_code == 2 and "empty" in res.stderr
    (tmp_path / "page.html").write_text("<html><body><p>Hi</p></body></html>")
    res = runner.invoke(app, ["extract", str(tmp_path / "page.html"), "-m", "local/smollm2-135m"])
    assert res.exit_code == 2 and "HTML" in res.stderr


def test_unknown_model_string_is_a_config_error() -> None:
    res = runner.invoke(app, ["extract", str(ROOT / "examples" / "seed-article.txt"),
                              "-m", "martian/xl"])
    assert res.exit_code == 2 and "unknown model" in res.stderr
