"""The `extractor` command line (typer + rich). Nothing imports this module.

Results go to stdout, status and errors to stderr. Exit codes: 0 ok, 1 unexpected failure,
2 bad input or configuration, 3 model or provider failure, 4 eval gate failed.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from . import errors
from .schema import RESPONSE_MODELS, Extraction

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Source-grounded actors, threats and claims from news text.")
prompts_app = typer.Typer(no_args_is_help=True, help="Versioned prompt templates.")
cache_app = typer.Typer(no_args_is_help=True, help="The on-disk response cache.")
eval_app = typer.Typer(help="Score prompt versions x models against hand-labelled fixtures.")
app.add_typer(prompts_app, name="prompts")
app.add_typer(cache_app, name="cache")
app.add_typer(eval_app, name="eval")
err = Console(stderr=True)
out = Console(highlight=False, soft_wrap=True)


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"
    table = "table"
    html = "html"


ModelOpt = Annotated[str | None, typer.Option(
    "--model", "-m", help="Model string, e.g. local, local/qwen2.5-coder-0.5b, "
    "openai/gpt-4.1-mini, gguf:PATH (env EXTRACTOR_MODEL)")]
PromptOpt = Annotated[str | None, typer.Option("--prompt", "-p", help="Prompt id@version "
                      "(env EXTRACTOR_PROMPT)")]
PresetOpt = Annotated[str | None, typer.Option(
    "--preset", help="A named model x prompt: default, fast (0.5B, linguistic plan) or "
    "linguistic (1.5B, linguistic plan); --model/--prompt win over it")]
BaseUrlOpt = Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible server URL "
                       "(env EXTRACTOR_BASE_URL)")]


def fail(exc: BaseException) -> NoReturn:
    code = 2 if isinstance(exc, errors.InputError | errors.ConfigError | errors.FixtureError) else 3
    err.print(f"[bold red]error:[/] {type(exc).__name__}: {exc}", markup=True, highlight=False)
    raise typer.Exit(code)


def read_input(path: str) -> tuple[bytes, str]:
    if path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    p = Path(path)
    if not p.is_file():
        fail(errors.InputError(f"no such file: {path}"))
    return p.read_bytes(), p.name


def table(result: Extraction) -> None:
    names = {a.id: a.name for a in result.actors}
    t = Table(title=f"Actors ({len(result.actors)})")
    for col in ("id", "name", "type", "aliases", "role"):
        t.add_column(col)
    for a in result.actors:
        t.add_row(a.id, a.name, a.type, ", ".join(a.aliases), a.role or "")
    out.print(t)
    t = Table(title=f"Threats ({len(result.threats)})")
    for col in ("speaker", "targets", "category", "cond.", "evidence"):
        t.add_column(col, overflow="fold")
    for th in result.threats:
        t.add_row(names[th.speaker], ", ".join(names[i] for i in th.targets), th.category,
                  "yes" if th.conditional else "", th.evidence.text)
    out.print(t)
    t = Table(title=f"Claims ({len(result.claims)})")
    for col in ("claimant", "type", "statement", "evidence"):
        t.add_column(col, overflow="fold")
    for c in result.claims:
        t.add_row(names[c.claimant], c.type, c.statement, c.evidence.text)
    out.print(t)
    for w in result.warnings:
        err.print(f"[yellow]warning[/] {w.code}: {w.message}", highlight=False)


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="Article text or HTML page (its main text is "
                                        "extracted), or - for stdin")],
    model: ModelOpt = None,
    prompt: PromptOpt = None,
    preset: PresetOpt = None,
    base_url: BaseUrlOpt = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.json,
    keep_unaligned: Annotated[bool, typer.Option(help="Keep items whose quote is not in the "
                              "text, marked unaligned")] = False,
    cache: Annotated[bool, typer.Option(help="Use the on-disk response cache")] = True,
) -> None:
    """Extract actors, threats and claims from one article."""
    from .pipeline import Extractor

    data, source = read_input(path)
    try:
        ex = Extractor(model, prompt, base_url=base_url, cache=cache,
                       keep_unaligned=keep_unaligned, preset=preset)
        with err.status(f"extracting with {ex.model} and {ex.prompt.ref} ..."):
            result = ex.extract(data, source=source)
    except errors.ExtractorError as e:
        fail(e)
    u = result.provenance.usage
    err.print(f"{len(result.actors)} actors, {len(result.threats)} threats, "
              f"{len(result.claims)} claims in {result.provenance.duration_s:.1f}s "
              f"({u.total_tokens} tokens, {u.requests} requests, {u.cached_calls} cached)",
              highlight=False)
    if fmt is Format.json:
        out.print(result.model_dump_json(indent=2))
    elif fmt is Format.jsonl:
        out.print(result.model_dump_json())
    elif fmt is Format.html:
        from .render import extraction_html

        # offsets refer to result.text where the input was HTML (its extracted main text)
        text = result.text if result.text is not None else data.decode("utf-8")
        sys.stdout.write(extraction_html(result, text))
    else:
        table(result)


@app.command()
def schema(
    response: Annotated[str | None, typer.Option(help="Print the response schema of a pass "
                        f"({', '.join(RESPONSE_MODELS)}) instead of the result schema")] = None,
) -> None:
    """Print the JSON Schema of results (or of what the model fills for one pass)."""
    if response and response not in RESPONSE_MODELS:
        fail(errors.ConfigError(f"unknown pass '{response}'"))
    model = RESPONSE_MODELS[response] if response else Extraction
    out.print(json.dumps(model.model_json_schema(), indent=2))


@prompts_app.command("list")
def prompts_list() -> None:
    """List prompt versions."""
    from .prompts import list_prompts

    t = Table()
    for col in ("ref", "passes", "sha256", "description"):
        t.add_column(col, overflow="fold")
    for p in list_prompts():
        t.add_row(p.ref, ",".join(p.passes), p.sha256[:12], p.description)
    out.print(t)


@prompts_app.command("show")
def prompts_show(ref: str) -> None:
    """Print one prompt version's file."""
    from .prompts import get_prompt

    try:
        p = get_prompt(ref)
    except errors.ExtractorError as e:
        fail(e)
    err.print(f"{p.ref}  sha256 {p.sha256}  {p.path}", highlight=False)
    out.print(p.path.read_text(), markup=False)


@app.command()
def models() -> None:
    """List the named local models and whether they are ready."""
    from .models import LOCAL_MODELS, status

    t = Table()
    t.add_column("model", no_wrap=True)
    for col in ("status", "description"):
        t.add_column(col, overflow="fold")
    for name, m in LOCAL_MODELS.items():
        t.add_row(f"local/{name}", status(name), m.description)
    out.print(t)
    out.print("Also: gguf:PATH, openai/MODEL (OPENAI_API_KEY), ollama/MODEL, vllm/MODEL, "
              "lmstudio/MODEL, llamacpp/MODEL, or any MODEL with --base-url.")


@cache_app.command("info")
def cache_info() -> None:
    """Where the cache is and how many answers it holds."""
    from .cache import ResponseCache

    c = ResponseCache()
    out.print(f"{c.path}: {len(c)} cached answers")


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached answer."""
    from .cache import ResponseCache

    out.print(f"removed {ResponseCache().clear()} cached answers")


SplitOpt = Annotated[list[str] | None, typer.Option(
    "--split", help="dev, test, real-dev, translated, real or all; repeat it or give a comma "
    "list (--split dev,real-dev). all, the default, is every split EXCEPT real: the held-out "
    "split is scored only when named (--split real). Each split is reported on its own")]
BaselineOpt = Annotated[Path, typer.Option(help="Baseline file")]
DEFAULT_BASELINE = Path("evals/baselines/baseline.json")
CheckBaselineOpt = Annotated[bool, typer.Option(
    "--check-baseline", help="Compare every split with the baseline and exit 4 when a dev F1 "
    "falls below it by more than its tolerance, or when the baseline's prompt x model pair "
    "is not in the run (other splits are reported, not gating)")]
SaveBaselineOpt = Annotated[bool, typer.Option(
    "--save-baseline", help="Store this run's headline F1s per split (first pair) as the "
    "baseline")]


@eval_app.callback(invoke_without_command=True)
def eval_run(
    ctx: typer.Context,
    fixtures: Annotated[Path, typer.Option(help="Fixture folder")] = Path("evals/fixtures"),
    split: SplitOpt = None,
    prompt: Annotated[list[str] | None, typer.Option("--prompt", "-p", help="Repeatable")] = None,
    model: Annotated[list[str] | None, typer.Option("--model", "-m", help="Repeatable")] = None,
    rules: Annotated[list[str] | None, typer.Option(
        "--rules", help="Rule set, repeatable, each its own row: default (the prompt version's "
        "own), none (rules off: --rules default --rules none gives the rules-off row beside "
        "the default), or a comma list of rule names")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Headline numbers as JSON")] = False,
    cache: Annotated[bool, typer.Option(help="Use the response cache")] = True,
    cache_only: Annotated[bool, typer.Option("--cache-only", help="Replay cached answers; "
                          "fail instead of calling a model")] = False,
    base_url: BaseUrlOpt = None,
    runs_dir: Annotated[Path, typer.Option(help="Where run folders go")] = Path("evals/runs"),
    baseline: BaselineOpt = DEFAULT_BASELINE,
    check_baseline: CheckBaselineOpt = False,
    save_baseline: SaveBaselineOpt = False,
    html: Annotated[Path | None, typer.Option(help="Also write an HTML report here")] = None,
) -> None:
    """Run every prompt x model pair over the fixtures, store outputs, score and report.

    --split all (the default) scores every split but the held-out real one.
    """
    if ctx.invoked_subcommand is not None:
        return
    import time

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from .evals import runner

    started = time.perf_counter()
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn(
                "{task.completed}/{task.total}"), TimeElapsedColumn(), console=err) as bar:
            task = bar.add_task("eval", total=None)

            def progress(label: str, done: int, total: int) -> None:
                bar.update(task, description=label[:60], completed=done, total=total)

            result = runner.run(fixtures, prompt or [None], model or [None],  # type: ignore[list-item]
                                split=split or ["all"], runs_root=runs_dir, cache=cache,
                                progress=progress,
                                rule_sets=[runner.parse_rule_set(r) for r in rules or ["default"]],
                                extractor_options={"cache_only": cache_only,
                                                   "base_url": base_url})
    except errors.ExtractorError as e:
        fail(e)
    _eval_output(result, json_out, html)
    _baselines(result, baseline, save_baseline, check_baseline, time.perf_counter() - started)


def _baselines(result: object, baseline: Path, save: bool, check: bool,
               duration_s: float) -> None:
    from .evals import baseline as gate

    assert isinstance(result, gate.RunResult)
    if save:
        key = gate.save_baseline(result, baseline, duration_s=duration_s,
                                 command="extractor " + " ".join(sys.argv[1:]))
        err.print(f"baseline for {key} saved to {baseline}", highlight=False)
    if check:
        _gate(result, baseline)


def _eval_output(result: object, json_out: bool, html: Path | None) -> None:
    from .evals import report, runner

    assert isinstance(result, runner.RunResult)
    if json_out:
        heads = {k: runner.headline(v["all"]) for k, v in result.summaries.items()}
        out.print(json.dumps(next(iter(heads.values())) if len(heads) == 1 else heads, indent=2))
    else:
        t = Table(title=f"run {result.run_dir.name}")
        for col in report.HEADER:
            t.add_column(col, overflow="fold")
        for row in report.table_rows(result):
            t.add_row(*row)
        out.print(t)
    if html is not None:
        from .render import report_html

        html.write_text(report_html(result))
        err.print(f"HTML report: {html}")
    err.print(f"run stored in {result.run_dir} (report.md, report.json)")


def _gate(result: object, baseline: Path) -> None:
    from .evals import baseline as gate

    assert isinstance(result, gate.RunResult)
    try:
        checked = gate.check_baseline(result, baseline)
    except gate.BaselineError as e:
        err.print(f"[red]baseline check failed:[/] {e}", highlight=False)
        raise typer.Exit(4) from e
    for line in checked.report:
        err.print(f"  {line}", highlight=False, markup=False)
    for f in checked.failures:
        err.print(f"[red]baseline check failed:[/] {f}", highlight=False)
    if not checked.passed:
        raise typer.Exit(4)
    err.print(f"baseline check passed (gating on {gate.GATE_SPLIT})")


@eval_app.command("validate")
def eval_validate(
    directory: Annotated[Path, typer.Argument(help="Fixture folder")] = Path("evals/fixtures"),
) -> None:
    """Check every fixture (held-out ones too) against the labelling contract; exit 2 on the
    first broken one."""
    from .evals.fixtures import SPLITS, load_fixtures

    try:
        fixtures = load_fixtures(directory, None)
    except errors.ExtractorError as e:
        fail(e)
    counts = ", ".join(f"{n} {s}" for s in SPLITS if (n := sum(f.split == s for f in fixtures)))
    out.print(f"{len(fixtures)} fixtures valid ({counts}): "
              f"{sum(len(f.actors) for f in fixtures)} actors, "
              f"{sum(len(f.threats) for f in fixtures)} threats, "
              f"{sum(len(f.claims) for f in fixtures)} claims")


@eval_app.command("rescore")
def eval_rescore(
    run: Annotated[str | None, typer.Argument(help="Run id (folder name) or path")] = None,
    answers: Annotated[Path | None, typer.Option(help="Score stored answers (a folder written "
                       "by `eval save-answers`, e.g. evals/baselines/answers) into a new run "
                       "folder instead of a run")] = None,
    runs_dir: Annotated[Path, typer.Option(help="Where run folders are")] = Path("evals/runs"),
    fixtures: Annotated[Path | None, typer.Option(help="Fixture folder, if moved")] = None,
    json_out: Annotated[bool, typer.Option("--json")] = False,
    html: Annotated[Path | None, typer.Option()] = None,
    baseline: BaselineOpt = DEFAULT_BASELINE,
    check_baseline: CheckBaselineOpt = False,
    save_baseline: SaveBaselineOpt = False,
) -> None:
    """Score a stored run, or stored answers, again without calling a model.

    CI gate: extractor eval rescore --answers evals/baselines/answers --check-baseline
    """
    from .evals import baseline as gate
    from .evals import runner

    if (run is None) == (answers is None):
        fail(errors.ConfigError("give a RUN or --answers DIR, not both or neither"))
    try:
        if answers is not None:
            result = gate.score_answers(answers, runs_dir, fixtures)
        else:
            path = Path(str(run)) if Path(str(run)).is_dir() else runs_dir / str(run)
            result = runner.rescore(path, fixtures)
    except errors.ExtractorError as e:
        fail(e)
    _eval_output(result, json_out, html)
    _baselines(result, baseline, save_baseline, check_baseline, 0.0)


@eval_app.command("save-answers")
def eval_save_answers(
    run: Annotated[str, typer.Argument(help="Run id (folder name) or path")],
    to: Annotated[Path, typer.Option(help="Answers folder to write (committed for CI)")] = Path(
        "evals/baselines/answers"),
    split: SplitOpt = None,
    pair: Annotated[list[str] | None, typer.Option(help="Pair key PROMPT|MODEL; repeatable; "
                    "default every pair of the run")] = None,
    runs_dir: Annotated[Path, typer.Option(help="Where run folders are")] = Path("evals/runs"),
) -> None:
    """Copy a run's raw answers (default: the dev split) into a folder CI can re-score."""
    from .evals import baseline as gate

    path = Path(run) if Path(run).is_dir() else runs_dir / run
    try:
        keys = gate.save_answers(path, to, splits=split or [gate.GATE_SPLIT], pairs=pair or [])
    except errors.ExtractorError as e:
        fail(e)
    err.print(f"answers of {', '.join(keys)} saved to {to}", highlight=False)


@app.command()
def batch(
    source: Annotated[str, typer.Argument(metavar="INPUT", help="JSONL file ({\"id\", \"text\"} "
                      "per line), a folder of .txt files (id = file stem), or - for JSONL on "
                      "stdin")],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="Results JSONL: one "
                        "{\"id\", \"extraction\"} line per document; ids in it are skipped on "
                        "a re-run")],
    errors_path: Annotated[Path | None, typer.Option("--errors", help="Failures JSONL "
                           "(default OUT.errors.jsonl)")] = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1,
                           help="Documents in flight at once (in all workers together)")] = 8,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Extract in this many "
                       "processes (past one process's CPU); this one still writes OUT")] = 1,
    rpm: Annotated[float | None, typer.Option(help="Client-side limit, requests per minute")
                   ] = None,
    tpm: Annotated[float | None, typer.Option(help="Client-side limit, tokens per minute "
                   "(prompt estimate + max_tokens, as providers count)")] = None,
    model: ModelOpt = None,
    prompt: PromptOpt = None,
    preset: PresetOpt = None,
    base_url: BaseUrlOpt = None,
    cache: Annotated[bool, typer.Option(help="Use the on-disk response cache")] = True,
    retry_errors: Annotated[bool, typer.Option(help="On a re-run, retry the ids in the "
                            "errors file (--no-retry-errors skips them)")] = True,
) -> None:
    """Extract many documents concurrently into JSONL; re-run the same command to resume.

    Exits 0 when every document ended in OUT, 3 when some ended in the errors file.
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from .batch import BatchReport, count_items, default_errors_path, extract_many, read_items
    from .pipeline import Extractor

    errors_path = errors_path or default_errors_path(out_path)
    try:
        items = read_items(source)
        total = count_items(source)
        ex = Extractor(model, prompt, base_url=base_url, cache=cache, preset=preset)
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.2f} docs/s"), TimeElapsedColumn(),
            TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[tokens]:,} tokens"),
            TextColumn("[red]{task.fields[failed]} failed"),
            console=err, transient=False,
        ) as bar:
            task = bar.add_task(f"{ex.model} {ex.prompt.ref}", total=total, rate=0.0,
                                tokens=0, failed=0)

            def progress(r: BatchReport) -> None:
                # ids done by an earlier run leave the total, so rate and ETA are this run's
                bar.update(task, completed=r.processed, rate=r.docs_per_s, tokens=r.tokens,
                           failed=r.failed,
                           total=None if total is None else total - r.skipped - r.duplicates)

            report = extract_many(items, ex, out=out_path, errors_path=errors_path,
                                  concurrency=concurrency, rpm=rpm, tpm=tpm,
                                  retry_errors=retry_errors, total=total, on_progress=progress,
                                  workers=workers)
            progress(report)
    except errors.ExtractorError as e:
        fail(e)
    except OSError as e:  # reading INPUT or writing OUT failed
        err.print(f"[bold red]error:[/] {e}", highlight=False)
        raise typer.Exit(1) from e
    err.print(f"{report.ok} extracted, {report.failed} failed, {report.skipped} skipped "
              f"(already done), {report.duplicates} duplicate ids; {report.requests} requests, "
              f"{report.tokens:,} tokens, {report.cached_calls} cached calls in "
              f"{report.elapsed:.1f}s ({report.docs_per_s:.2f} docs/s)", highlight=False)
    err.print(f"results: {out_path}" + (f"   failures: {errors_path}" if report.failed else ""),
              highlight=False)
    if report.failed:
        raise typer.Exit(3)


@app.command()
def corpus(
    results: Annotated[list[Path], typer.Argument(metavar="OUT.jsonl...", help="Results of "
                       "`extractor batch` ({\"id\", \"extraction\"} per line)")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Corpus folder: created, or "
                       "updated with the documents it does not have yet")],
    texts: Annotated[str | None, typer.Option("--texts", help="The batch's INPUT (JSONL or a "
                     "folder of .txt), so each document's page shows its article")] = None,
    rebuild: Annotated[bool, typer.Option(help="Start the folder afresh instead of "
                       "updating it")] = False,
) -> None:
    """Canonical actors across documents, event tables (CSV, JSONL, Parquet) and a timeline."""
    from .corpus import build_corpus, update_corpus

    try:
        report = (build_corpus if rebuild else update_corpus)(out_dir, results, texts=texts)
    except errors.ExtractorError as e:
        fail(e)
    except OSError as e:
        err.print(f"[bold red]error:[/] {e}", highlight=False)
        raise typer.Exit(1) from e
    for notice in report.notices:
        err.print(f"[yellow]warning[/] {notice}", highlight=False)
    err.print(f"{report.added} documents added, {report.replaced} replaced, {report.unchanged} "
              f"unchanged; {report.documents} documents, {report.actors} canonical actors "
              f"({report.new_actors} new), {report.events} threat events, {report.claims} "
              "claims", highlight=False)
    err.print(f"timeline: {out_dir / 'timeline.html'}   tables: {out_dir}/events.*, claims.*"
              + (f"   ({report.quotes_only} pages show quoted passages only: no --texts)"
                 if report.quotes_only else ""), highlight=False)


def main() -> None:
    try:
        app()
    except errors.ExtractorError as e:  # anything a command did not catch itself
        fail(e)


if __name__ == "__main__":
    main()
