"""Concurrent, rate-limited, resumable extraction over many documents.

    from extractor.batch import extract_many
    report = extract_many(read_items("in.jsonl"), Extractor(...), out="out.jsonl")

Modules: readers (input), jsonl (crash-safe output and resume), ratelimit (RPM/TPM as LLM
middleware), engine (one document, in this process), workers (in worker processes), runner
(the orchestrator).
"""

from __future__ import annotations

from .engine import FATAL, Outcome
from .jsonl import default_errors_path, finished_ids, repair_tail
from .ratelimit import Bucket, RateLimit, estimate_tokens
from .readers import BatchItem, ItemLike, count_items, read_items, to_item
from .runner import BatchReport, aextract_many, extract_many

__all__ = [
    "FATAL",
    "BatchItem",
    "BatchReport",
    "Bucket",
    "ItemLike",
    "Outcome",
    "RateLimit",
    "aextract_many",
    "count_items",
    "default_errors_path",
    "estimate_tokens",
    "extract_many",
    "finished_ids",
    "read_items",
    "repair_tail",
    "to_item",
]
