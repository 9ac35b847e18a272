"""Model strings -> endpoints. A provider is one module in this package.

Syntax: `PROVIDER/MODEL` (`local/qwen2.5-coder-0.5b`, `openai/gpt-4.1-mini`,
`ollama/llama3.1`), `gguf:PATH` for any local GGUF file, or any model name together with a
`base_url` for an OpenAI-compatible server. `local` alone is the embedded default model.
Each provider module defines PREFIXES and
`endpoint(prefix, name, base_url, api_key) -> Endpoint`.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

import instructor
from pydantic import SecretStr

from ..errors import ConfigError

DEFAULT_MODEL = "local"


@dataclass
class Endpoint:
    """Where and how to call a model; `connect()` returns the base URL, starting a local
    server when the provider runs one."""

    label: str
    provider: str
    model: str
    mode: instructor.Mode
    api_key: SecretStr = field(repr=False)
    base_url: str | None = None
    connect_fn: Callable[[], str] | None = field(default=None, repr=False)
    defaults: dict[str, float | int] = field(default_factory=dict)
    grammar: bool = False  # takes a GBNF `grammar` in place of the JSON schema (llama.cpp)

    def connect(self) -> str:
        if self.base_url is None:
            if self.connect_fn is None:
                raise ConfigError(f"no base_url for model '{self.label}'")
            self.base_url = self.connect_fn()
        return self.base_url


def _modules() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for prefix in getattr(mod, "PREFIXES", ()):
            found[prefix] = mod
    return found


def resolve(model: str | None = None, *, base_url: str | None = None,
            api_key: str | None = None) -> Endpoint:
    """Endpoint for a model string; arguments win over EXTRACTOR_MODEL / EXTRACTOR_BASE_URL."""
    spec = (model or os.environ.get("EXTRACTOR_MODEL") or DEFAULT_MODEL).strip()
    base_url = base_url or os.environ.get("EXTRACTOR_BASE_URL") or None
    modules = _modules()
    if spec.startswith("gguf:"):
        return modules["gguf"].endpoint("gguf", spec[5:], base_url, api_key)
    prefix, _, name = spec.partition("/")
    if prefix in modules and (name or prefix == "local"):
        return modules[prefix].endpoint(prefix, name, base_url, api_key)
    if base_url:
        return modules["compatible"].endpoint("compatible", spec, base_url, api_key)
    raise ConfigError(
        f"unknown model '{spec}': use one of {', '.join(sorted(p + '/MODEL' for p in modules))}, "
        "gguf:PATH, or give base_url for an OpenAI-compatible server"
    )
