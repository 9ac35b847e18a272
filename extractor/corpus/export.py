"""The event and actor tables as CSV, JSON Lines and Parquet.

CSV joins a list column with "; "; JSON Lines and Parquet keep lists (Parquet: list<string>,
the date as date32), so DuckDB and pandas read them typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from .events import COLUMNS

ACTOR_COLUMNS: list[tuple[str, str]] = [
    ("id", "str"), ("name", "str"), ("type", "str"), ("country", "str"), ("sector", "str"),
    ("role", "str"), ("affiliation", "str"), ("affiliation_id", "str"), ("documents", "int"),
    ("mention_count", "int"), ("aliases", "list"), ("merge_reasons", "list"),
]


def actor_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat rows of the canonical actors (actors.jsonl keeps everything)."""
    return [{"id": r["id"], "name": r["name"], "type": r["type"], "country": r["country"],
             "sector": r["sector"], "role": r["role"], "affiliation": r["affiliation"],
             "affiliation_id": r["affiliation_id"], "documents": r["documents"],
             "mention_count": sum(r["mentions"].values()), "aliases": list(r["names"]),
             "merge_reasons": sorted({m["reason"] for m in r["merges"]})} for r in records]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(path)


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([c for c, _ in columns])
        for r in rows:
            w.writerow(["; ".join(r[c]) if kind == "list" else
                        ("" if r[c] is None else str(r[c]).lower() if kind == "bool" else r[c])
                        for c, kind in columns])
    tmp.replace(path)


def write_parquet(path: Path, rows: list[dict[str, Any]],
                  columns: list[tuple[str, str]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"str": pa.string(), "int": pa.int64(), "bool": pa.bool_(), "date": pa.date32(),
             "list": pa.list_(pa.string())}
    schema = pa.schema([(c, types[kind]) for c, kind in columns])
    data = {c: [dt.date.fromisoformat(r[c]) if kind == "date" and r[c] else r[c]
                for r in rows] for c, kind in columns}
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(pa.table(data, schema=schema), tmp)
    tmp.replace(path)


def write_tables(folder: Path, name: str, rows: list[dict[str, Any]],
                 columns: list[tuple[str, str]] = COLUMNS,
                 formats: tuple[str, ...] = ("csv", "jsonl", "parquet")) -> list[Path]:
    """NAME.csv, NAME.jsonl and NAME.parquet (those in `formats`) in `folder`."""
    paths = []
    for ext in formats:
        path = folder / f"{name}.{ext}"
        if ext == "csv":
            write_csv(path, rows, columns)
        elif ext == "jsonl":
            write_jsonl(path, rows)
        else:
            write_parquet(path, rows, columns)
        paths.append(path)
    return paths
