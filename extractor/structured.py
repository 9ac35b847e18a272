"""Schema-constrained answers over the OpenAI chat API: request shape, parsing, re-asks, salvage.

Why not instructor on the call path: it rebuilds the response model, walks it for async
validators and regenerates its JSON schema on every call, and the openai SDK then walks that
schema again to transform it: 5.5 ms of CPU per request against 1.1 ms for the whole request
sent this way (benchmarks/README.md). The request fields of a response model are computed
once here; an answer is parsed once, validated once. The wire format and the re-ask messages
are instructor's (JSON_SCHEMA and TOOLS modes), so answers and caches are unchanged.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import jiter
from pydantic import BaseModel, ValidationError

from .errors import ConfigError


class MalformedAnswer(Exception):
    """A 2xx body that is not a chat completion (not JSON, no choices): a transport fault,
    retried, never shown to the model."""


def _mode_name(mode: Any) -> str:
    """JSON_SCHEMA, TOOLS, ...: an instructor.Mode's name (the providers pick the mode)."""
    return str(getattr(mode, "name", mode)).upper()


@functools.cache
def request_fields(model: type[BaseModel], mode: Any) -> dict[str, Any]:
    """What a request adds for `model` in `mode`: computed once per (model, mode).

    The dict is shared by every request: callers copy it into a body, never mutate it.
    """
    schema = model.model_json_schema()
    name = _mode_name(mode)
    if name == "JSON_SCHEMA":
        return {"response_format": {"type": "json_schema",
                                    "json_schema": {"name": model.__name__, "schema": schema}}}
    if name in ("TOOLS", "TOOLS_STRICT"):
        doc = (model.__doc__ or "").strip().split("\n")[0]
        parameters = {k: v for k, v in schema.items() if k not in ("title", "description")}
        parameters["required"] = sorted(schema.get("required", []))
        function = {
            "name": schema["title"],
            "description": schema.get("description") or doc or (
                f"Correctly extracted `{model.__name__}` with all the required parameters "
                "with correct types"),
            "parameters": parameters,
        }
        return {"tools": [{"type": "function", "function": function}],
                "tool_choice": {"type": "function", "function": {"name": schema["title"]}}}
    raise ConfigError(f"response mode {name} is not supported: use JSON_SCHEMA or TOOLS")


@functools.cache
def _encoded_fields(model: type[BaseModel], mode: Any) -> str:
    return json.dumps(request_fields(model, mode), ensure_ascii=False)[1:-1]


def encode_body(model: type[BaseModel], mode: Any, rest: dict[str, Any]) -> bytes:
    """The request body, bytes: the model's fields encoded once, then `rest` (model,
    messages, parameters), whose keys win over a field of the same name. Sent as bytes, the
    SDK neither deep-copies nor re-encodes the schema on every request. A GBNF `grammar` in
    `rest` (extractor.grammar) replaces the schema: llama.cpp lets a response format win."""
    if "grammar" in rest:
        return json.dumps(rest, ensure_ascii=False).encode()
    return ("{" + _encoded_fields(model, mode) + "," +
            json.dumps(rest, ensure_ascii=False)[1:]).encode()


def completion(body: bytes) -> dict[str, Any]:
    """The one parse of an HTTP answer; a body that is not a completion is MalformedAnswer."""
    try:
        data = json.loads(body)
    except ValueError:
        raise MalformedAnswer(f"a body that is not JSON ({len(body)} bytes)") from None
    if not isinstance(data, dict) or not data.get("choices"):
        raise MalformedAnswer("a completion with no choices")
    return data


def usage_of(data: dict[str, Any]) -> tuple[int, int]:
    usage = data.get("usage") or {}
    return int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)


def answer_of(data: dict[str, Any], mode: Any) -> tuple[str, str | None, dict[str, Any]]:
    """(answer text, finish_reason, the assistant message) of a completion."""
    choice = data["choices"][0]
    message = choice.get("message") or {}
    text = message.get("content") or ""
    if _mode_name(mode) != "JSON_SCHEMA":
        calls = message.get("tool_calls") or []
        if calls:
            text = (calls[0].get("function") or {}).get("arguments") or ""
    return text, choice.get("finish_reason"), message


def reask(text: str, message: dict[str, Any], error: ValidationError, mode: Any
          ) -> list[dict[str, Any]]:
    """The messages that ask again after an answer broke the schema, as instructor words them:
    the answer itself, then the validation error (never provider text: the caller only passes
    the model's own answer)."""
    if _mode_name(mode) == "JSON_SCHEMA":
        return [{"role": "assistant", "content": text},
                {"role": "user", "content": "Correct your JSON ONLY RESPONSE, based on the "
                                            f"following errors:\n{error}"}]
    fix = f"Validation Error found:\n{error}\nRecall the function correctly, fix the errors"
    calls = message.get("tool_calls") or []
    said: dict[str, Any] = {"role": "assistant", "content": message.get("content") or ""}
    if not calls:
        return [said, {"role": "user", "content": fix}]
    said["tool_calls"] = calls
    return [said, *({"role": "tool", "tool_call_id": c.get("id"),
                     "name": (c.get("function") or {}).get("name"), "content": fix}
                    for c in calls)]


def salvage(content: str, model: type[BaseModel]) -> BaseModel | None:
    """Complete list items of an answer cut off by max_tokens (a small model looping).

    The item being written when the cut came is dropped; every kept item is fully validated.
    """
    try:
        data = jiter.from_json(content.encode(), partial_mode="trailing-strings")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    last = next((k for k in reversed(list(data)) if isinstance(data[k], list) and data[k]), None)
    fields: dict[str, list[BaseModel]] = {}
    for name, info in model.model_fields.items():
        items = data.get(name) if isinstance(data.get(name), list) else []
        assert items is not None
        if name == last:
            items = items[:-1]
        item_type = getattr(info.annotation, "__args__", (None,))[0]
        if not (isinstance(item_type, type) and issubclass(item_type, BaseModel)):
            continue  # not a list of items: nothing to salvage in this field
        limit = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
        kept: list[BaseModel] = []
        for it in items[:limit]:
            try:
                kept.append(item_type.model_validate(it))
            except ValidationError:
                continue
        fields[name] = kept
    if not any(fields.values()):
        return None  # nothing complete to keep: an empty list here would pass for "none found"
    try:
        return model.model_validate(fields)
    except ValidationError:
        return None  # the model needs more than its lists (a verdict cut short)
