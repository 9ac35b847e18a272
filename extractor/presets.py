"""Named (model, prompt) pairs, so a user picks speed or quality by one word.

Each preset's measured seconds per article and F1 on dev and test are in the README; a preset
is data here and nowhere else. A model or prompt given beside a preset wins over it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigError


@dataclass(frozen=True)
class Preset:
    name: str
    model: str
    prompt: str
    why: str


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("default", "local/qwen2.5-coder-1.5b", "extract@24",
           "the linguistic plan on the 1.5B: the parse finds actors and who said what, the "
           "model writes one-word labels; under half of naive@1's time"),
    Preset("fast", "local/qwen2.5-coder-0.5b", "extract@15",
           "the linguistic plan on the 0.5B: the parse finds who said what, the model "
           "writes one-word labels"),
    Preset("linguistic", "local/qwen2.5-coder-1.5b", "extract@24",
           "the default's pair, under the name it had before it was the default"),
    Preset("article", "local/qwen2.5-coder-1.5b", "extract@10",
           "the default until extract@17: whole-article passes, then per-sentence threat "
           "checks; several times slower"),
)}


def get_preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ConfigError(f"unknown preset '{name}'; known: {', '.join(PRESETS)}") from None

