"""Shared fixtures: an isolated cache dir and environment for every test, a scripted server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scripted_server import ScriptedServer

_ENV = ("EXTRACTOR_MODEL", "EXTRACTOR_BASE_URL", "EXTRACTOR_API_KEY", "EXTRACTOR_PROMPT",
        "EXTRACTOR_PROMPTS_DIR", "OPENAI_API_KEY")


@pytest.fixture(autouse=True)
def _isolated_env(request: pytest.FixtureRequest, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own cache dir and no model/endpoint settings from the environment.

    Tests marked `model` keep the real cache dir: it holds the joined GGUF (1 GB, 15 s to
    rebuild), and they give their response cache an explicit path anyway.
    """
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    if request.node.get_closest_marker("model") is None:
        monkeypatch.setenv("EXTRACTOR_CACHE_DIR", str(tmp_path / "extractor-cache"))


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    """A started scripted server with an empty script; set one with `scripted.set_script`."""
    with ScriptedServer() as server:
        yield server
