"""Which language an article is in, by py3langid (a kept langid.py port, offline).

The linguistic layer parses English only; an article in another language must still be
extracted (by the model-only passes) and say so, never come back silently empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1
    confidence: float  # 0-1, from langid's normalized probability


def detect(text: str) -> Language:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    global _identifier
    if _identifier is None:
        _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    code, prob = _identifier.classify(text[:20000])
    return Language(code=code, confidence=round(float(prob), 3))


_identifier: Any = None
