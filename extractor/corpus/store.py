"""The corpus folder: what it holds, read back and written atomically.

    corpus.json      documents (id, title, date, page, content hash, order) and the format
    actors.jsonl     canonical actors, each with its members (the state updates start from)
    actors.csv|parquet  the same, flat
    events.jsonl|csv|parquet  one row per threat (docs/events.md)
    claims.jsonl|csv|parquet  one row per claim
    timeline.html    the timeline page
    docs/ID.html     each document's extraction view
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError
from ..schema import Extraction
from .actors import ActorBook
from .entities import CanonicalActor

FORMAT = 1
MANIFEST = "corpus.json"
OURS = ("corpus.json", "actors.jsonl", "actors.csv", "actors.parquet", "events.jsonl",
        "events.csv", "events.parquet", "claims.jsonl", "claims.csv", "claims.parquet",
        "timeline.html")


@dataclass
class State:
    """Everything an update starts from."""

    book: ActorBook = field(default_factory=ActorBook)
    rows: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)


def page_name(doc_id: str) -> str:
    """A file name for a document id: the id where it is safe, else a slug plus a hash."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", doc_id)[:80].lstrip(".") or "doc"
    if safe != doc_id:
        safe += "-" + hashlib.sha256(doc_id.encode()).hexdigest()[:8]
    return f"docs/{safe}.html"


def content_hash(extraction: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(extraction, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class BatchRecord:
    """One line of an `extractor batch` output, validated only when it is needed: a
    document the corpus already has, unchanged, is skipped on its hash."""

    id: str
    raw: dict[str, Any]
    hash: str
    where: str

    def extraction(self) -> Extraction:
        try:
            return Extraction.model_validate(self.raw)
        except ValidationError as e:
            first = e.errors()[0]
            raise InputError(f"{self.where}: not an Extraction: {first['msg']} at "
                             f"{'.'.join(map(str, first['loc']))}") from e


def read_batch(path: Path) -> Iterator[BatchRecord]:
    """The records of an `extractor batch` output; a line that is not one is an InputError
    that names the file and line."""
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path.name} line {n}"
            try:
                rec = json.loads(line)
            except ValueError as e:
                raise InputError(f"{where} is not valid JSON: {e}") from e
            if not isinstance(rec, dict) or "id" not in rec or \
                    not isinstance(rec.get("extraction"), dict):
                raise InputError(f"{where} is not an {{\"id\", \"extraction\"}} record "
                                 "(the results file of `extractor batch`, not its errors)")
            yield BatchRecord(str(rec["id"]), rec["extraction"],
                              content_hash(rec["extraction"]), where)


def load(folder: Path) -> State:
    """The folder's state; an empty one for a new or empty folder."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        if folder.is_dir() and any((folder / f).exists() for f in OURS[1:]):
            raise InputError(f"{folder} has corpus tables but no {MANIFEST}: not a corpus "
                             "folder this version can update (rebuild it)")
        return State()
    meta = json.loads(manifest.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise InputError(f"{manifest}: corpus format {meta.get('format')!r}, expected {FORMAT}")
    actors = [CanonicalActor.from_record(json.loads(line)) for line in
              (folder / "actors.jsonl").read_text(encoding="utf-8").splitlines() if line]
    rows, claims = (_jsonl(folder / f"{name}.jsonl") for name in ("events", "claims"))
    return State(ActorBook(actors), rows, claims, meta["documents"])


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise InputError(f"{path} is missing: the corpus folder is incomplete (rebuild it)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def save_manifest(folder: Path, documents: dict[str, dict[str, Any]]) -> Path:
    path = folder / MANIFEST
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"format": FORMAT, "documents": documents}, indent=1,
                              ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path


def clear(folder: Path) -> None:
    """Remove a corpus this package wrote (its files and pages), nothing else."""
    for name in OURS:
        (folder / name).unlink(missing_ok=True)
    docs = folder / "docs"
    if docs.is_dir():
        for page in docs.glob("*.html"):
            page.unlink()
