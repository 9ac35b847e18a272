"""Batch input: documents from a JSONL file, a folder of .txt files, stdin, or Python records.

Read lazily, so a huge input is never held in memory; a record that cannot be a document
(no id, no text, not JSON) becomes an item with a `problem`, which the batch records as an
InputError line instead of stopping.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .. import errors


@dataclass(frozen=True)
class BatchItem:
    """One document to extract. `problem` says why the input record itself is unusable."""

    id: str
    text: str | bytes | None
    problem: str | None = None


ItemLike = BatchItem | tuple[Any, Any] | Mapping[str, Any]


def to_item(record: ItemLike, position: int) -> BatchItem:
    """Normalise an (id, text) pair or a {"id", "text"} mapping; ids become strings."""
    if isinstance(record, BatchItem):
        return record
    if isinstance(record, Mapping):
        rid, text = record.get("id"), record.get("text")
    elif isinstance(record, tuple | list) and len(record) == 2:
        rid, text = record
    else:
        return BatchItem(f"#{position}", None,
                         f"record {position} is not an (id, text) pair or a mapping")
    if rid is None or rid == "":
        return BatchItem(f"#{position}", None, f"record {position} has no 'id'")
    if not isinstance(text, str | bytes):
        return BatchItem(str(rid), None, f"record {position} has no 'text' string")
    return BatchItem(str(rid), text)


def _jsonl_items(stream: IO[bytes], name: str) -> Iterator[BatchItem]:
    for n, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except ValueError as e:
            yield BatchItem(f"{name}:{n}", None, f"{name} line {n} is not valid JSON: {e}")
            continue
        if not isinstance(record, dict):
            yield BatchItem(f"{name}:{n}", None, f"{name} line {n} is not a JSON object")
            continue
        yield to_item(record, n)


def _file_items(path: Path) -> Iterator[BatchItem]:
    with path.open("rb") as fh:
        yield from _jsonl_items(fh, path.name)


def read_items(source: str | Path) -> Iterator[BatchItem]:
    """Documents from a JSONL file ({"id", "text"} per line), a folder of .txt files (id =
    file stem, sorted), or '-' for JSONL on stdin."""
    if str(source) == "-":
        return _jsonl_items(sys.stdin.buffer, "<stdin>")
    path = Path(source)
    if path.is_dir():
        return (BatchItem(f.stem, f.read_bytes()) for f in sorted(path.glob("*.txt")))
    if path.is_file():
        return _file_items(path)
    raise errors.InputError(f"no such file or folder: {source}")


def count_items(source: str | Path) -> int | None:
    """How many documents `read_items(source)` yields (None for stdin): the progress total."""
    if str(source) == "-":
        return None
    path = Path(source)
    if path.is_dir():
        return sum(1 for _ in path.glob("*.txt"))
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())
