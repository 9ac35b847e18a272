"""extractor: source-grounded actors, threat statements and claims from news text.

Importing this package loads no model and starts no server.
"""

from __future__ import annotations

from importlib import metadata as _metadata
from typing import TYPE_CHECKING, Any

try:
    __version__ = _metadata.version("extractor-intel")  # the distribution; imported as extractor
except _metadata.PackageNotFoundError:  # a checkout that is not installed
    __version__ = "0.0.0+local"

from .errors import (  # noqa: E402
    AuthenticationError,
    CacheMissError,
    ConfigError,
    ExtractorError,
    FixtureError,
    InputError,
    InvalidOutputError,
    LLMError,
    ModelUnavailableError,
    PromptNotFoundError,
    ProviderError,
    TruncatedOutputError,
)
from .schema import (  # noqa: E402
    SCHEMA_VERSION,
    Actor,
    Claim,
    DocumentMeta,
    Evidence,
    Extraction,
    Threat,
    Withheld,
)

if TYPE_CHECKING:
    from .pipeline import Extractor, aextract, extract

_LAZY = {"Extractor", "extract", "aextract"}


def __getattr__(name: str) -> Any:
    # The LLM stack (openai, instructor) is imported on first use, keeping `import extractor` fast.
    if name in _LAZY:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")


__all__ = [
    "SCHEMA_VERSION", "Actor", "AuthenticationError", "CacheMissError", "Claim", "ConfigError",
    "DocumentMeta", "Evidence", "Extraction",
    "Extractor", "ExtractorError", "FixtureError", "InputError", "InvalidOutputError", "LLMError",
    "ModelUnavailableError", "PromptNotFoundError", "ProviderError", "Threat",
    "TruncatedOutputError", "Withheld", "aextract", "extract",
]
