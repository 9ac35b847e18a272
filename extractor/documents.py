"""Text -> Document: header meta, page furniture, sentences and chunks, all with original offsets.

Scraped pages carry a title/publisher/date header and furniture (newsletter boxes, link lists,
comments). The model reads only the content; every offset still refers to the original text,
and every span kept from the model is listed in `Document.withheld` with its reason
(decisions in furniture.py). HTML is reduced to its main text first (html.py); offsets then
refer to that text, which is `Document.text`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .dates import find_date
from .errors import InputError
from .furniture import (
    clean,
    decide,
    is_byline,
    is_list_item,
    is_outlet_name,
    is_publisher,
    is_section_header,
    line_reason,
)
from .html import extract_html, looks_like_html
from .injection import spans as injection_spans
from .schema import DocumentMeta, Notice, Withheld

MAX_CHARS = 2_000_000
WITHHELD_WARN_SHARE = 0.25  # above this share of the text withheld, the result says so

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


@dataclass(frozen=True)
class Chunk:
    """A slice of the content that one set of passes reads."""

    index: int
    start: int
    end: int
    text: str


@dataclass
class Document:
    """The original text plus what we learned about its structure."""

    text: str
    meta: DocumentMeta
    content: list[tuple[int, int]] = field(default_factory=list)
    furniture: list[tuple[int, int]] = field(default_factory=list)
    injections: list[tuple[int, int]] = field(default_factory=list)  # also in `furniture`
    withheld: list[Withheld] = field(default_factory=list)  # `furniture`, with the reasons
    notes: list[Notice] = field(default_factory=list)  # decisions cut back, for the result

    @property
    def withheld_share(self) -> float:
        """Characters the model never read, over all characters of nonblank lines."""
        kept = sum(e - s for s, e in self.content)
        held = sum(e - s for s, e in self.furniture)
        return held / (kept + held) if kept + held else 0.0

    def withheld_notices(self) -> list[Notice]:
        """What the result should warn about: sections cut back to their header, and more
        than a quarter of the text withheld."""
        notes = list(self.notes)
        share = self.withheld_share
        if share > WITHHELD_WARN_SHARE:
            counts: dict[str, int] = {}
            for w in self.withheld:
                counts[w.reason] = counts.get(w.reason, 0) + w.end - w.start
            top = ", ".join(f"{r} {n:,}" for r, n in sorted(counts.items(), key=lambda x: -x[1]))
            notes.append(Notice(code="withheld_share", message=(
                f"{share:.0%} of the text was kept from the model (characters by reason: {top}); "
                "see `withheld` for every span")))
        return notes

    @property
    def body(self) -> str:
        """What the model reads: content lines only, furniture and header left out."""
        return "\n".join(self.text[s:e] for s, e in self.content)

    @property
    def headline(self) -> tuple[int, int] | None:
        """The title line when it opens the content: it restates the story in other words."""
        if self.content and self.meta.title:
            s, e = self.content[0]
            if self.text[s:e].strip() == self.meta.title.strip():
                return s, e
        return None

    def in_furniture(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.furniture)

    def sentences(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for s, e in self.content:
            pos = s
            for m in _SENTENCE_END.finditer(self.text, s, e):
                if m.start() > pos:
                    spans.append((pos, m.start()))
                pos = m.end()
            if pos < e:
                spans.append((pos, e))
        return spans

    def chunks(self, max_chars: int = 6000, overlap: int = 1) -> list[Chunk]:
        """Split content at sentence ends into chunks of about max_chars, overlapping by
        `overlap` sentences so a statement cut by a boundary is whole in one of them."""
        sents = self.sentences()
        if not sents:
            return []
        out: list[Chunk] = []
        i = 0
        while i < len(sents):
            j = i
            size = 0
            while j < len(sents) and (j == i or size + sents[j][1] - sents[j][0] <= max_chars):
                size += sents[j][1] - sents[j][0] + 1
                j += 1
            start, end = sents[i][0], sents[j - 1][1]
            out.append(Chunk(len(out), start, end, self._content_between(start, end)))
            if j >= len(sents):
                break
            i = max(j - overlap, i + 1)
        return out

    def _content_between(self, start: int, end: int) -> str:
        parts = [self.text[max(s, start) : min(e, end)] for s, e in self.content]
        return "\n".join(p for p in parts if p)


def check_text(text: object) -> str:
    """Turn what a user passed into text, or say clearly why it cannot be used."""
    if isinstance(text, bytes | bytearray):
        if b"\x00" in text:
            raise InputError("input looks binary (it contains NUL bytes); give article text")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(f"input is not valid UTF-8 (byte {e.start}); decode it first") from e
    if not isinstance(text, str):
        raise InputError(f"expected article text as str, got {type(text).__name__}")
    if "\x00" in text:
        raise InputError("input looks binary (it contains NUL characters); give article text")
    if not text.strip():
        raise InputError("input text is empty or only whitespace")
    if len(text) > MAX_CHARS:
        raise InputError(f"input is {len(text):,} characters; the limit is {MAX_CHARS:,}")
    return text


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        spans.append((pos, pos + len(stripped)))
        pos += len(line)
    return spans


def _date_alone(line: str) -> dt.date | None:
    day = find_date(line)
    return day if day is not None and len(re.findall(r"[A-Za-z]{3,}", line)) <= 3 else None


def _above_title(line: str) -> bool:
    """A line a page may print above its headline: the outlet's name, or a date alone."""
    return _date_alone(line) is not None or is_outlet_name(line)


def _past_widget(lines: list[str], top: int, header: dict[int, str],
                 dated: bool) -> tuple[int, str]:
    """Under the line above the title, a widget's list items ("• City Fajr Shuruq ...",
    prayer times, a ticker) and the date printed again come before the headline."""
    while top + 2 < len(lines) and (is_list_item(lines[top])
                                    or (dated and _date_alone(lines[top]) is not None)):
        header[top] = "furniture:widget" if is_list_item(lines[top]) else "header:date"
        top += 1
    return top, lines[top]


def _header(lines: list[str], source: str | None) -> tuple[DocumentMeta, dict[int, str]]:
    """A short first line with no closing full stop is the title (it stays content: a headline
    can carry the threat); up to 3 short meta lines under it (byline, date, publisher) do not."""
    found = DocumentMeta(source=source)
    header: dict[int, str] = {}
    # Leading furniture ("Advertisement", a share bar) comes before the title.
    top = next((i for i, x in enumerate(lines[:5]) if not line_reason(x)), 0)
    if len(lines) - top <= 2:
        return found, header
    first = lines[top]
    if (len(first) >= 200 or first.endswith(".") or not re.search(r"\w", first)
            or line_reason(first) or is_section_header(first)):
        return found, header
    nxt, day = lines[top + 1], _date_alone(first)
    if ((day is not None or is_outlet_name(first)) and not _above_title(nxt)
            and len(nxt) < 200 and not nxt.endswith(".") and not line_reason(nxt)):
        if day is not None:  # "/ 11 March 2005" above the title
            found.published_at, header[top] = day, "header:date"
        else:  # "The Daily Telegraph" above "We will retaliate, Moscow warns Britain"
            found.publisher, header[top] = first, "header:publisher"
        top, first = top + 1, nxt
        top, first = _past_widget(lines, top, header, found.published_at is not None)
    found.title = first
    for i in range(top + 1, top + 4):
        line = lines[i] if i < len(lines) else ""
        if not line or len(line) > 80 or line.endswith((".", ":")):
            break
        if is_byline(line):
            found.byline = line
            header[i] = "byline"
        elif line_reason(line):
            break  # a caption or other furniture under the title: decided as furniture
        elif found.published_at is None and (day := find_date(line)) is not None:
            found.published_at = day
            header[i] = "header:date"
        elif found.publisher is None and is_publisher(line):
            found.publisher = line
            header[i] = "header:publisher"
        else:
            break
    return found, header


def _spans(text: str, lines: list[tuple[int, int]], reasons: dict[int, str]) -> list[Withheld]:
    """One Withheld per run of consecutive nonblank lines withheld for the same reason."""
    out: list[Withheld] = []
    run: list[int] = []
    for i in sorted(reasons):
        if run and (i != run[-1] + 1 or reasons[i] != reasons[run[-1]]):
            out.append(_withheld(text, lines, run, reasons[run[0]]))
            run = []
        run.append(i)
    if run:
        out.append(_withheld(text, lines, run, reasons[run[0]]))
    return out


def _withheld(text: str, lines: list[tuple[int, int]], run: list[int], reason: str) -> Withheld:
    start, end = lines[run[0]][0], lines[run[-1]][1]
    return Withheld(start=start, end=end, text=text[start:end], reason=reason)


def parse(text: object, *, source: str | None = None, meta: DocumentMeta | None = None) -> Document:
    """Find header, content and furniture lines. Raises InputError on unusable input."""
    page_meta: DocumentMeta | None = None
    if isinstance(text, str | bytes | bytearray) and looks_like_html(text):
        if isinstance(text, bytes | bytearray) and b"\x00" in text:
            raise InputError("input looks binary (it contains NUL bytes); give article text")
        page = extract_html(text, source=source)
        text, page_meta = page.text, page.meta
    text = check_text(text)
    nonblank = [(s, e) for s, e in _lines(text) if text[s:e].strip()]
    lines = [clean(text[s:e]) for s, e in nonblank]
    found, header = _header(lines, source)
    decisions, capped = decide(lines, header)
    reasons = {i: d.reason for d in decisions for i in d.lines}
    content = [span for i, span in enumerate(nonblank) if i not in reasons]
    # Lines written at a model (the injection stage decides these; they leave the content).
    injections = injection_spans(text, content)  # lines that address a model (injection.py)
    if injections:
        where = {span: i for i, span in enumerate(nonblank)}
        reasons.update({where[span]: "injection" for span in injections})
        content = [span for span in content if span not in set(injections)]
    if not content:
        raise InputError("input has no article content: every line looks like page furniture")
    notes = [Notice(code="furniture_capped", message=(
        f"{text[nonblank[c.line][0]:nonblank[c.line][1]]!r} at {nonblank[c.line][0]} looks like "
        f"a {c.reason} header, but what follows does not look like {c.reason} ({c.share:.0%} "
        "of the page); only the header line was kept from the model")) for c in capped]
    if page_meta is not None:
        found = found.model_copy(update=page_meta.model_dump(exclude_none=True))
    if meta is not None:  # what the caller knows wins; content_type stays what was parsed
        found = found.model_copy(update=meta.model_dump(exclude_none=True, exclude_unset=True,
                                                        exclude={"content_type"}))
    return Document(text=text, meta=found, content=content,
                    furniture=[nonblank[i] for i in sorted(reasons)], injections=injections,
                    withheld=_spans(text, nonblank, reasons), notes=notes)
