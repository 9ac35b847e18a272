"""Batch throughput against a loopback server with injected latency; prints a markdown table.

    python benchmarks/throughput.py                  # N=500, L=200 ms, concurrency 1 8 32 128
    python benchmarks/throughput.py --levels 128 --workers 1,2 --no-naive   # worker processes
    python benchmarks/throughput.py --calls 3000 --levels 64 --latency 0.05  # LLM.acall alone

The server (tests/extraction_server.py, aiohttp) runs in its own process and answers every
request with a valid, grounded extraction after L seconds, so what limits the client is its
concurrency and its own CPU, which is measured alone (time.process_time of this process,
plus the worker processes' CPU when `--workers` > 1; the server is not counted).
The ideal bound is concurrency / (requests_per_doc x L). The reference row is a naive
sequential loop of three instructor calls per document (no grounding, no files, no retries
around it), the floor any batch path should beat at concurrency 1 on CPU per document.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from extraction_server import document  # noqa: E402

from extractor.batch import extract_many  # noqa: E402
from extractor.pipeline import Extractor  # noqa: E402


@dataclass
class Row:
    client: str
    workers: int
    concurrency: int
    docs: int
    wall_s: float
    cpu_s: float
    requests: int
    failed: int

    def cells(self, latency: float) -> list[str]:
        per_doc = self.requests / max(1, self.docs)
        rate = self.docs / self.wall_s
        ideal = self.concurrency / (per_doc * latency)
        cpu_ms = 1000 * self.cpu_s / self.docs
        return [self.client, str(self.workers), str(self.concurrency), str(self.docs),
                f"{per_doc:.2f}",
                f"{self.wall_s:.1f}", f"{rate:.2f}", f"{ideal:.2f}", f"{rate / ideal:.2f}",
                f"{cpu_ms:.1f}", f"{1000 / cpu_ms:.0f}", str(self.failed)]


HEADER = ["client", "workers", "concurrency", "docs", "requests/doc", "wall s", "docs/s",
          "ideal docs/s", "ratio", "client CPU ms/doc", "CPU-bound docs/s", "failed"]


def start_server(latency: float) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "extraction_server.py"), "--latency", str(latency)],
        stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        proc.kill()
        raise SystemExit(f"server did not start (needs aiohttp: pip install -e '.[bench]'): "
                         f"{line!r}")
    return proc, f"http://127.0.0.1:{int(line.split()[1])}/v1"


def _children_cpu() -> float:
    """CPU of reaped child processes (the batch's workers, joined when it ends)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_batch(url: str, concurrency: int, n: int, workdir: Path, label: str,
              workers: int = 1) -> Row:
    ex = Extractor("test", "extract@5", base_url=url, cache=False)  # 3 requests per document
    items = [(f"{label}-{i}", document(i)) for i in range(n)]
    cpu, children, wall = time.process_time(), _children_cpu(), time.perf_counter()
    more: dict[str, Any] = {"workers": workers} if workers > 1 else {}  # older releases too
    report = extract_many(items, ex, out=workdir / f"{label}.jsonl", concurrency=concurrency,
                          **more)
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu + _children_cpu() - children
    return Row("extractor.batch", workers, concurrency, n, wall, cpu, report.requests,
               report.failed)


def run_calls(url: str, concurrency: int, n: int) -> str:
    """LLM.acall alone (one pass, no pipeline, no files): client CPU per request."""
    import asyncio

    from extractor.llm import LLM, CallRequest
    from extractor.providers import resolve
    from extractor.schema import ActorsResponse

    llm = LLM(resolve("test", base_url=url))
    system = {"role": "system", "content": "You list the actors of a news article. " * 10}

    def request(i: int) -> CallRequest:
        task = f"<article>\n{document(i)}\n</article>\n\nTASK: list the actors."
        return CallRequest("actors", [system, {"role": "user", "content": task}],
                           ActorsResponse, {"temperature": 0.0, "max_tokens": 300})

    async def calls(count: int) -> None:
        gate = asyncio.Semaphore(concurrency)

        async def one(i: int) -> None:
            async with gate:
                await llm.acall(request(i))

        await asyncio.gather(*(one(i) for i in range(count)))

    async def measured() -> tuple[float, float]:
        await calls(min(n, 100))  # warm-up: imports, connections
        cpu, wall = time.process_time(), time.perf_counter()
        await calls(n)
        return time.process_time() - cpu, time.perf_counter() - wall

    cpu, wall = asyncio.run(measured())
    return (f"| LLM.acall | {concurrency} | {n} | {wall:.1f} | {n / wall:.0f} | "
            f"{1000 * cpu / n:.2f} |")


def run_naive(url: str, n: int) -> Row:
    """Three plain instructor calls per document, one after another."""
    import instructor
    import openai

    from extractor.schema import ActorsResponse, ClaimsResponse, ThreatsResponse

    client = instructor.from_openai(openai.OpenAI(base_url=url, api_key="not-needed"),
                                    mode=instructor.Mode.JSON_SCHEMA)
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(n):
        article = document(i)
        for name, model in (("actors", ActorsResponse), ("threats", ThreatsResponse),
                            ("claims", ClaimsResponse)):
            client.chat.completions.create(
                model="test", response_model=model, max_retries=1, temperature=0.0,
                messages=[{"role": "user",
                           "content": f"<article>\n{article}\n</article>\n\nTASK: list the "
                                      f"{name} in the article."}])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Row("naive instructor loop", 1, 1, n, wall, cpu, 3 * n, 0)


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("--n", type=int, default=500, help="documents per row (default 500)")
    cli.add_argument("--latency", type=float, default=0.2, help="server latency, seconds")
    cli.add_argument("--levels", default="1,8,32,128", help="concurrency levels")
    cli.add_argument("--workers", default="1", help="worker process counts (extract_many's "
                     "workers=), each run at every level")
    cli.add_argument("--no-naive", action="store_true", help="skip the reference loop")
    cli.add_argument("--calls", type=int, default=0,
                     help="measure only LLM.acall, this many calls per level")
    cli.add_argument("--json", type=Path, help="also write the rows here")
    args = cli.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    worker_counts = [int(x) for x in args.workers.split(",")]

    server, url = start_server(args.latency)
    if args.calls:
        try:
            lines = [run_calls(url, c, args.calls) for c in levels]
        finally:
            server.terminate()
            server.wait(10)
        print(f"\nL = {args.latency * 1000:.0f} ms per request; {os.cpu_count()} CPUs, load "
              f"average {os.getloadavg()[0]:.1f} at the end\n")
        print("| client | concurrency | calls | wall s | calls/s | client CPU ms/call |")
        print("|---|---|---|---|---|---|")
        print("\n".join(lines))
        return
    rows: list[Row] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            run_batch(url, 8, 16, workdir, "warmup")  # lazy imports, first connections
            for w in worker_counts:
                for c in levels:
                    print(f"extractor.batch, {w} worker(s), concurrency {c} ...",
                          file=sys.stderr, flush=True)
                    rows.append(run_batch(url, c, args.n, workdir, f"w{w}c{c}", w))
            if not args.no_naive:
                print("naive instructor loop ...", file=sys.stderr, flush=True)
                run_naive(url, 4)  # warm-up
                rows.append(run_naive(url, args.n))
    finally:
        server.terminate()
        server.wait(10)

    print(f"\nN = {args.n} documents, L = {args.latency * 1000:.0f} ms per request, "
          f"server in a separate process; Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for row in rows:
        print("| " + " | ".join(row.cells(args.latency)) + " |")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], indent=2))


if __name__ == "__main__":
    main()
