"""Prompt injection: escape article text for the prompt, and find lines written at a model.

Two defences, both deterministic. `escape` runs at render time (prompts.py) on every value
that comes from the article, so the text can neither close or reopen the prompt's delimiter
tags nor inject chat role tokens; it changes only texts that contain such tokens. `scan` finds
lines that address a model rather than a reader, which parse() keeps from the model and from
evidence. A line is scored on what it says *outside* quoted speech attributed to someone in
the story: role markers, delimiter tags and answers in our JSON shape count on their own; an
instruction (imperative, "you must", "the assistant should") counts only together with a
reference to a model, to the prompt or the output, or to the extraction's own vocabulary.
Windows of two adjacent lines catch instructions split over a line break.

The cue lexicon (English, French, Spanish, German, Italian, Portuguese) lives in one place,
injection_cues.py. Every language's cues are tried on every line: a line is too short for
reliable language identification, and a mixed-language injection should not slip between lexicons.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from . import injection_cues as cues

# --- escaping -------------------------------------------------------------------------------


@cache
def _escaper(tags: frozenset[str]) -> re.Pattern[str]:
    names = "|".join(sorted((re.escape(t) for t in tags), key=len, reverse=True))
    return re.compile(rf"{cues.CHAT_TOKEN}|{cues.LLAMA_SYS}|{cues.SQUARE_ROLE}"
                      rf"|</?\s*(?:{names})(?![\w-])[^<>\n]{{0,80}}>", re.IGNORECASE)


def _defang(m: re.Match[str]) -> str:
    tok = m.group()
    if tok.startswith("["):  # [INST] -> (INST): same words, and grounding drops both brackets
        return "(" + tok[1:-1] + ")"
    return tok.replace("<", "\u2039").replace(">", "\u203a")  # < > -> ‹ ›


def escape(text: str, tags: Iterable[str] = ()) -> str:
    """Text that reads the same but cannot close or open a delimiter tag or a chat turn.

    Only delimiter-like tags (injection_cues.DELIMITER_TAGS and `tags`) and role tokens
    change: their angle brackets become single guillemets, their square brackets
    parentheses. Any other text comes back unchanged, byte for byte.
    """
    if "<" not in text and "[" not in text:
        return text
    return _escaper(cues.DELIMITER_TAGS | {t.lower() for t in tags}).sub(_defang, text)


def template_tags(sources: Iterable[str]) -> frozenset[str]:
    """The tag names prompt templates use (`<article>`, `</sentence>`...)."""
    return frozenset(m.lower() for s in sources for m in re.findall(r"</?([A-Za-z][\w-]*)>", s))


_FLAGS = re.IGNORECASE | re.VERBOSE


@cache
def _rx() -> dict[str, re.Pattern[str]]:
    tags = "|".join(sorted(cues.DELIMITER_TAGS, key=len, reverse=True))
    return {
        "imperative": re.compile(
            rf"(?:^\W*|[.!?;:,(\[{{—–-]\s*|\b(?:{cues.STARTERS})\s+)(?:(?:please|now|bitte)\s+)?"
            rf"(?P<w>{cues.IMPERATIVES})(?![\w'-])", _FLAGS),
        "second_person": re.compile(cues.SECOND_PERSON, _FLAGS),
        "modal": re.compile(cues.MODAL, _FLAGS),
        "addressee": re.compile(cues.ADDRESSEE, re.IGNORECASE),
        "addressee_cs": re.compile(cues.ADDRESSEE_CS),
        "meta": re.compile(cues.META, _FLAGS),
        "attribution": re.compile(cues.ATTRIBUTION, _FLAGS),
        "role": re.compile(cues.ROLE, re.IGNORECASE),
        "delimiter": re.compile(rf"</?\s*(?:{tags})(?![\w-])[^<>\n]{{0,40}}>|<!--|-->", re.I),
        "json": re.compile(cues.JSON_ANSWER, re.IGNORECASE),
        **{f"task:{k}": re.compile(rf"\b(?:{v})\b", re.IGNORECASE)
           for k, v in cues.TASK_WORDS.items()},
    }


# --- the detector ---------------------------------------------------------------------------

THRESHOLD = 3.0  # a role token alone; or an instruction plus one target (prompt, output...)
_QUOTE_PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“”", "‘": "’", "‹": "›"}
_QUOTE_MARK = re.compile("[\"“”«»„‘’‹›]")
_SENTENCE_BREAK = re.compile(r"[.!?]+[\"”»’“]*\s+")


@dataclass(frozen=True)
class Finding:
    """A span of the text written at a model, with why it reads that way."""

    start: int
    end: int
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Cues:
    """What one sentence says to whom; `attributed` speech gives instructions to nobody."""

    tokens: tuple[str, ...] = ()
    directive: tuple[str, ...] = ()
    addressee: tuple[str, ...] = ()
    meta: tuple[str, ...] = ()
    task: tuple[str, ...] = ()
    attributed: bool = False

    def __or__(self, other: _Cues) -> _Cues:
        def join(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
            return a + tuple(x for x in b if x not in a)
        return _Cues(join(self.tokens, other.tokens), join(self.directive, other.directive),
                     join(self.addressee, other.addressee), join(self.meta, other.meta),
                     join(self.task, other.task))

    @property
    def any(self) -> bool:
        return bool(self.tokens or self.directive or self.addressee or self.meta)

    @property
    def score(self) -> float:
        told = (1 + 2 * bool(self.meta) + min(len(self.task), 2) + 1.5 * bool(self.addressee)
                if self.directive else 0.0)
        return 3.0 * bool(self.tokens) + told

    def reasons(self) -> tuple[str, ...]:
        out = [f"role or delimiter token {t!r}" for t in self.tokens]
        if self.directive:
            out += [f"instruction {', '.join(repr(d) for d in self.directive)}"]
            out += [f"addressed to a model ({', '.join(self.addressee)})"] if self.addressee else []
            out += [f"about the prompt or output ({', '.join(self.meta)})"] if self.meta else []
            out += [f"about the extraction ({', '.join(self.task)})"] if self.task else []
        return tuple(out)


def _quotes(s: str) -> list[tuple[int, int]]:
    """Quoted stretches; a quote left open runs to the end (news continues quotes so). A
    right single quote before a letter is an apostrophe (we’ll), not a closing mark."""
    spans: list[tuple[int, int]] = []
    opened: str | None = None
    start = 0
    for m in _QUOTE_MARK.finditer(s):
        i, ch = m.start(), m.group()
        if opened is None:
            if ch in _QUOTE_PAIRS:
                opened, start = _QUOTE_PAIRS[ch], i
        elif ch in opened and not (ch == "’" and s[i + 1:i + 2].isalpha()):
            spans.append((start, i + 1))
            opened = None
    if opened is not None:
        spans.append((start, len(s)))
    return spans


def _outside(s: str, quoted: list[tuple[int, int]]) -> str:
    """`s` with its quoted stretches blanked out, offsets unchanged."""
    parts, pos = [], 0
    for a, b in quoted:
        parts += [s[pos:a], " " * (b - a)]
        pos = b
    return "".join([*parts, s[pos:]])


def _sentences(s: str) -> list[str]:
    quoted = _quotes(s)
    starts = [a for a, _ in quoted]
    cuts = []
    for m in _SENTENCE_BREAK.finditer(s):
        k = bisect.bisect_left(starts, m.start()) - 1  # the last quote opened before it
        if k < 0 or not m.start() < quoted[k][1] - 1:
            cuts.append(m.end())
    bounds = [0, *cuts, len(s)]
    return [s[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False) if s[a:b].strip()]


def _found(pattern: re.Pattern[str], text: str, group: int | str = 0) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(group).strip().lower() for m in pattern.finditer(text)))


def _cues(sentence: str) -> _Cues:
    rx = _rx()
    quoted = _quotes(sentence)
    outside = _outside(sentence, quoted)
    attributed = bool(rx["attribution"].search(outside))
    in_quotes = sum(b - a for a, b in quoted)
    bare = bool(quoted) and in_quotes >= 0.7 * len(sentence.strip())
    said = sentence if bare and not attributed else outside  # what the line itself says
    tokens = (_found(rx["json"], sentence) + _found(rx["role"], said)
              + _found(rx["delimiter"], said))
    if attributed:  # the story's speech: only tokens count, and it pairs with nothing
        return _Cues(tokens, attributed=True)
    addressee = _found(rx["addressee"], said) + _found(rx["addressee_cs"], said)
    meta = _found(rx["meta"], said)
    directive: tuple[str, ...] = ()
    if not attributed:
        directive = _found(rx["imperative"], said, "w") + _found(rx["second_person"], said)
        if not directive and (addressee or meta):
            directive = _found(rx["modal"], said)
    task = tuple(k[5:] for k, p in rx.items() if k.startswith("task:") and p.search(said))
    return _Cues(tokens, directive, addressee, meta, task, attributed)


def scan(text: str, lines: Sequence[tuple[int, int]] | None = None) -> list[Finding]:
    """Lines (given as spans, default every nonblank line) that address a model.

    Each sentence is scored alone, then with its neighbour (also across a line break), so an
    instruction split over two lines or sentences is caught; a neighbour is withheld with it
    only when it carries a cue of its own, never a plain news line beside an injection.
    """
    if lines is None:
        lines, pos = [], 0
        for raw in text.splitlines(keepends=True):
            body = raw.rstrip("\r\n")
            if body.strip():
                lines.append((pos, pos + len(body)))
            pos += len(raw)
    sents = [(li, _cues(s)) for li, (a, b) in enumerate(lines) for s in _sentences(text[a:b])]
    hits: dict[int, _Cues] = {}
    for k, (li, one) in enumerate(sents):
        if one.score >= THRESHOLD:
            hits[li] = hits.get(li, _Cues()) | one
        if k + 1 < len(sents):
            lj, nxt = sents[k + 1]
            if one.attributed or nxt.attributed or not (one.any and nxt.any):
                continue
            both = one | nxt
            if both.score >= THRESHOLD:
                for ln in {li, lj}:
                    hits[ln] = hits.get(ln, _Cues()) | both
    return [Finding(lines[i][0], lines[i][1], hits[i].score, hits[i].reasons())
            for i in sorted(hits)]


def spans(text: str, lines: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """The (start, end) of each line `scan` finds: what parse() keeps from the model."""
    return [(f.start, f.end) for f in scan(text, lines)]
