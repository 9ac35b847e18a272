"""How sure the model was of a one-word label, from the logprobs of the token that starts it.

A yes/no answer forced by a grammar hides how close the call was: the 1.5B model often puts
most of its weight on "no" for a threat it half sees. With `logprobs` asked for, the first
token of the label's value carries the model's distribution over the choices before the
grammar picked one (llama.cpp and OpenAI report it so); a version may then take "yes" above a
threshold of its own instead of the argmax.
"""

from __future__ import annotations

import math
import typing
from typing import Any

from pydantic import BaseModel


def _choices(model: type[BaseModel]) -> tuple[str, tuple[str, ...]] | None:
    """The first field whose values are a closed set of strings, and those strings."""
    for name, field in model.model_fields.items():
        args = typing.get_args(field.annotation)
        if typing.get_origin(field.annotation) is typing.Literal and all(
                isinstance(a, str) for a in args):
            return name, tuple(args)
    return None


def _value_start(tokens: list[dict[str, Any]], field: str) -> int | None:
    """Index of the token that opens the value of `field` in the answer's JSON."""
    text = ""
    for i, tok in enumerate(tokens):
        compact = "".join(text.split())
        if compact.endswith(f'"{field}":"'):
            return i
        text += tok.get("token") or ""
    return None


def choice_probs(data: dict[str, Any], model: type[BaseModel]) -> dict[str, float] | None:
    """P(choice) for the answer's first closed-set field, normalised over the choices; None
    when the completion carries no logprobs or the choices' first tokens are not among them."""
    found = _choices(model)
    content = ((data.get("choices") or [{}])[0].get("logprobs") or {}).get("content")
    if found is None or not content:
        return None
    field, values = found
    at = _value_start(content, field)
    if at is None:
        return None
    mass = dict.fromkeys(values, 0.0)
    for alt in content[at].get("top_logprobs") or []:
        tok = (alt.get("token") or "").strip().lower()
        if not tok:
            continue
        for v in values:
            if v.lower().startswith(tok):
                mass[v] += math.exp(float(alt.get("logprob", -math.inf)))
    total = sum(mass.values())
    if total <= 0:
        return None
    return {v: round(m / total, 4) for v, m in mass.items()}
