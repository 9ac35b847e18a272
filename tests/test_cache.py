"""The response cache is content-addressed: the same model-facing text replays, a change
that the model would see does not."""

from __future__ import annotations

from pathlib import Path

from extraction_server import valid_answer
from scripted_server import Action, ScriptedServer, answer

from extractor import Extractor
from extractor.cache import ResponseCache
from extractor.llm import RetryPolicy
from extractor.prompts import _discover, get_prompt

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Kessel warns Marovia\nAdmiral Lena Varga said her ships would close the strait.\n"
POLICY = RetryPolicy(attempts=2, backoff=0.01, timeout=5.0, reasks=1)


def script(body: dict) -> Action:  # type: ignore[type-arg]
    return answer(valid_answer(body))


def version(tmp_path: Path, number: int, edit: tuple[str, str] | None = None) -> Path:
    body = (ROOT / "prompts/extract/v1.yaml").read_text().replace("version: 1",
                                                                 f"version: {number}")
    body = body.replace("changelog: first release", f"changelog: {number}")
    if edit:
        assert edit[0] in body
        body = body.replace(*edit)
    path = tmp_path / "prompts" / "extract" / f"v{number}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body)
    _discover.cache_clear()
    return tmp_path / "prompts"


def test_versions_with_the_same_model_text_share_answers_and_others_do_not(
    tmp_path: Path,
) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite")
    prompts = version(tmp_path, 71)
    version(tmp_path, 72, ("Copy every quote exactly", "Copy each quote exactly"))
    with ScriptedServer() as server:
        server.set_script(script)

        def run(ref: str) -> int:
            before = len(server.chat_requests)
            ex = Extractor("compatible/test", get_prompt(ref, extra=[prompts]),
                           base_url=server.url, api_key="k", cache=cache, policy=POLICY)
            result = ex.extract(TEXT)
            assert result.provenance.prompt_version == int(ref.split("@")[1])
            return len(server.chat_requests) - before

        assert run("extract@71") == 3
        assert run("extract@71") == 0  # warm
        assert run("extract@1") == 0  # same model-facing text, other metadata
        assert run("extract@72") == 3  # the system text changed
    assert len(cache) == 6


def test_truncated_flag_round_trips_and_rows_without_it_are_whole(tmp_path: Path) -> None:
    """The flag rides in the usage JSON, so a cache file stays readable and writable by a
    release that does not know it (no schema change)."""
    import sqlite3

    cache = ResponseCache(tmp_path / "c.sqlite")
    cache.put("cut", '{"actors": []}', {"prompt_tokens": 3}, truncated=True)
    cache.put("whole", '{"actors": []}', {"prompt_tokens": 4})
    with sqlite3.connect(tmp_path / "c.sqlite") as db:  # as the first release wrote rows
        db.execute("INSERT INTO responses VALUES ('old', '', '', '{}', ?, 0)",
                   ('{"prompt_tokens": 5}',))
    cut, whole, old = cache.get("cut"), cache.get("whole"), cache.get("old")
    assert cut is not None and cut.truncated and cut.usage == {"prompt_tokens": 3}
    assert whole is not None and not whole.truncated and whole.usage == {"prompt_tokens": 4}
    assert old is not None and not old.truncated and old.usage == {"prompt_tokens": 5}
    cache.put("cut", '{"actors": []}', {"prompt_tokens": 6})  # asked again, whole this time
    again = cache.get("cut")
    assert again is not None and not again.truncated
