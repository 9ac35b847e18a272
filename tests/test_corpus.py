"""The corpus view without a browser: canonical actors, event rows, tables, increments.

The corpus: 14 fixtures' gold, each as 4 documents on 4 dates (56), plus hand-made documents
for a state named by its capital, a person who changes title, a title + family name, two
people of one family name and a hostile article. What the canonical actors must be is
written down here from the fixtures' labels, not derived by the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from extractor.corpus import build_corpus, update_corpus
from extractor.corpus.countries import alpha3, identify, named_in
from extractor.errors import InputError
from extractor.evals.fixtures import load_fixture
from extractor.evals.gold import to_extraction
from extractor.grounding import Aligner
from extractor.schema import CAMEO_BY_CATEGORY, Actor, Extraction, Threat

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "evals" / "fixtures"
FIXTURE_IDS = [
    "claims-only-summit", "cyber-extortion-hospital", "denials-and-hypotheticals",
    "diplomatic-expulsions", "hacktivist-sanctions-mix", "legal-and-labour-threats",
    "long-border-crisis", "many-actors-aliases", "militia-violence-threats",
    "nested-reporting-chain", "prompt-injection-port-blockade", "seed-nk-offensive-action",
    "tariffs-embargo-countermeasures", "veiled-nuclear-warning"]
COPIES = 4
# Actors that more than one fixture labels (read off the fixtures): one canonical each.
SHARED = {"European Union": 4, "Russia": 3, "Australia": 2, "United States": 2,
          "African Union": 2}
UNSMIL = {"United Nations Support Mission in Libya", "U.N. Support Mission in Libya"}
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'


def _doc(text: str, actors: list[Actor], threats: list[tuple[str, str, list[str], str, bool]],
         date: dt.date | None, title: str) -> Extraction:
    """A hand-made document: threats as (speaker, quote, targets, category, conditional)."""
    al = Aligner(text)
    ts = []
    for i, (speaker, quote, targets, category, cond) in enumerate(threats, 1):
        ev = al.align(quote)
        assert ev is not None and ev.text == quote, quote
        ts.append(Threat(id=f"t{i}", speaker=speaker, targets=targets, action="",
                         category=category, conditional=cond, evidence=ev))  # type: ignore[arg-type]
    ex = to_extraction(load_fixture(FIXTURES / "seed-nk-offensive-action.yaml"))
    ex = ex.model_copy(update={"actors": actors, "threats": ts, "claims": []})
    ex.document.title, ex.document.published_at = title, date
    return _with_mentions(Extraction.model_validate(ex.model_dump()), text)


def _with_mentions(ex: Extraction, text: str) -> Extraction:
    al = Aligner(text)
    for a in ex.actors:
        a.mentions = al.mentions([a.name, *a.aliases])
    ex.check_offsets(text)
    return ex


def hand_documents() -> list[tuple[str, Extraction, str]]:
    capital = ("PYONGYANG - Pyongyang warned on Monday that it would strike Seoul \"without "
               "mercy\" if the joint drills went ahead. Seoul said it would not be intimidated.")
    siregar = ("JAKARTA - Rahmat Siregar, Indonesia's new foreign minister, said Jakarta would "
               "recall its ambassador from Canberra if the steel duties stayed. Siregar moved "
               "from the trade ministry last week.")
    kask1 = ("TALLINN - Prime Minister Kask said Estonia would expel any diplomat caught "
             "spying for Russia. Liisa Kask spoke after a cabinet meeting.")
    kask2 = ("TALLINN - Liisa Kask met Mart Kask, the opposition leader, who said his party "
             "would bring down the government if the tax rose.")
    hostile = (f"A group calling itself Lazarus {IMG} posted: \"We will publish the ministry's "
               f"files {SCRIPT} unless Seoul pays.\" No date was given.")
    P = "person"
    return [
        ("hand-capital", _doc(capital, [Actor(id="a1", name="Pyongyang", type="state"),
                                        Actor(id="a2", name="Seoul", type="state")],
                              [("a1", "it would strike Seoul \"without mercy\" if the joint "
                                "drills went ahead", ["a2"], "military_force", True)],
                              dt.date(2025, 12, 1), "Pyongyang warns Seoul"), capital),
        ("hand-siregar", _doc(siregar, [
            Actor(id="a1", name="Rahmat Siregar", type=P, aliases=["Siregar"],
                  role="Foreign Minister", affiliation="Indonesia", country="IDN"),
            Actor(id="a2", name="Indonesia", type="state", aliases=["Jakarta"]),
            Actor(id="a3", name="Australia", type="state", aliases=["Canberra"])],
            [("a1", "Jakarta would recall its ambassador from Canberra if the steel duties "
              "stayed", ["a3"], "diplomatic", True)],
            dt.date(2026, 1, 15), "Indonesia's new foreign minister warns Canberra"), siregar),
        ("hand-kask-1", _doc(kask1, [
            Actor(id="a1", name="Prime Minister Kask", type=P, role="Prime Minister",
                  country="EST"),
            Actor(id="a2", name="Estonia", type="state"),
            Actor(id="a3", name="Liisa Kask", type=P, country="EST"),
            Actor(id="a4", name="Russia", type="state")],
            [("a1", "Estonia would expel any diplomat caught spying for Russia", ["a4"],
              "diplomatic", False)], dt.date(2025, 10, 1), "Kask warns spies"), kask1),
        ("hand-kask-2", _doc(kask2, [
            Actor(id="a1", name="Liisa Kask", type=P, country="EST"),
            Actor(id="a2", name="Mart Kask", type=P, role="opposition leader",
                  country="Estonian")],
            [("a2", "his party would bring down the government if the tax rose", [],
              "unspecified", True)], dt.date(2025, 10, 2), "Opposition threat"), kask2),
        ("hand-hostile", _doc(hostile, [
            Actor(id="a1", name=f"Lazarus {IMG}", type="organization", role=SCRIPT),
            Actor(id="a2", name="Seoul", type="state")],
            [("a1", f"We will publish the ministry's files {SCRIPT} unless Seoul pays.",
              ["a2"], "data_leak", True)], None, f"Leak threat {SCRIPT}"), hostile),
    ]


def fixture_documents() -> list[tuple[str, Extraction, str]]:
    out = []
    for fid in FIXTURE_IDS:
        fx = load_fixture(FIXTURES / f"{fid}.yaml")
        base = dt.date.fromisoformat(str(fx.document["published_at"]))
        for k in range(COPIES):
            ex = _with_mentions(to_extraction(fx), fx.text)
            ex.document.title = fx.document.get("title")
            ex.document.published_at = base + dt.timedelta(days=45 * k)
            out.append((f"{fid}@{k}", ex, fx.text))
    return out


def write_batch(path: Path, docs: list[tuple[str, Extraction, str]]) -> tuple[Path, Path]:
    """The batch's results file and its INPUT (JSONL of {"id", "text"})."""
    texts = path.with_name(path.stem + ".input.jsonl")
    with path.open("w") as fh, texts.open("w") as th:
        for doc, ex, text in docs:
            fh.write(json.dumps({"id": doc, "extraction": ex.model_dump(mode="json")}) + "\n")
            th.write(json.dumps({"id": doc, "text": text}) + "\n")
    return path, texts


def all_documents() -> list[tuple[str, Extraction, str]]:
    return fixture_documents() + hand_documents()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("corpus")
    docs = all_documents()
    batch, texts = write_batch(root / "out.jsonl", docs)
    report = build_corpus(root / "corpus", batch, texts=texts)
    actors = [json.loads(line) for line in (root / "corpus" / "actors.jsonl").open()]
    rows = [json.loads(line) for line in (root / "corpus" / "events.jsonl").open()]
    return {"root": root, "dir": root / "corpus", "docs": docs, "report": report,
            "actors": actors, "rows": rows, "batch": batch, "texts": texts,
            "of": {(m["doc"], m["local"]): a for a in actors for m in a["members"]}}


def canonical(c: dict[str, Any], doc: str, name: str) -> dict[str, Any]:
    ex = next(ex for d, ex, _ in c["docs"] if d == doc)
    local = next(a.id for a in ex.actors if a.name == name)
    return c["of"][(doc, local)]


# ------------------------------------------------------------------------ canonical actors


def test_canonical_actors_are_the_labelled_ones(corpus: dict[str, Any]) -> None:
    fixture_actors = {(fid, a.name) for fid in FIXTURE_IDS
                      for a in load_fixture(FIXTURES / f"{fid}.yaml").actors}
    assert len(corpus["docs"]) >= 50
    # the expected partition: one entity per labelled name (the UNSMIL pair is one), copies
    # of a fixture join it, and the hand documents add Mart Kask and the hostile group only
    groups: dict[str, set[tuple[str, str]]] = {}
    for doc, ex, _ in corpus["docs"]:
        for a in ex.actors:
            key = "UNSMIL" if a.name in UNSMIL else a.name
            key = {"Pyongyang": "Democratic People's Republic of Korea", "Seoul": "South Korea",
                   "Prime Minister Kask": "Liisa Kask"}.get(key, key)
            groups.setdefault(key, set()).add((doc, a.id))
    got = {frozenset((m["doc"], m["local"]) for m in a["members"]) for a in corpus["actors"]}
    assert got == {frozenset(v) for v in groups.values()}
    names = {n for _, n in fixture_actors}
    assert len(corpus["actors"]) == len(names) - 1 + 2  # UNSMIL twice; Mart Kask, Lazarus
    for name, n in SHARED.items():
        a = next(a for a in corpus["actors"] if a["name"] == name)
        assert len({m["doc"].split("@")[0] for m in a["members"] if "@" in m["doc"]}) == n
    ids = [a["id"] for a in corpus["actors"]]
    assert len(set(ids)) == len(ids)


def test_merge_reasons(corpus: dict[str, Any]) -> None:
    prk = canonical(corpus, "hand-capital", "Pyongyang")
    assert prk["id"] == "PRK" and prk["name"] == "Democratic People's Republic of Korea"
    assert {"reason": "capital of PRK", "name": "Pyongyang"}.items() <= next(
        m for m in prk["merges"] if m["document"] == "hand-capital").items()
    kor = canonical(corpus, "hand-hostile", "Seoul")
    assert kor["id"] == "KOR" and kor["country"] == "KOR"
    assert {m["reason"] for m in kor["merges"]} == {"same name", "capital of KOR"}
    unsmil = canonical(corpus, "prompt-injection-port-blockade@0", "U.N. Support Mission in Libya")
    assert unsmil["name"] == "United Nations Support Mission in Libya"
    assert {m["reason"] for m in unsmil["merges"]} == {"alias", "same name"}
    assert [m["detail"] for m in unsmil["merges"] if m["reason"] == "alias"] == ["'unsmil'"]
    kask = canonical(corpus, "hand-kask-1", "Prime Minister Kask")
    assert kask["name"] == "Liisa Kask" and kask["country"] == "EST"
    fam = [m for m in kask["merges"] if m["local_id"] == "a1" and m["document"] == "hand-kask-1"]
    assert fam and fam[0]["reason"] == "title + family name in the same document"
    us = canonical(corpus, "veiled-nuclear-warning@3", "United States")
    assert len(us["merges"]) == 2 * COPIES - 1
    assert {m["reason"] for m in us["merges"]} == {"same name"}


def test_people_who_share_a_family_name_stay_apart(corpus: dict[str, Any]) -> None:
    pairs = [(("hand-kask-2", "Liisa Kask"), ("hand-kask-2", "Mart Kask")),
             (("diplomatic-expulsions@0", "Nikola Jovanović"),
              ("diplomatic-expulsions@0", "Milica Jovanović")),
             (("legal-and-labour-threats@1", "Dana Kowalczyk"),
              ("veiled-nuclear-warning@1", "Marta Kowalczyk"))]
    for one, two in pairs:
        a, b = canonical(corpus, *one), canonical(corpus, *two)
        assert a["id"] != b["id"], (one, two)
    mart = canonical(corpus, "hand-kask-2", "Mart Kask")
    assert mart["country"] == "EST" and mart["sector"] == "CVL"  # "Estonian" -> EST
    assert canonical(corpus, "hand-kask-2", "Liisa Kask")["id"] == "liisa-kask"


def test_a_person_who_changes_title(corpus: dict[str, Any]) -> None:
    a = canonical(corpus, "hand-siregar", "Rahmat Siregar")
    assert a["id"] == "rahmat-siregar" and a["role"] == "Foreign Minister"
    assert [(r["role"], r["since"]) for r in a["roles"]] == [
        ("Trade Minister", "2025-05-06"), ("Foreign Minister", "2026-01-15")]
    assert a["affiliation"] == "Indonesia" and a["affiliation_id"] == "IDN"
    assert a["country"] == "IDN" and a["sector"] == "GOV"
    assert a["names"]["Rahmat Siregar"] == COPIES + 1 and a["names"]["Siregar"] == COPIES + 1
    assert a["names"]["the minister"] == COPIES
    assert a["documents"] == COPIES + 1


def test_names_mentions_country_sector(corpus: dict[str, Any]) -> None:
    for doc, ex, _ in corpus["docs"]:
        for local in ex.actors:
            rec = corpus["of"][(doc, local.id)]
            same = [b for b in ex.actors if corpus["of"][(doc, b.id)]["id"] == rec["id"]]
            assert rec["mentions"][doc] == sum(len(b.mentions) for b in same)
            for form in [local.name, *local.aliases]:
                assert form in rec["names"]
    by_id = {a["id"]: a for a in corpus["actors"]}
    assert by_id["RUS"]["names"] == {"Russia": 3 * COPIES + 1, "Moscow": 2 * COPIES}
    hegseth = by_id["pete-hegseth"]
    assert (hegseth["country"], hegseth["affiliation_id"], hegseth["sector"]) == \
        ("USA", "USA", "GOV")
    assert by_id["cleveland-division-of-police"]["sector"] == "COP"
    assert by_id["tamara-bell"]["sector"] == "COP"  # speaks for the police
    assert by_id["frente-rafael-aguilera"]["sector"] == "REB"
    assert by_id["korean-central-news-agency"]["sector"] == "MED"
    assert by_id["nato"]["sector"] == "IGO"
    assert by_id["us-indo-pacific-command"]["sector"] == "MIL"
    assert {a["country"] for a in corpus["actors"]} - {None} <= {
        a3 for a3 in (alpha3(a["country"]) for a in corpus["actors"]) if a3}


def test_countries_from_codes_names_capitals_demonyms() -> None:
    assert [alpha3(v) for v in ("PRK", "kp", "North Korea", "North Korean", "Pyongyang",
                                "Britain", "U.S.", "Kyrgyz", "Eastern Europe", "", None)] == \
        ["PRK", "PRK", "PRK", "PRK", "PRK", "GBR", "USA", "KGZ", None, None, None]
    assert identify("Tripoli") == ("LBY", "capital")
    assert identify("Russian", demonyms=False) is None
    assert named_in("Estonian Prime Minister") == "EST"
    assert named_in("spokesperson") is None


# ------------------------------------------------------------------------------ event rows


def test_one_event_row_per_threat(corpus: dict[str, Any]) -> None:
    rows = {r["event_id"]: r for r in corpus["rows"]}
    expected = 0
    for doc, ex, text in corpus["docs"]:
        ids = {a.id: corpus["of"][(doc, a.id)] for a in ex.actors}
        for t in ex.threats:
            expected += 1
            r = rows[f"{doc}:{t.id}"]
            assert r["document_id"] == doc and r["local_id"] == t.id
            assert r["date"] == (ex.document.published_at.isoformat()
                                 if ex.document.published_at else None)
            assert (r["source_id"], r["source_name"], r["source_country"]) == (
                ids[t.speaker]["id"], ids[t.speaker]["name"], ids[t.speaker]["country"])
            assert r["source_sector"] == ids[t.speaker]["sector"]
            assert r["target_ids"] == [ids[x]["id"] for x in t.targets]
            assert r["target_names"] == [ids[x]["name"] for x in t.targets]
            assert r["target_countries"] == [ids[x]["country"] or "" for x in t.targets]
            assert r["event_type"] == "THREATEN"
            assert r["cameo"] == (t.cameo or CAMEO_BY_CATEGORY[t.category])
            assert r["cameo"].startswith("13")
            assert (r["category"], r["conditional"], r["condition"]) == (
                t.category, t.conditional, t.condition)
            assert text[r["quote_start"]:r["quote_end"]] == r["quote"] == t.evidence.text
            assert (r["prompt_id"], r["model"]) == ("gold", "gold")
    assert len(rows) == len(corpus["rows"]) == expected == corpus["report"].events
    kask = rows["hand-kask-1:t1"]  # the title + family name speaker is Liisa Kask
    assert (kask["source_id"], kask["target_ids"]) == ("liisa-kask", ["RUS"])
    assert rows["hand-capital:t1"]["source_id"] == "PRK"
    assert rows["hand-capital:t1"]["target_ids"] == ["KOR"]


def test_one_claim_row_per_claim(corpus: dict[str, Any]) -> None:
    rows = {r["event_id"]: r for r in map(json.loads, (corpus["dir"] / "claims.jsonl").open())}
    n = 0
    for doc, ex, text in corpus["docs"]:
        ids = {a.id: corpus["of"][(doc, a.id)] for a in ex.actors}
        for c in ex.claims:
            n += 1
            r = rows[f"{doc}:{c.id}"]
            assert (r["claimant_id"], r["claimant_name"]) == (ids[c.claimant]["id"],
                                                              ids[c.claimant]["name"])
            assert r["about_ids"] == [ids[x]["id"] for x in c.about]
            assert r["reported_by_names"] == [ids[x]["name"] for x in c.reported_by]
            assert (r["claim_type"], r["statement"]) == (c.type, c.statement)
            assert r["event_type"] == ("ACCUSE" if c.type == "accusation" else None)
            assert text[r["quote_start"]:r["quote_end"]] == r["quote"] == c.evidence.text
    assert n == len(rows) == corpus["report"].claims > 0
    assert any(r["event_type"] == "ACCUSE" for r in rows.values())


def test_tables_agree(corpus: dict[str, Any]) -> None:
    import pyarrow.parquet as pq

    folder = corpus["dir"]
    table = pq.read_table(folder / "events.parquet")
    assert table.num_rows == len(corpus["rows"])
    assert str(table.schema.field("date").type) == "date32[day]"
    kind = table.schema.field("target_ids").type
    assert str(kind).startswith("list<") and str(kind.value_type) == "string"
    parquet = table.to_pylist()
    with (folder / "events.csv").open(newline="") as fh:
        from_csv = list(csv.DictReader(fh))
    for r, p, c in zip(corpus["rows"], parquet, from_csv, strict=True):
        assert p["event_id"] == c["event_id"] == r["event_id"]
        assert p["target_ids"] == r["target_ids"]
        assert c["target_ids"] == "; ".join(r["target_ids"])
        assert (p["date"].isoformat() if p["date"] else None) == r["date"] == (c["date"] or None)
        assert c["quote"] == r["quote"] and c["conditional"] == str(r["conditional"]).lower()
    actors = pq.read_table(folder / "actors.parquet").to_pylist()
    assert [a["id"] for a in actors] == [a["id"] for a in corpus["actors"]]


def readme_query() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- corpus-query -->\s*```python\n(.*?)```", text, re.S)
    assert m, "README.md has no corpus query block"
    return m.group(1)


def test_readme_duckdb_example_runs_as_written(corpus: dict[str, Any],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(corpus["root"])  # the README's corpus folder is ./corpus
    scope: dict[str, Any] = {}
    exec(readme_query(), scope)  # noqa: S102 - the README's own example
    got = [tuple(r) for r in scope["rows"]]
    want: dict[tuple[str, str], int] = {}
    for r in corpus["rows"]:
        if "USA" in r["target_ids"] and r["date"]:
            key = (r["date"][:7], r["source_name"])
            want[key] = want.get(key, 0) + 1
    assert got == sorted((m, s, n) for (m, s), n in want.items())
    assert len(got) >= 4


# ------------------------------------------------------------------------------ increments


def test_incremental_update_keeps_ids_and_old_work(tmp_path: Path,
                                                   corpus: dict[str, Any]) -> None:
    docs = corpus["docs"]
    first, rest = docs[:30], docs[30:]
    b1, t1 = write_batch(tmp_path / "one.jsonl", first)
    b2, t2 = write_batch(tmp_path / "two.jsonl", rest)
    folder = tmp_path / "inc"
    r1 = update_corpus(folder, b1, texts=t1)
    assert (r1.added, r1.documents) == (30, 30)
    ids_before = {json.loads(x)["id"] for x in (folder / "actors.jsonl").open()}
    rows_before = (folder / "events.jsonl").read_text().splitlines()
    manifest = json.loads((folder / "corpus.json").read_text())["documents"]
    page = folder / manifest["claims-only-summit@0"]["page"]
    assert page.name.startswith("claims-only-summit_0-") and "<article" in page.read_text()
    page.write_text("kept")  # an old page is not rewritten by the next update
    r2 = update_corpus(folder, b2, texts=t2)
    assert (r2.added, r2.unchanged, r2.pages, r2.documents) == (len(rest), 0, len(rest),
                                                                len(docs))
    assert page.read_text() == "kept"
    after = [json.loads(x) for x in (folder / "actors.jsonl").open()]
    assert ids_before <= {a["id"] for a in after}
    assert sorted(json.dumps(a["members"]) for a in after) == sorted(
        json.dumps(a["members"]) for a in corpus["actors"])
    rows = [json.loads(x) for x in (folder / "events.jsonl").open()]
    assert [r["event_id"] for r in rows] == [r["event_id"] for r in corpus["rows"]]
    assert rows_before == (folder / "events.jsonl").read_text().splitlines()[:len(rows_before)]
    r3 = update_corpus(folder, [b1, b2])
    assert (r3.added, r3.replaced, r3.unchanged, r3.pages) == (0, 0, len(docs), 0)


def test_reextracted_document_replaces_its_rows(tmp_path: Path) -> None:
    docs = hand_documents()
    b1, _ = write_batch(tmp_path / "one.jsonl", docs)
    folder = tmp_path / "c"
    update_corpus(folder, b1)
    doc, ex, text = docs[1]
    ex2 = ex.model_copy(update={"threats": []})
    b2, _ = write_batch(tmp_path / "two.jsonl", [(doc, ex2, text)])
    r = update_corpus(folder, b2)
    assert (r.added, r.replaced, r.quotes_only) == (0, 1, 1)
    rows = [json.loads(x) for x in (folder / "events.jsonl").open()]
    assert not [x for x in rows if x["document_id"] == doc]
    assert len(rows) == sum(len(e.threats) for _, e, _ in docs) - 1
    ids = {json.loads(x)["id"] for x in (folder / "actors.jsonl").open()}
    assert "rahmat-siregar" in ids  # still a member of the replaced document


def test_a_text_that_does_not_fit_is_reported(tmp_path: Path) -> None:
    doc, ex, text = hand_documents()[0]
    batch, texts = write_batch(tmp_path / "out.jsonl", [(doc, ex, "Another article. " + text)])
    r = update_corpus(tmp_path / "c", batch, texts=texts)
    assert r.quotes_only == 1 and r.notices == [
        f"{doc}: the given text does not match the extraction's offsets; its page shows the "
        "quoted passages only"]
    page = (tmp_path / "c" / "docs" / f"{doc}.html").read_text()
    assert 'id="quotes-only"' in page and "[…]" in page


def test_an_id_given_twice_keeps_the_later_and_says_so(tmp_path: Path) -> None:
    (doc, ex, text), other = hand_documents()[:2]
    batch, _ = write_batch(tmp_path / "out.jsonl", [(doc, ex, text), (doc, other[1], text)])
    r = update_corpus(tmp_path / "c", batch)
    assert r.notices == [f"{doc}: given twice; the later extraction is kept"]
    assert r.documents == 1 and r.added == 1
    rows = [json.loads(x) for x in (tmp_path / "c" / "events.jsonl").open()]
    assert [x["quote"] for x in rows] == [t.evidence.text for t in other[1].threats]


def test_bad_input_is_a_typed_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "error": "LLMError", "message": "boom"}\n')
    with pytest.raises(InputError, match="line 1 is not an"):
        update_corpus(tmp_path / "c", bad)
    bad.write_text("{not json\n")
    with pytest.raises(InputError, match="not valid JSON"):
        update_corpus(tmp_path / "c", bad)
    bad.write_text('{"id": "x", "extraction": {"document": {}}}\n')
    with pytest.raises(InputError, match="not an Extraction"):
        update_corpus(tmp_path / "c", bad)
    with pytest.raises(InputError, match="no such file"):
        update_corpus(tmp_path / "c", tmp_path / "missing.jsonl")


def test_cli_corpus(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from extractor.cli import app

    batch, texts = write_batch(tmp_path / "out.jsonl", hand_documents())
    res = CliRunner().invoke(app, ["corpus", str(batch), "--out", str(tmp_path / "c"),
                                   "--texts", str(texts)])
    assert res.exit_code == 0, res.output
    assert "5 documents added" in res.output
    assert (tmp_path / "c" / "timeline.html").is_file()
    assert len(list((tmp_path / "c" / "docs").glob("*.html"))) == 5
    res = CliRunner().invoke(app, ["corpus", str(tmp_path / "nope.jsonl"), "--out",
                                   str(tmp_path / "c")])
    assert res.exit_code == 2 and "no such file" in res.output
