"""Content-addressed response cache on disk (sqlite), shared by extract, batch and eval.

The key covers everything that decides an answer: model, prompt id/version/hash, schema
version, the rendered messages (so the article text), the response schema and call
parameters. API keys are never part of what is stored. An answer salvaged from a reply cut
off at max_tokens is stored with `truncated` set, so the next run asks again instead of
replaying a partial answer for ever.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

from .models import cache_dir


def cache_key(**parts: Any) -> str:
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


TRUNCATED = "truncated"


class CachedAnswer(NamedTuple):
    value: str  # the validated answer, JSON
    usage: dict[str, Any]
    truncated: bool = False  # salvaged from a reply cut off at max_tokens


class ResponseCache:
    """Validated model answers by key. Safe across threads and processes (sqlite WAL)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else cache_dir() / "responses.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, model TEXT,"
            " pass TEXT, value TEXT NOT NULL, usage TEXT NOT NULL, created REAL NOT NULL)"
        )
        self._db.commit()

    def get(self, key: str) -> CachedAnswer | None:
        with self._lock:
            row = self._db.execute(
                "SELECT value, usage FROM responses WHERE key = ?", (key,)
            ).fetchone()
        if not row:
            return None
        usage = json.loads(row[1])
        return CachedAnswer(row[0], usage, bool(usage.pop(TRUNCATED, False)))

    def put(self, key: str, value: str, usage: dict[str, Any], *, model: str = "",
            pass_name: str = "", truncated: bool = False) -> None:
        # The flag rides in the usage JSON, not a new column: a cache file stays readable and
        # writable by every release, including a process of an older one running meanwhile.
        stored = {**usage, TRUNCATED: 1} if truncated else usage
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?)",
                (key, model, pass_name, value, json.dumps(stored), time.time()),
            )
            self._db.commit()

    def clear(self) -> int:
        with self._lock:
            n = self._db.execute("DELETE FROM responses").rowcount
            self._db.commit()
        return n

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __getstate__(self) -> dict[str, Any]:
        """Only the path travels (to a worker process); the copy opens its own connection."""
        return {"path": str(self.path)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"])  # type: ignore[misc]
