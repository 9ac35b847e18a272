"""Text -> Document: header meta, page furniture, sentences and chunks, all with original offsets.

Scraped pages carry a title/publisher/date header and furniture (newsletter boxes, link lists,
comments). The model reads only the content; every offset still refers to the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dateutil import parser as dateparser

from .errors import InputError
from .schema import DocumentMeta

MAX_CHARS = 2_000_000

_FURNITURE_LINE = re.compile(
    r"""^\s*(?:
        [|\-–—_=*•·#>]+                                   # rules and pipes
      | newsletter | advertisement | sponsored(\ content)?
      | (join|subscribe\ to|sign\ up\ for)\b.*(list|newsletter|updates|alerts)
      | subscribe(\ now)?|sign\ up(\ now)?|share(\ this(\ article)?)?
      | follow\ us\b.* | click\ here\b.* | read\ more:?.* | read\ next:?.*
      | (©|copyright\b).* | all\ rights\ reserved\.?
      | (tags?|topics?):.*
      | (image|photo)\ (credit|caption):.*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_LIST_HEADER = re.compile(
    r"^\s*(related(\ (articles|stories|coverage|links|reading))?|more\ on\ this\ story"
    r"|see\ also|recommended|most\ read|trending|you\ may\ also\ like)\s*:?\s*$",
    re.IGNORECASE | re.VERBOSE,
)
_COMMENTS_HEADER = re.compile(
    r"^\s*((\d+\s+)?(reader\s+)?comments?(\s*\(\d+\))?|comments\s+section|leave\s+a\s+comment"
    r"|what\s+readers\s+are\s+saying|reader\s+reactions?)\s*:?\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^\s*[Bb]y\s+[A-Z][\w.'’-]+(\s+[\w.'’-]+){0,6}\s*(,.*)?$")
# Lines written at a model, not a reader: fake role turns, "ignore previous instructions",
# answers in our JSON shape. They stay in the text (offsets) but the model never reads them
# and no evidence may come from them.
_INJECTION = re.compile(
    r"""^\W*(system|assistant|developer|user)\s*:
      | \b(ignore|disregard|forget)\b.{0,40}\b(previous|prior|above|earlier|all)\b.{0,30}
        \b(instructions?|prompts?|rules|directions)\b
      | \byou\s+are\s+now\b | \bnew\s+(system\s+)?(policy|instructions?)\s*:
      | ^\s*[\[{].*["'](threats|claims|actors|quote|speaker|claimant)["']\s*:""",
    re.IGNORECASE | re.VERBOSE,
)
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


def _parse_date(line: str) -> DocumentMeta | None:
    if not re.search(r"\d{4}|\d{1,2}[/.-]\d{1,2}", line) or len(line) > 60:
        return None
    try:
        when = dateparser.parse(line, fuzzy=True)
    except (ValueError, OverflowError):
        return None
    return DocumentMeta(published_at=when.date()) if when else None


def parse(text: object, *, source: str | None = None, meta: DocumentMeta | None = None) -> Document:
    """Find header, content and furniture lines. Raises InputError on unusable input."""
    text = check_text(text)
    if re.search(r"<\s*(html|body|div|p|script)\b", text[:5000], re.IGNORECASE):
        raise InputError("input looks like raw HTML; extract the article text from it first")
    lines = [(s, e) for s, e in _lines(text)]
    nonblank = [(s, e) for s, e in lines if text[s:e].strip()]
    found = DocumentMeta(source=source)
    header: set[tuple[int, int]] = set()
    # Header: a short first line with no closing full stop (the title, which stays content: a
    # headline can carry the threat), then up to 3 short meta lines (which do not).
    if len(nonblank) > 2:
        first = text[nonblank[0][0] : nonblank[0][1]].strip()
        if (len(first) < 200 and not first.endswith(".") and re.search(r"\w", first)
                and not _FURNITURE_LINE.match(first)):
            found.title = first
            for s, e in nonblank[1:4]:
                line = text[s:e].strip()
                if len(line) > 80 or line.endswith((".", ":")):
                    break
                if _BYLINE.match(line):
                    found.byline = line
                elif (d := _parse_date(line)) is not None and found.published_at is None:
                    found.published_at = d.published_at
                elif found.publisher is None and not _FURNITURE_LINE.match(line):
                    found.publisher = line
                else:
                    break
                header.add((s, e))
    content: list[tuple[int, int]] = []
    furniture: list[tuple[int, int]] = []
    injections: list[tuple[int, int]] = []
    in_list = in_comments = False
    for s, e in nonblank:
        line = text[s:e].strip().strip("|").strip()
        if (s, e) in header:
            furniture.append((s, e))
            continue
        if in_comments or _COMMENTS_HEADER.match(line):
            in_comments = True
            furniture.append((s, e))
            continue
        if _LIST_HEADER.match(line):
            in_list = True
            furniture.append((s, e))
            continue
        if in_list and len(line) < 160 and not line.endswith("."):
            furniture.append((s, e))
            continue
        in_list = False
        if not line or _FURNITURE_LINE.match(line) or (_BYLINE.match(line) and len(line) < 80):
            furniture.append((s, e))
            continue
        if _INJECTION.search(line):
            furniture.append((s, e))
            injections.append((s, e))
            continue
        content.append((s, e))
    if not content:
        raise InputError("input has no article content: every line looks like page furniture")
    if meta is not None:
        found = found.model_copy(update=meta.model_dump(exclude_none=True))
    return Document(text=text, meta=found, content=content, furniture=furniture,
                    injections=injections)
