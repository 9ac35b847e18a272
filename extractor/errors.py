"""Typed errors: one base class, so callers can catch everything the library raises on purpose."""

from __future__ import annotations


class ExtractorError(Exception):
    """Base of every error extractor raises deliberately."""


class InputError(ExtractorError, ValueError):
    """The text given to extract cannot be processed (empty, binary, not UTF-8, too large)."""


class ConfigError(ExtractorError, ValueError):
    """A model string, prompt reference, option or config file is wrong."""


class PromptNotFoundError(ConfigError):
    """No prompt template with that id and version is registered."""


class ModelUnavailableError(ExtractorError):
    """A local model cannot be assembled or loaded (package missing, hash mismatch, no runtime)."""


class LLMError(ExtractorError):
    """A model call failed; says which pass, after how many attempts, and why."""

    def __init__(self, message: str, *, attempts: int = 1, pass_name: str | None = None) -> None:
        where = f" in pass '{pass_name}'" if pass_name else ""
        super().__init__(f"{message}{where} (after {attempts} attempt{'s' * (attempts != 1)})")
        self.attempts = attempts
        self.pass_name = pass_name


class ProviderError(LLMError):
    """The endpoint kept failing at the transport level (429, 5xx, timeout, connection)."""

    def __init__(
        self,
        message: str,
        *,
        attempts: int = 1,
        pass_name: str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message, attempts=attempts, pass_name=pass_name)
        self.status_code = status_code


class AuthenticationError(ProviderError):
    """The endpoint refused the credentials (401/403); retrying cannot help."""


class InvalidOutputError(LLMError):
    """The model's answer did not fit the response schema, even after re-asking."""


class TruncatedOutputError(LLMError):
    """The model hit its token limit (finish_reason 'length') before finishing the answer."""


class CacheMissError(ExtractorError):
    """Cache-only mode found no stored answer; nothing was sent to the model."""


class FixtureError(ExtractorError, ValueError):
    """An eval fixture breaks the labelling contract; names the file and the field."""

    def __init__(self, path: str, field: str, problem: str) -> None:
        super().__init__(f"{path}: {field}: {problem}")
        self.path = path
        self.field = field
        self.problem = problem
