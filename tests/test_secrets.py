"""A planted API key never reaches logs, errors, the response cache, run folders or reports,
and nothing is written outside the chosen output and cache folders."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from extraction_server import valid_answer
from scripted_server import Action, ScriptedServer, answer, status

from extractor import Extractor, ProviderError
from extractor.evals.runner import run
from extractor.llm import RetryPolicy

KEY = "sk-planted-SECRET-4242"
POLICY = RetryPolicy(attempts=2, backoff=0.01, timeout=5.0, reasks=1)
FIXTURE = """id: tiny
split: dev
text: |-
  Marovia threatens Kessel
  Admiral Lena Varga said her ships would close the strait if Kessel deploys missiles.
  Kessel said it would defend itself.
actors:
  - {name: Lena Varga, type: person, aliases: [Varga]}
  - {name: Kessel, type: state}
threats:
  - {speaker: Lena Varga, quote: her ships would close the strait, category: military_force,
     conditional: true, targets: [Kessel]}
claims: []
"""


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_key_is_absent_from_run_folder_reports_cache_and_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(cache_dir))
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "tiny.yaml").write_text(FIXTURE)
    runs = tmp_path / "runs"
    cwd_before = set(os.listdir(Path.cwd()))

    def script(body: dict) -> Action:  # type: ignore[type-arg]
        return answer(valid_answer(body))

    with ScriptedServer() as server:
        server.set_script(script)
        result = run(fixtures, ["extract@1"], ["compatible/test"], runs_root=runs, cache=True,
                     extractor_options={"base_url": server.url, "api_key": KEY,
                                        "policy": POLICY})
        assert all(r.headers.get("authorization") == f"Bearer {KEY}"
                   for r in server.chat_requests)
    assert result.summaries  # the run really happened and was scored
    written = files_under(runs) + files_under(cache_dir)
    assert any(p.name == "report.json" for p in written)
    assert any(p.name.startswith("responses.sqlite") for p in written)
    for path in written:
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in caplog.text
    assert set(os.listdir(Path.cwd())) == cwd_before  # nothing written beside the user's files


def test_key_echoed_by_a_failing_server_stays_out_of_errors_and_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with ScriptedServer() as server:
        server.set_script(lambda body: status(500, f"upstream rejected key {KEY}"))
        ex = Extractor("compatible/test", "extract@1", base_url=server.url, api_key=KEY,
                       policy=POLICY)
        with pytest.raises(ProviderError) as info:
            ex.extract("Admiral Varga said her ships would close the strait.")
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert KEY not in repr(ex) and KEY not in repr(ex.llm) and KEY not in repr(ex.endpoint)
    assert KEY not in caplog.text


def test_key_scrubbing_leaves_process_logging_state_alone() -> None:
    """Scrubbing is a filter on the client libraries' own loggers: the record factory and the
    application's loggers are untouched, and a key still never reaches a library's record."""
    factory = logging.getLogRecordFactory()
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        with ScriptedServer() as server:
            server.set_script(lambda body: status(500, f"upstream rejected key {KEY}"))
            ex = Extractor("compatible/test", "extract@1", base_url=server.url, api_key=KEY,
                           policy=POLICY)
            with pytest.raises(ProviderError):
                ex.extract("Admiral Varga said her ships would close the strait.")
        for name in ("openai._base_client", "httpx2", "httpcore2.http11", "aiohttp.client",
                     "instructor"):
            logging.getLogger(name).warning("echoed %s", KEY)
        try:
            raise RuntimeError(f"boom {KEY}")
        except RuntimeError:
            logging.getLogger("openai").exception("failed")
        logging.getLogger("myapp").warning("mine %s", KEY)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    assert logging.getLogRecordFactory() is factory
    library = [r for r in records if r.name != "myapp"]
    assert len(library) >= 6
    for record in library:
        text = record.getMessage() + (record.exc_text or "")
        assert KEY not in text, (record.name, text)
    assert "***" in library[-1].exc_text  # type: ignore[operator]
    mine = [r for r in records if r.name == "myapp"]
    assert [r.getMessage() for r in mine] == [f"mine {KEY}"]  # the application's own logger
