"""extractor.distributed on a local Ray (2 CPUs) against the loopback scripted server: one
Extractor per actor, rows {id, text} -> {id, extraction_json, error}, bad rows as errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import ray  # the ray extra is part of dev: a missing ray fails here, never skips
from extraction_server import document, valid_answer
from scripted_server import Action, ScriptedServer, answer

from extractor.schema import Extraction


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    try:
        yield
    finally:
        ray.shutdown()


def ok(body: dict[str, Any]) -> Action:
    return answer(valid_answer(body))


def test_extract_dataset_one_row_per_document(local_ray: None,
                                              scripted: ScriptedServer) -> None:
    from extractor.distributed import extract_dataset

    scripted.set_script(ok)
    rows = [{"id": f"d{i}", "text": document(i)} for i in range(20)]
    rows[7]["text"] = ""
    rows[13]["text"] = "   "
    ds = ray.data.from_items(rows)
    out = extract_dataset(ds, model="test", prompt="extract@5", base_url=scripted.url,
                          concurrency=2,
                          batch_size=4).take_all()

    assert sorted(r["id"] for r in out) == sorted(r["id"] for r in rows)
    assert {r["id"] for r in out if r["error"]} == {"d7", "d13"}
    for r in out:
        if r["error"]:
            assert r["error"].startswith("InputError:") and r["extraction_json"] is None
        else:
            extraction = Extraction.model_validate(json.loads(r["extraction_json"]))
            assert extraction.document.source == r["id"]
            assert extraction.threats
    assert len(scripted.chat_requests) == 18 * 3


def test_import_extractor_never_imports_ray() -> None:
    code = ("import sys, extractor, extractor.batch, extractor.distributed; "
            "assert 'ray' not in sys.modules, 'ray imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
