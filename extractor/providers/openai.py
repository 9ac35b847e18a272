"""OpenAI's hosted API; the key comes from the argument or OPENAI_API_KEY."""

from __future__ import annotations

import os

import instructor
from pydantic import SecretStr

from ..errors import ConfigError
from . import Endpoint

PREFIXES = ("openai",)


def endpoint(prefix: str, name: str, base_url: str | None, api_key: str | None) -> Endpoint:
    key = api_key or os.environ.get("EXTRACTOR_API_KEY") or os.environ.get("OPENAI_API_KEY")
    if not key:
        raise ConfigError("openai models need an API key: set OPENAI_API_KEY or pass api_key")
    return Endpoint(
        label=f"openai/{name}",
        provider="openai",
        model=name,
        mode=instructor.Mode.TOOLS_STRICT if not base_url else instructor.Mode.JSON_SCHEMA,
        api_key=SecretStr(key),
        base_url=base_url or "https://api.openai.com/v1",
    )
