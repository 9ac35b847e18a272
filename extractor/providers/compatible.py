"""Any OpenAI-compatible server: Ollama, vLLM, llama.cpp's server, LM Studio, Azure's v1 API.

Local servers get JSON-schema mode, the one mode small open models follow reliably.
llama.cpp's server also takes a GBNF grammar, which a version's compact answers use.
"""

from __future__ import annotations

import os

import instructor
from pydantic import SecretStr

from ..errors import ConfigError
from . import Endpoint

DEFAULT_URLS = {
    "ollama": "http://127.0.0.1:11434/v1",
    "vllm": "http://127.0.0.1:8000/v1",
    "lmstudio": "http://127.0.0.1:1234/v1",
    "llamacpp": "http://127.0.0.1:8080/v1",
}
PREFIXES = ("compatible", *DEFAULT_URLS)


def endpoint(prefix: str, name: str, base_url: str | None, api_key: str | None) -> Endpoint:
    provider, model = prefix, name
    url = base_url or DEFAULT_URLS.get(provider)
    if not url:
        raise ConfigError(
            f"model '{prefix}/{name}' needs a base_url for its OpenAI-compatible server")
    key = api_key or os.environ.get("EXTRACTOR_API_KEY") or "not-needed"
    return Endpoint(
        label=f"{provider}/{model}",
        provider=provider,
        model=model,
        mode=instructor.Mode.JSON_SCHEMA,
        api_key=SecretStr(key),
        base_url=url,
        grammar=provider == "llamacpp",
    )
