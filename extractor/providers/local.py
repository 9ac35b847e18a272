"""The embedded models: llama.cpp in this process, on loopback, JSON-schema constrained."""

from __future__ import annotations

import os
from pathlib import Path

import instructor
from pydantic import SecretStr

from ..errors import ConfigError
from ..models import DEFAULT_LOCAL, LOCAL_MODELS, LocalServer, ServerSettings, model_path
from . import Endpoint

PREFIXES = ("local", "gguf")


def settings() -> ServerSettings:
    """Server settings, tunable by environment for benchmarks and bigger machines."""
    env = os.environ.get
    return ServerSettings(
        n_ctx=int(env("EXTRACTOR_LOCAL_CTX", "8192")),
        n_parallel=int(env("EXTRACTOR_LOCAL_PARALLEL", "1")),
        n_threads=int(env("EXTRACTOR_LOCAL_THREADS", "0")),
        cache_prompt=env("EXTRACTOR_LOCAL_CACHE_PROMPT", "1") != "0",
    )


def _serve(path_fn: object) -> str:
    assert callable(path_fn)
    return LocalServer.get(path_fn(), settings()).base_url


def endpoint(prefix: str, name: str, base_url: str | None, api_key: str | None) -> Endpoint:
    if base_url:
        raise ConfigError("local models run in-process; use a model name without base_url")
    if prefix == "gguf":
        path = Path(name).expanduser()
        if not path.is_file():
            raise ConfigError(f"GGUF file not found: {path}")
        label, get_path = f"gguf:{path.name}", (lambda: path)
    else:
        name = name or DEFAULT_LOCAL
        if name not in LOCAL_MODELS:
            raise ConfigError(f"unknown local model '{name}'; known: {', '.join(LOCAL_MODELS)}")
        label, get_path = f"local/{name}", (lambda: model_path(name))
    return Endpoint(
        label=label,
        provider="local",
        model=label,
        mode=instructor.Mode.JSON_SCHEMA,
        api_key=SecretStr("local"),
        connect_fn=lambda: _serve(get_path),
        defaults={"seed": 0},
        grammar=True,
    )
