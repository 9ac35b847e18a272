"""Quotes -> Evidence: find what the model quoted in the source ourselves.

Offsets a model reports are never trusted. Small models rewrite quote marks and drop
punctuation, so alignment runs exact, then normalized (case, quote marks, punctuation and
whitespace ignored), then fuzzy (rapidfuzz) above a threshold. `text[start:end]` is always
the evidence text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from .schema import Evidence, Span

FUZZY_THRESHOLD = 88.0
MIN_FUZZY_CHARS = 16
_DROP = set("\"'`“”‘’«»„‟‹›.,;:!?()[]{}")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[\.\.\.\])\s*")


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
            if self._allowed(start, end):
                return self._evidence(start, end, "normalized", 100.0, quote)
            npos = self._norm.find(nq, npos + 1)
        if len(nq) < MIN_FUZZY_CHARS:
            return None
        hit = fuzz.partial_ratio_alignment(nq, self._norm, score_cutoff=self.threshold)
        if hit is None or hit.dest_end <= hit.dest_start:
            return None
        start, end = self._snap(*self._span(hit.dest_start, hit.dest_end))
        if not self._allowed(start, end):
            return None
        return self._evidence(start, end, "fuzzy", round(hit.score, 1), quote)

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
