"""HTML in: the page's main text and metadata, found by trafilatura.

A saved web page is mostly navigation, scripts and footers. trafilatura keeps the article
(title, paragraphs) and reads title, author, date and site name from the markup. The
extracted text then IS the document: every offset refers to it, and the result carries it
(`Extraction.text`), so each evidence slice can still be checked.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass

from .errors import InputError
from .schema import DocumentMeta

MAX_MARKUP_BYTES = 20_000_000
# A page needs one line of prose to have a main text: navigation and footers are short items.
MIN_PROSE_WORDS = 8

_DOCUMENT = re.compile(r"^\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                       re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?(?:html|head|body|div|p|span|a|article|section|nav|header|footer|main"
                  r"|script|style|meta|link|ul|ol|li|h[1-6]|br|table|tr|td|img)\b[^<>]{0,500}>",
                  re.IGNORECASE)


@dataclass(frozen=True)
class Page:
    """The main text of a page and what its markup says about it."""

    text: str
    meta: DocumentMeta


def looks_like_html(data: str | bytes | bytearray) -> bool:
    """A whole document (doctype, <html>, <body>) or text dense with markup tags."""
    head = data[:5000]
    if isinstance(head, bytes | bytearray):
        head = bytes(head).decode("utf-8", errors="replace")
    return bool(_DOCUMENT.match(head)) or len(_TAG.findall(head)) >= 3


def extract_html(markup: str | bytes | bytearray, *, source: str | None = None) -> Page:
    """Main text and metadata of a page; InputError where the page has no main text."""
    if isinstance(markup, bytearray):
        markup = bytes(markup)
    if len(markup) > MAX_MARKUP_BYTES:
        raise InputError(f"HTML input is {len(markup):,} bytes; the limit is {MAX_MARKUP_BYTES:,}")
    import trafilatura  # heavy (lxml, justext, htmldate): only for HTML input

    with warnings.catch_warnings():
        # trafilatura and lxml warn about their own internals; not the user's concern.
        warnings.simplefilter("ignore")
        found = trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False, include_tables=False,
            # only dates the markup states (meta tags, <time>), never a guess from the text
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    text = _tidy(getattr(found, "text", None) or "")
    if not any(len(line.split()) >= MIN_PROSE_WORDS for line in text.splitlines()):
        raise InputError("input is HTML but no main text could be found in it (only navigation, "
                         "boilerplate or a few words); give the article page or its text")
    title = _clean(getattr(found, "title", None))
    if title and title not in text.split("\n", 2)[:2]:
        text = f"{title}\n{text}"  # the headline can carry the threat: the model reads it
    meta = DocumentMeta(
        title=title,
        byline=_clean(getattr(found, "author", None)),
        publisher=_clean(getattr(found, "sitename", None)),
        published_at=_date(getattr(found, "date", None)),
        source=source,
        content_type="html",
    )
    return Page(text=text, meta=meta)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
