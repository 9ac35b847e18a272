"""Hand-labelled fixtures (LABELLING.md format): load and validate, failing loudly.

A fixture that breaks the contract raises FixtureError naming the file and the field, so a
broken gold never silently scores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError, FixtureError
from ..schema import ACTOR_TYPES, CLAIM_TYPES, THREAT_CATEGORIES
from .normalize import norm_name

SPLITS = ("dev", "test", "real-dev", "translated", "real")
HELD_OUT = ("real",)  # scored only when asked for by name, never part of "all"
DEFAULT_SPLITS = tuple(s for s in SPLITS if s not in HELD_OUT)
_LANGUAGE = re.compile(r"^[a-z]{2}$")  # ISO 639-1 code, lower case


def parse_splits(spec: str | Iterable[str] | None) -> tuple[str, ...]:
    """Split names from "dev", "dev,test", ["dev", "real"] or "all", in SPLITS order.

    "all" means every split except the held-out `real`, which only an explicit name selects,
    so a default run can never score (and tempt tuning on) it.
    """
    parts = [spec] if spec is None or isinstance(spec, str) else list(spec)
    names = {n.strip() for p in parts for n in (p or "all").split(",") if n.strip()}
    unknown = sorted(names - {*SPLITS, "all"})
    if unknown:
        raise ConfigError(f"unknown split {', '.join(unknown)}: use {', '.join(SPLITS)} or all "
                          "(all = every split but real)")
    if "all" in names or not names:
        names |= set(DEFAULT_SPLITS)
    return tuple(s for s in SPLITS if s in names)


@dataclass
class GoldActor:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    role: str | None = None
    affiliation: str | None = None
    country: str | None = None

    @property
    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class GoldThreat:
    speaker: str
    quotes: list[str]
    targets: list[str] = field(default_factory=list)
    reported_by: list[str] = field(default_factory=list)
    category: str | None = None
    cameo: str | None = None
    conditional: bool | None = None
    condition: str | None = None


@dataclass
class GoldClaim:
    claimant: str
    statement: str
    quotes: list[str]
    type: str | None = None
    reported_by: list[str] = field(default_factory=list)


@dataclass
class Fixture:
    id: str
    path: Path
    text: str
    split: str
    document: dict[str, Any]
    actors: list[GoldActor]
    threats: list[GoldThreat]
    claims: list[GoldClaim]
    notes: str = ""
    language: str = "en"

    def actor(self, name: str) -> GoldActor:
        key = norm_name(name)
        return next(a for a in self.actors if key in {norm_name(f) for f in a.forms})


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> FixtureError:
        return FixtureError(str(self.path), where, problem)

    def string(self, value: Any, where: str, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(where, f"must be a string, got {type(value).__name__} {value!r}"
                            " (quote words YAML reads as booleans or numbers)")
        return value

    def strings(self, value: Any, where: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list of strings, got {type(value).__name__}")
        return [self.string(v, f"{where}[{i}]") or "" for i, v in enumerate(value)]

    def choice(self, value: Any, where: str, allowed: tuple[str, ...]) -> str | None:
        if value is None:
            return None
        s = self.string(value, where)
        if s not in allowed:
            raise self.fail(where, f"{s!r} is not one of {', '.join(allowed)}")
        return s

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a mapping, got {type(value).__name__}")
        return value

    def quotes(self, value: Any, where: str, text: str, *, optional: bool = False) -> list[str]:
        if value is None and optional:
            return []
        qs = [self.string(value, where) or ""] if not isinstance(value, list) else \
            self.strings(value, where)
        if not qs:
            raise self.fail(where, "needs at least one quote")
        for i, q in enumerate(qs):
            if not q or q not in text:
                raise self.fail(f"{where}[{i}]" if isinstance(value, list) else where,
                                f"quote is not a substring of the article: {q[:80]!r}")
        return qs


def _text(data: dict[str, Any], c: _Checker) -> str:
    inline = data.get("text")
    if "text_file" in data:
        name = c.string(data["text_file"], "text_file") or ""
        file = c.path.parent / name
        if not file.is_file():
            raise c.fail("text_file", f"{file} does not exist")
        try:
            from_file = file.read_bytes().decode("utf-8")
        except UnicodeDecodeError as e:
            raise c.fail("text_file", f"{file} is not UTF-8") from e
        if inline is not None and inline != from_file:
            raise c.fail("text", f"is not byte-exact to text_file {name}")
        return from_file
    text = c.string(inline, "text")
    if not text or not text.strip():
        raise c.fail("text", "is empty")
    return text


def load_fixture(path: str | Path) -> Fixture:
    path = Path(path)
    c = _Checker(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise c.fail("file", f"not valid YAML: {e}") from e
    data = c.mapping(data, "file")
    fid = c.string(data.get("id"), "id") or ""
    text = _text(data, c)
    split = data.get("split") or (path.parent.name if path.parent.name in SPLITS else "dev")
    c.choice(split, "split", SPLITS)
    language = c.string(data.get("language", "en"), "language") or ""
    if not _LANGUAGE.match(language):
        raise c.fail("language", f"{language!r} is not an ISO 639-1 code such as en, fr, es, de")
    actors = []
    for i, a in enumerate(data.get("actors") or []):
        w = f"actors[{i}]"
        a = c.mapping(a, w)
        actors.append(GoldActor(
            name=c.string(a.get("name"), f"{w}.name") or "",
            type=c.choice(a.get("type"), f"{w}.type", ACTOR_TYPES) or "other",
            aliases=c.strings(a.get("aliases"), f"{w}.aliases"),
            role=c.string(a.get("role"), f"{w}.role", optional=True),
            affiliation=c.string(a.get("affiliation"), f"{w}.affiliation", optional=True),
            country=c.string(a.get("country"), f"{w}.country", optional=True),
        ))
    known = {norm_name(f) for a in actors for f in a.forms}

    def actor_ref(value: Any, where: str) -> str:
        name = c.string(value, where) or ""
        if norm_name(name) not in known:
            raise c.fail(where, f"names actor {name!r}, which is not in actors")
        return name

    def actor_refs(value: Any, where: str) -> list[str]:
        return [actor_ref(v, f"{where}[{j}]") for j, v in enumerate(c.strings(value, where))]

    threats = []
    for i, t in enumerate(data.get("threats") or []):
        w = f"threats[{i}]"
        t = c.mapping(t, w)
        cond = t.get("conditional")
        if cond is not None and not isinstance(cond, bool):
            raise c.fail(f"{w}.conditional", f"must be true or false, got {cond!r}")
        threats.append(GoldThreat(
            speaker=actor_ref(t.get("speaker"), f"{w}.speaker"),
            quotes=c.quotes(t.get("quote"), f"{w}.quote", text),
            targets=actor_refs(t.get("targets"), f"{w}.targets"),
            reported_by=actor_refs(t.get("reported_by"), f"{w}.reported_by"),
            category=c.choice(t.get("category"), f"{w}.category", THREAT_CATEGORIES),
            cameo=c.string(t.get("cameo"), f"{w}.cameo", optional=True),
            conditional=cond,
            condition=c.string(t.get("condition"), f"{w}.condition", optional=True),
        ))
    claims = []
    for i, cl in enumerate(data.get("claims") or []):
        w = f"claims[{i}]"
        cl = c.mapping(cl, w)
        claims.append(GoldClaim(
            claimant=actor_ref(cl.get("claimant"), f"{w}.claimant"),
            statement=c.string(cl.get("statement"), f"{w}.statement") or "",
            quotes=c.quotes(cl.get("quote"), f"{w}.quote", text, optional=True),
            type=c.choice(cl.get("type"), f"{w}.type", CLAIM_TYPES),
            reported_by=actor_refs(cl.get("reported_by"), f"{w}.reported_by"),
        ))
    doc = data.get("document") or {}
    c.mapping(doc, "document")
    return Fixture(id=fid, path=path, text=text, split=split, document=doc, actors=actors,
                   threats=threats, claims=claims, notes=str(data.get("notes") or ""),
                   language=language)


def load_fixtures(directory: str | Path,
                  split: str | Iterable[str] | None = "all") -> list[Fixture]:
    """The fixtures of the chosen splits (see parse_splits), in name order.

    Every file is loaded and checked whatever the splits, so a broken fixture or a duplicate
    id fails every run; `split=None` returns them all, held-out ones included (validation).
    """
    chosen = SPLITS if split is None else parse_splits(split)
    root = Path(directory)
    if not root.is_dir():
        raise FixtureError(str(root), "directory", "does not exist")
    paths = sorted([*root.rglob("*.yaml"), *root.rglob("*.yml")])
    if not paths:
        raise FixtureError(str(root), "directory", "holds no *.yaml fixtures")
    fixtures = [load_fixture(p) for p in paths]
    ids = [f.id for f in fixtures]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise FixtureError(str(root), "id", f"duplicate fixture ids: {', '.join(dupes)}")
    return [f for f in fixtures if f.split in chosen]
