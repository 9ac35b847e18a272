"""Registry of versioned prompt templates: load, render, hash.

A prompt version is one YAML file, `prompts/<id>/v<version>.yaml`, holding metadata and Jinja2
templates (StrictUndefined: a missing variable fails loudly). A released file never changes;
its sha256 is recorded in every result, so an edited release is visible.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .errors import ConfigError, PromptNotFoundError
from .injection import escape, template_tags
from .passes import LIST as LIST_PASSES
from .schema import RESPONSE_MODELS

DEFAULT_PROMPT = "extract@24"
# Sent with each call; other parameters (rules, actor_context) steer the pipeline.
CALL_PARAMETERS = ("temperature", "max_tokens", "top_p", "seed", "frequency_penalty",
                   "presence_penalty", "logprobs", "top_logprobs")
# Template variables that carry text from the article (or from the model's reading of it):
# escaped at render time so they cannot close the prompt's tags or open a chat turn. The others
# come from the prompt file itself.
ARTICLE_VARIABLES = frozenset({"article", "sentence", "context", "actors", "item", "items"})
PROMPT_VARIABLES = frozenset({"examples"})
_env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False,
                          autoescape=False)


@dataclass(frozen=True)
class Prompt:
    id: str
    version: int
    description: str
    changelog: str
    passes: tuple[str, ...]
    parameters: dict[str, Any]
    system: str
    templates: dict[str, str]
    examples: tuple[dict[str, Any], ...]
    sha256: str
    path: Path

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def rules(self) -> tuple[str, ...]:
        """Post-validation rules (extractor.rules) this version switches on."""
        return tuple(self.parameters.get("rules") or ())

    def params_for(self, pass_name: str) -> dict[str, Any]:
        """Call parameters for one pass; a dict value is looked up by pass name."""
        out = {}
        for k, v in self.parameters.items():
            if k in CALL_PARAMETERS:
                out[k] = v.get(pass_name) if isinstance(v, dict) else v
        return {k: v for k, v in out.items() if v is not None}

    def render(self, pass_name: str, **context: Any) -> list[dict[str, str]]:
        """Messages for one pass: the system text, then the article and the pass's task."""
        if pass_name not in self.templates:
            raise ConfigError(f"prompt {self.ref} has no pass '{pass_name}'")
        tags = _tags((self.system, *self.templates.values()))
        ctx = {"examples": self.examples,
               **{k: _escaped(v, tags) if k in ARTICLE_VARIABLES else v
                  for k, v in context.items()}}
        return [
            {"role": "system", "content": _compiled(self.system).render(**ctx).strip()},
            {"role": "user", "content": _compiled(self.templates[pass_name]).render(**ctx).strip()},
        ]


@cache
def _tags(sources: tuple[str, ...]) -> frozenset[str]:
    return template_tags(sources)


def _escaped(value: Any, tags: frozenset[str]) -> Any:
    """An article-derived value with every string in it escaped (injection.escape)."""
    if isinstance(value, str):
        return escape(value, tags)
    if isinstance(value, list | tuple):
        return type(value)(_escaped(v, tags) for v in value)
    if isinstance(value, dict):
        return {k: _escaped(v, tags) for k, v in value.items()}
    return value


@cache
def _compiled(source: str) -> jinja2.Template:
    return _env.from_string(source)


def prompt_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Where prompts are found: given dirs, EXTRACTOR_PROMPTS_DIR, then the shipped ones."""
    dirs = list(extra or [])
    env = os.environ.get("EXTRACTOR_PROMPTS_DIR")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    here = Path(__file__).resolve().parent
    dirs += [here / "_prompts", here.parent / "prompts"]
    return [d for d in dirs if d.is_dir()]


TARGETS = ("model", "parse", "parties")  # who names a threat's targets (plan.LinguisticPlan)
ASK_TYPES = ("speakers", "names")  # whom the typing pass asks about (plan._needs_type)
# A version's choices in the linguistic layer (linguistics.analyze keywords): one list, read by
# the pipeline and checked at load, so a new option is named here once.
LAYER_FLAGS = ("centering", "body_nouns", "family_names", "orphans", "quotations", "repairs",
               "antecedents", "subjects", "agreement", "tense", "criticism")
# Options of resolve.statements.collect: how attributions become the statements asked about.
STATEMENT_FLAGS = ("threat_acts", "demonym_speakers", "acts_apart")
# Options of plan.LinguisticPlan: which statements the model is asked about.
PLAN_FLAGS = ("forecasts",)


def _check_plan_parameters(where: str, prompt: Prompt) -> None:
    """A typo in `targets`, `ask_types`, `compact` or a layer flag would silently run
    another plan."""
    targets = prompt.parameters.get("targets", "model")
    if targets not in TARGETS:
        raise ConfigError(f"{where}: targets must be one of {list(TARGETS)}, not {targets!r}")
    ask = prompt.parameters.get("ask_types", "speakers")
    if ask not in ASK_TYPES:
        raise ConfigError(f"{where}: ask_types must be one of {list(ASK_TYPES)}, not {ask!r}")
    for flag in (*LAYER_FLAGS, *STATEMENT_FLAGS, *PLAN_FLAGS):
        if not isinstance(prompt.parameters.get(flag, False), bool):
            raise ConfigError(f"{where}: {flag} must be true or false")
    compact = prompt.parameters.get("compact", [])
    if not isinstance(compact, list) or set(compact) - set(prompt.passes):
        raise ConfigError(f"{where}: compact must list passes of this version "
                          f"{list(prompt.passes)}, not {compact!r}")


def _load(path: Path) -> Prompt:
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML: {e}") from e
    where = str(path)
    try:
        passes = tuple(data["passes"])
        known_passes = [*RESPONSE_MODELS, *LIST_PASSES]
        unknown = [p for p in passes if p not in known_passes]
        if unknown:
            raise ConfigError(f"{where}: unknown passes {unknown}; known {known_passes}")
        templates = {p: str(data["templates"][p]) for p in passes}
        prompt = Prompt(
            id=str(data["id"]),
            version=int(data["version"]),
            description=str(data.get("description", "")).strip(),
            changelog=str(data.get("changelog", "")).strip(),
            passes=passes,
            parameters=dict(data.get("parameters") or {}),
            system=str(data["system"]),
            templates=templates,
            examples=tuple(data.get("examples") or ()),
            sha256=hashlib.sha256(raw).hexdigest(),
            path=path,
        )
    except (KeyError, TypeError, ValueError) as e:
        if isinstance(e, ConfigError):
            raise
        raise ConfigError(f"{where}: missing or wrong field: {e}") from e
    from .rules import RULES, available

    known_rules = [*RULES, *available()]
    unknown_rules = set(prompt.rules) - set(known_rules)
    if unknown_rules:
        raise ConfigError(f"{where}: unknown rules {sorted(unknown_rules)}; known {known_rules}")
    _check_plan_parameters(where, prompt)
    expected = path.parent.name, path.stem
    if expected != (prompt.id, f"v{prompt.version}"):
        raise ConfigError(f"{where}: file must be <id>/v<version>.yaml for {prompt.ref}")
    try:
        for text in (prompt.system, *templates.values()):
            _env.parse(text)
    except jinja2.TemplateSyntaxError as e:
        raise ConfigError(f"{where}: template error line {e.lineno}: {e.message}") from e
    return prompt


@cache
def _discover(dirs: tuple[Path, ...]) -> dict[str, Prompt]:
    found: dict[str, Prompt] = {}
    for d in dirs:
        for path in sorted(d.glob("*/v*.yaml")):
            p = _load(path)
            found.setdefault(p.ref, p)  # earlier dirs win
    return found


def list_prompts(extra: list[Path] | None = None) -> list[Prompt]:
    found = _discover(tuple(prompt_dirs(extra)))
    return sorted(found.values(), key=lambda p: (p.id, p.version))


def get_prompt(ref: str | None = None, extra: list[Path] | None = None) -> Prompt:
    """`extract@2`, or `extract` for its latest version."""
    ref = ref or os.environ.get("EXTRACTOR_PROMPT") or DEFAULT_PROMPT
    m = re.fullmatch(r"([\w.-]+)(?:@(\d+))?", ref.strip())
    if not m:
        raise ConfigError(f"prompt reference '{ref}' is not of the form id@version")
    found = [p for p in list_prompts(extra) if p.id == m.group(1)]
    if m.group(2):
        found = [p for p in found if p.version == int(m.group(2))]
    if not found:
        known = ", ".join(p.ref for p in list_prompts(extra)) or "none"
        raise PromptNotFoundError(f"no prompt '{ref}'; known: {known}")
    return found[-1]
