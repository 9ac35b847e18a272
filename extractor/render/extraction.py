"""The extraction view: one article with every actor mention and evidence span marked."""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from ..schema import Extraction, Span
from .base import env


@dataclass(eq=False)  # identity, not value: two equal spans are still two marks
class Mark:
    start: int
    end: int
    kind: str  # CSS class: actor/threat/claim, or matched/missed/spurious
    item: str  # data-item: the side-list entry it belongs to


def segments(text: str, marks: list[Mark]) -> list[tuple[str, Any, bool]]:
    """("text", str, _) / ("open", Mark, first_fragment) / ("close", Mark, _) tokens.

    Marks nest; one that crosses another is closed and reopened at the boundary, so the
    fragments of every mark cover exactly its characters and no others.
    """
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    starting: dict[int, list[Mark]] = defaultdict(list)
    for m in marks:
        starting[m.start].append(m)
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[tuple[str, Any, bool]] = []
    stack: list[Mark] = []
    for i, pos in enumerate(bounds):
        ending = [j for j, m in enumerate(stack) if m.end == pos]
        reopen: list[Mark] = []
        if ending:
            popped, stack = stack[ending[0]:], stack[:ending[0]]
            out += [("close", m, False) for m in reversed(popped)]
            reopen = [m for m in popped if m.end != pos]
        for m in sorted(reopen, key=lambda m: -m.end):
            stack.append(m)
            out.append(("open", m, False))
        for m in sorted(starting.get(pos, []), key=lambda m: -m.end):
            stack.append(m)
            out.append(("open", m, True))
        if i + 1 < len(bounds):
            out.append(("text", text[pos:bounds[i + 1]], False))
    return out


# ------------------------------------------------------------------------ extraction view


def _item(kind: str, it: Any, head: str, meta: list[str], fields: list[tuple[str, Any]],
          spans: list[Any], text: str) -> dict[str, Any]:
    """A side-list entry; spans that do not slice `text` to their own text are not marked."""
    real = [s for s in spans if s.end > s.start]
    ok = [s for s in real if text[s.start:s.end] == s.text]
    fields = [*fields, ("origin", it.origin), ("changed by", " → ".join(it.changed_by))]
    return {"kind": kind, "id": it.id, "head": head, "meta": " · ".join(m for m in meta if m),
            "spans": ok, "located": bool(ok), "mismatch": len(ok) < len(real),
            "origin": it.origin, "changed": bool(it.changed_by),
            "fields": [(k, v) for k, v in fields if v not in (None, "", [])]}


def _evidence(ev: Any) -> str:
    return f"{ev.alignment} ({ev.score:.0f}) {ev.start}-{ev.end}"


def _views(r: Extraction, text: str) -> tuple[list[Any], list[Any], list[Any]]:
    names = {a.id: a.name for a in r.actors}

    def name(*ids: str, sep: str = ", ") -> str:
        return sep.join(names.get(i, i) for i in ids)

    def chain(first: str, via: list[str]) -> str:  # reported_by, speaker outwards
        return name(first, *via, sep=" → ") if via else ""

    threats = [_item(
        "threat", t, t.evidence.text or t.evidence.quote,
        [name(t.speaker) + (" → " + name(*t.targets) if t.targets else ""), t.category,
         f"CAMEO {t.cameo}" if t.cameo else "", "conditional" if t.conditional else ""],
        [("speaker", name(t.speaker)), ("targets", name(*t.targets)),
         ("reported by", chain(t.speaker, t.reported_by)), ("action", t.action),
         ("category", t.category), ("CAMEO", t.cameo),
         ("conditional", "yes" if t.conditional else "no"), ("condition", t.condition),
         ("evidence", _evidence(t.evidence)),
         ("model quote", t.evidence.quote if t.evidence.quote != t.evidence.text else "")],
        [t.evidence], text) for t in r.threats]
    claims = [_item(
        "claim", c, c.statement, [name(c.claimant), c.type],
        [("claimant", name(c.claimant)), ("type", c.type), ("statement", c.statement),
         ("about", name(*c.about)), ("reported by", chain(c.claimant, c.reported_by)),
         ("evidence", _evidence(c.evidence)), ("quote", c.evidence.text or c.evidence.quote),
         ("model quote", c.evidence.quote if c.evidence.quote != c.evidence.text else "")],
        [c.evidence], text) for c in r.claims]
    actors = [_item(
        "actor", a, a.name,
        [a.type.replace("_", " "), a.country or "",
         f"{len(a.mentions)} mention{'s' * (len(a.mentions) != 1)}"],
        [("name", a.name), ("type", a.type), ("aliases", ", ".join(a.aliases)), ("role", a.role),
         ("affiliation", a.affiliation), ("country", a.country), ("mentions", len(a.mentions))],
        a.mentions, text) for a in r.actors]
    return threats, claims, actors


def alignment_shares(result: Extraction) -> list[dict[str, Any]]:
    """How the evidence of threats and claims was found: exact, normalized, fuzzy (and
    unaligned, when kept), as counts and shares, so a reader sees how much to trust it."""
    evidence = [t.evidence for t in result.threats] + [c.evidence for c in result.claims]
    counts: Counter[str] = Counter(ev.alignment for ev in evidence)
    total = sum(counts.values())
    kinds = ["exact", "normalized", "fuzzy"] + (["unaligned"] if counts["unaligned"] else [])
    return [{"kind": k, "n": counts[k], "share": counts[k] / total if total else 0.0}
            for k in kinds]


def quotes_only(result: Extraction) -> str:
    """A stand-in text of the article's length with every span's text at its own offsets and
    spaces between, for an extraction whose article is not at hand (a corpus built from a
    batch's output alone); the view shows the gaps as elisions."""
    spans: list[Span] = [t.evidence for t in result.threats]
    spans += [c.evidence for c in result.claims]
    spans += [m for a in result.actors for m in a.mentions]
    spans = [s for s in spans if s.end > s.start]
    chars = [" "] * max((s.end for s in spans), default=0)
    for s in spans:
        chars[s.start:s.end] = s.text
    return "".join(chars)


def _elide(tokens: list[tuple[str, Any, bool]]) -> list[tuple[str, Any, bool]]:
    """Text outside every mark becomes an elision mark: in a quotes-only text it is filler."""
    depth, out = 0, []
    for op, v, first in tokens:
        depth += {"open": 1, "close": -1}.get(op, 0)
        out.append((op, " […]\n" if op == "text" and depth == 0 else v, first))
    return out


def extraction_html(result: Extraction, text: str | None) -> str:
    """The article with every actor mention and threat/claim evidence marked, plus side lists.

    With `text=None` (the article is not at hand) only the quoted passages are shown."""
    shown = quotes_only(result) if text is None else text
    threats, claims, actors = _views(result, shown)
    items = threats + claims + actors
    marks = [Mark(s.start, s.end, it["kind"], it["id"]) for it in items for s in it["spans"]]
    tokens = segments(shown, marks)
    p = result.provenance
    return env().get_template("extraction.html.j2").render(
        r=result, p=p, usage=p.usage, hash=p.prompt_hash[:12], chars=len(shown), items=items,
        groups=[("Threats", "threat", threats), ("Claims", "claim", claims),
                ("Actors", "actor", actors)],
        mismatched=[it["id"] for it in items if it["mismatch"]], quotes_only=text is None,
        alignment=alignment_shares(result), tokens=_elide(tokens) if text is None else tokens,
        nonce=secrets.token_urlsafe(16))
