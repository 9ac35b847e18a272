"""Quotes -> Evidence: find what the model quoted in the source ourselves.

Offsets a model reports are never trusted. Small models rewrite quote marks and drop
punctuation, so alignment runs exact, then normalized (case, quote marks, punctuation and
whitespace ignored), then fuzzy (rapidfuzz) above a threshold. `text[start:end]` is always
the evidence text, and `Evidence.alignment` says which of the three found it.

A similar span is not the same statement: "would expel" scores 95 against "would not expel",
and normalizing turns "1.5 million" into "15 million". So a normalized or fuzzy span whose
negations or numbers differ from the quote's is rejected (listed in `Aligner.rejected`), never
grounded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import fuzz

from .schema import Evidence, Span

FUZZY_THRESHOLD = 88.0
MIN_FUZZY_CHARS = 16
_DROP = set("\"'`“”‘’«»„‟‹›.,;:!?()[]{}")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[\.\.\.\])\s*")
# Words that flip or bound a statement: an alignment may not add, drop or swap any of them.
_NEGATION = re.compile(
    r"\b(not|no|never|none|nobody|nothing|nowhere|neither|nor|without|cannot|unless)\b"
    r"|n[’']t\b", re.IGNORECASE)
_NUMBER = re.compile(
    r"\d+(?:[.,:]\d+)*(?:st|nd|rd|th)?|\b(zero|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty"
    r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?"
    r"|trillions?|dozens?|half|double|triple|first|second|third|fourth|fifth|tenth)\b",
    re.IGNORECASE)


def _meaning(text: str) -> tuple[Counter[str], Counter[str]]:
    """The negations and the numbers a passage states (thousands separators ignored)."""
    negations = Counter("not" if m.group().lower() in ("n't", "n’t") else m.group().lower()
                        for m in _NEGATION.finditer(text))  # "wouldn't" says "would not"
    numbers = Counter(re.sub(r",(?=\d{3}\b)", "", m.group().lower())
                      for m in _NUMBER.finditer(text))
    return negations, numbers


def changed_meaning(quote: str, span: str) -> str | None:
    """Why `span` does not say what `quote` says (a negation or a number differs), or None."""
    (qneg, qnum), (sneg, snum) = _meaning(quote), _meaning(span)
    if qneg != sneg:
        return f"negation differs: {sorted(qneg.elements())} vs {sorted(sneg.elements())}"
    if qnum != snum:
        return f"numbers differ: {sorted(qnum.elements())} vs {sorted(snum.elements())}"
    return None


def _normalize(text: str) -> tuple[str, list[int]]:
    """Lower-case, drop quote marks and punctuation, fold whitespace; keep a map back."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in _DROP or ch in "-–—":
            if ch in "-–—" and out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                where.append(i)
            continue
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
        where.append(i)
    return "".join(out), where


class Aligner:
    """Aligns many quotes against one text; the normalized text is computed once."""

    def __init__(self, text: str, *, threshold: float = FUZZY_THRESHOLD,
                 exclude: Iterable[tuple[int, int]] = ()) -> None:
        self.text = text
        self.threshold = threshold
        self.exclude = list(exclude)
        self._norm, self._map = _normalize(text)
        self.rejected: dict[str, str] = {}  # quote -> why its closest span was not grounded

    def _allowed(self, start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in self.exclude)

    def _span(self, nstart: int, nend: int) -> tuple[int, int]:
        start, end = self._map[nstart], self._map[nend - 1] + 1
        return start, end

    def align(self, quote: str) -> Evidence | None:
        """Locate `quote` in the text, or None when it is not there."""
        q = quote.strip()
        if not q:
            return None
        parts = [p for p in _ELLIPSIS.split(q) if p.strip()]
        if len(parts) > 1:
            return self._align_parts(quote, parts)
        pos = self.text.find(q)
        while pos >= 0:
            if self._allowed(pos, pos + len(q)):
                return self._evidence(pos, pos + len(q), "exact", 100.0, quote)
            pos = self.text.find(q, pos + 1)
        nq, _ = _normalize(q)
        nq = nq.strip()
        if not nq:
            return None
        npos = self._norm.find(nq)
        while npos >= 0:
            start, end = self._span(npos, npos + len(nq))
            if self._allowed(start, end) and self._same_meaning(q, start, end):
                return self._evidence(start, end, "normalized", 100.0, quote)
            npos = self._norm.find(nq, npos + 1)
        if len(nq) < MIN_FUZZY_CHARS:
            return None
        hit = fuzz.partial_ratio_alignment(nq, self._norm, score_cutoff=self.threshold)
        if hit is None or hit.dest_end <= hit.dest_start:
            return None
        start, end = self._snap(*self._span(hit.dest_start, hit.dest_end))
        if not self._allowed(start, end) or not self._same_meaning(q, start, end):
            return None
        return self._evidence(start, end, "fuzzy", round(hit.score, 1), quote)

    def _same_meaning(self, quote: str, start: int, end: int) -> bool:
        why = changed_meaning(quote, self.text[start:end])
        if why is not None:
            self.rejected[quote] = f"{why} in {self.text[start:end][:80]!r}"
        return why is None

    def _align_parts(self, quote: str, parts: list[str]) -> Evidence | None:
        found = [self.align(p) for p in parts]
        if any(f is None for f in found):
            return None
        spans = [f for f in found if f is not None]
        if any(b.start < a.end for a, b in zip(spans, spans[1:], strict=False)):
            return None
        if spans[-1].end - spans[0].start > 4 * len(quote) + 200:
            return None
        worst = min(spans, key=lambda f: f.score)
        return self._evidence(spans[0].start, spans[-1].end, worst.alignment, worst.score, quote)

    def _snap(self, start: int, end: int) -> tuple[int, int]:
        """Widen a fuzzy hit to whole words so evidence never starts mid-word."""
        t = self.text
        while start < end and t[start].isspace():
            start += 1
        while end > start and t[end - 1].isspace():
            end -= 1
        while start > 0 and t[start - 1].isalnum() and t[start].isalnum():
            start -= 1
        while end < len(t) and t[end - 1].isalnum() and t[end].isalnum():
            end += 1
        return start, end

    def _evidence(self, start: int, end: int, how: str, score: float, quote: str) -> Evidence:
        return Evidence(start=start, end=end, text=self.text[start:end], alignment=how,  # type: ignore[arg-type]
                        score=score, quote=quote)

    def mentions(self, names: Iterable[str]) -> list[Span]:
        """Every whole-word occurrence of any of `names`, outside excluded regions."""
        spans: dict[tuple[int, int], Span] = {}
        for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
            pat = re.compile(r"(?<!\w)" + re.escape(name.strip()) + r"(?!\w)")
            for m in pat.finditer(self.text):
                s, e = m.span()
                if not self._allowed(s, e) or any(a <= s and e <= b for a, b in spans):
                    continue
                spans[(s, e)] = Span(start=s, end=e, text=m.group())
        return [spans[k] for k in sorted(spans)]


def align(quote: str, text: str, *, threshold: float = FUZZY_THRESHOLD) -> Evidence | None:
    """Align one quote; use Aligner for many quotes against the same text."""
    return Aligner(text, threshold=threshold).align(quote)
