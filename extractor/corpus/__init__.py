"""The corpus view: many documents' extractions (the output of `extractor batch`) as one
corpus: canonical actors across documents, PLOVER-like event tables, a threat timeline.

    from extractor.corpus import update_corpus
    report = update_corpus("corpus/", ["out.jsonl"], texts="articles/")

`update_corpus` adds new documents to a corpus folder (a re-extracted document replaces its
old self) and never recodes the documents already in it; canonical actor ids stay as they
were. `build_corpus` starts the folder afresh. Heavy libraries (pyarrow, pycountry) load
only when a corpus is written, so `import extractor` stays light.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import Extraction
from . import store

__all__ = ["CorpusReport", "build_corpus", "update_corpus"]


@dataclass
class CorpusReport:
    folder: Path
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    documents: int = 0
    actors: int = 0
    new_actors: int = 0
    events: int = 0
    claims: int = 0
    pages: int = 0
    quotes_only: int = 0  # pages written without the article's text
    files: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _texts(source: str | Path | None, wanted: set[str]) -> dict[str, str | bytes]:
    """The raw article texts of the wanted ids, from the batch's INPUT."""
    if source is None or not wanted:
        return {}
    from ..batch import read_items

    return {item.id: item.text for item in read_items(source)
            if item.id in wanted and item.text is not None}


def _article(ex: Extraction, raw: str | bytes | None) -> str | None:
    """The text the extraction's offsets refer to: the article as the extractor parsed it
    (an HTML page made text), else as given; None when neither fits its spans."""
    if raw is None:
        return None
    from ..documents import parse
    from ..errors import InputError

    given = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    texts = [given]
    with contextlib.suppress(InputError):  # empty or binary: no parsed article to show
        texts.insert(0, parse(raw).text)
    for text in texts:
        try:
            ex.check_offsets(text)
        except ValueError:
            continue
        return text
    return None


def update_corpus(folder: str | Path, batches: str | Path | Iterable[str | Path], *,
                  texts: str | Path | None = None) -> CorpusReport:
    """Add the documents of one or more batch outputs to the corpus in `folder`.

    `texts` is the batch's INPUT (a JSONL file or a folder of .txt): with it each document's
    page shows its article; without, the passages its items quote."""
    from ..render import extraction_html
    from .events import claim_rows, threat_rows

    folder = Path(folder)
    paths = [Path(batches)] if isinstance(batches, str | Path) else [Path(b) for b in batches]
    state = store.load(folder)
    report = CorpusReport(folder)
    before = set(state.book.actors)
    pending: dict[str, tuple[Extraction, str]] = {}
    for path in paths:
        for rec in store.read_batch(path):
            doc = rec.id
            if doc in pending:
                report.notices.append(f"{doc}: given twice; the later extraction is kept")
                del pending[doc]
            if state.documents.get(doc, {}).get("hash") == rec.hash:
                report.unchanged += 1
            else:
                pending[doc] = (rec.extraction(), rec.hash)
    text_of = _texts(texts, set(pending))
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    seq = max((d["seq"] for d in state.documents.values()), default=0)
    for doc, (ex, digest) in pending.items():
        if doc in state.documents:
            report.replaced += 1
            state.book.remove_document(doc)
            state.rows = [r for r in state.rows if r["document_id"] != doc]
            state.claims = [r for r in state.claims if r["document_id"] != doc]
        else:
            report.added += 1
        ids = state.book.add_document(doc, ex)
        state.rows += threat_rows(doc, ex, ids)
        state.claims += claim_rows(doc, ex, ids)
        page = store.page_name(doc)
        text = _article(ex, text_of.get(doc))
        if text is None and doc in text_of:
            report.notices.append(f"{doc}: the given text does not match the extraction's "
                                  "offsets; its page shows the quoted passages only")
        (folder / page).write_text(extraction_html(ex, text), encoding="utf-8")
        report.pages += 1
        report.quotes_only += text is None
        seq += 1
        d = ex.document
        state.documents[doc] = {
            "title": d.title, "publisher": d.publisher, "source": d.source,
            "date": d.published_at.isoformat() if d.published_at else None, "page": page,
            "hash": digest, "seq": seq, "text": text is not None,
            "threats": len(ex.threats), "actors": len(ex.actors),
            "added": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    report.files = _write(folder, state, report.notices)
    report.documents = len(state.documents)
    report.actors = len(state.book.actors)
    report.new_actors = len(set(state.book.actors) - before)
    report.events = len(state.rows)
    report.claims = len(state.claims)
    return report


def build_corpus(folder: str | Path, batches: str | Path | Iterable[str | Path], *,
                 texts: str | Path | None = None) -> CorpusReport:
    """A fresh corpus in `folder` (a corpus already there is removed first)."""
    store.clear(Path(folder))
    return update_corpus(folder, batches, texts=texts)


def _write(folder: Path, state: store.State, notices: list[str]) -> list[Path]:
    """Every table and the timeline from the state; the manifest last, as the commit."""
    import importlib.util

    from ..render import timeline_html
    from .events import CLAIM_COLUMNS, joined, sector
    from .export import ACTOR_COLUMNS, actor_rows, write_jsonl, write_tables

    parquet = ("parquet",) if importlib.util.find_spec("pyarrow") else ()
    if not parquet:
        notices.append("pyarrow is not installed: no Parquet tables written "
                       "(pip install 'extractor-intel[corpus]')")
    book = state.book
    records = [a.record(sector(book, a)) for a in book.actors.values()]
    write_jsonl(folder / "actors.jsonl", records)
    files = [folder / "actors.jsonl"]
    files += write_tables(folder, "actors", actor_rows(records), ACTOR_COLUMNS,
                          ("csv", *parquet))
    rows = joined(state.rows, book)
    files += write_tables(folder, "events", rows, formats=("csv", "jsonl", *parquet))
    files += write_tables(folder, "claims", joined(state.claims, book, CLAIM_COLUMNS),
                          CLAIM_COLUMNS, ("csv", "jsonl", *parquet))
    timeline = folder / "timeline.html"
    timeline.write_text(timeline_html(rows, records, state.documents), encoding="utf-8")
    return [*files, timeline, store.save_manifest(folder, state.documents)]
