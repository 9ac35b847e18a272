"""Fixture loading: the project's suite is valid; a broken fixture fails with file and field."""

from pathlib import Path

import pytest

from extractor.errors import ConfigError, FixtureError
from extractor.evals.fixtures import DEFAULT_SPLITS, load_fixture, load_fixtures, parse_splits

ROOT = Path(__file__).parent.parent
SUITE = ROOT / "evals" / "fixtures"
SEED = Path(__file__).parent.parent.parent / "shared" / "seeds" / "000_d8eece4870405282.txt"

GOOD = """
id: tiny
split: dev
text: |-
  Pyongyang said it would strike. "We will respond," No said.
actors:
  - {name: North Korea, type: state, aliases: [Pyongyang]}
  - {name: No Kwang Chol, type: person, aliases: ['No']}
threats:
  - {speaker: 'No', targets: [], category: unspecified, conditional: false, quote: We will respond}
claims: []
"""


def write(tmp_path: Path, body: str, name: str = "f.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body)
    return path


def test_project_suite_is_valid_and_covers_its_splits() -> None:
    fixtures = load_fixtures(SUITE, None)
    assert len(fixtures) >= 14
    assert {f.split for f in fixtures} >= {"dev", "test", "translated"}
    assert any(not f.threats and f.claims for f in fixtures)  # a claims-only article
    assert any(len(f.text.split()) > 2000 for f in fixtures)  # one that needs chunking
    for f in fixtures:
        for t in f.threats:
            assert all(q in f.text for q in t.quotes)


def test_seed_fixture_is_the_seed_byte_for_byte() -> None:
    seed = load_fixture(SUITE / "seed-nk-offensive-action.yaml")
    assert seed.text.encode() == (ROOT / "examples" / "seed-article.txt").read_bytes()
    if SEED.is_file():
        assert seed.text.encode() == SEED.read_bytes()


def test_good_fixture_loads(tmp_path: Path) -> None:
    fx = load_fixture(write(tmp_path, GOOD))
    assert fx.actor("no").name == "No Kwang Chol"
    assert fx.threats[0].quotes == ["We will respond"]


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ("quote: We will respond", "quote: We shall respond", "threats[0].quote", "substring"),
        ("{speaker: 'No'", "{speaker: Kim", "threats[0].speaker", "not in actors"),
        ("aliases: ['No']", "aliases: [No]", "actors[1].aliases[0]", "string"),
        ("type: state", "type: country", "actors[0].type", "not one of"),
        ("conditional: false", "conditional: 'maybe'", "threats[0].conditional", "true or false"),
        ("split: dev", "split: train", "split", "not one of"),
        ("split: dev", "split: dev\nlanguage: French", "language", "ISO 639-1"),
        ("split: dev", "split: dev\nlanguage: FR", "language", "ISO 639-1"),
        ("category: unspecified", "category: bombs", "threats[0].category", "not one of"),
    ],
)
def test_broken_fixture_names_file_and_field(
    tmp_path: Path, old: str, new: str, field: str, problem: str
) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(FixtureError) as info:
        load_fixture(path)
    assert info.value.field == field and str(path) in str(info.value)
    assert problem in info.value.problem


def test_text_file_must_exist_and_match_inline_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Pyongyang said it would strike. \"We will respond,\" No said.")
    body = GOOD.replace("text: |-\n", "text_file: a.txt\ntext: |-\n")
    assert load_fixture(write(tmp_path, body)).text.startswith("Pyongyang")
    (tmp_path / "a.txt").write_text('Pyongyang said it would strike.  "We will respond," No said.')
    with pytest.raises(FixtureError, match="byte-exact"):
        load_fixture(write(tmp_path, body))
    with pytest.raises(FixtureError, match="does not exist"):
        load_fixture(write(tmp_path, body.replace("a.txt", "missing.txt")))


def test_duplicate_ids_and_empty_folders_fail(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="no \\*.yaml"):
        load_fixtures(tmp_path)
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(FixtureError, match="duplicate"):
        load_fixtures(tmp_path)


def test_split_selection_leaves_the_held_out_split_out_unless_named() -> None:
    assert "real" not in DEFAULT_SPLITS and "translated" in DEFAULT_SPLITS
    assert parse_splits("all") == parse_splits(None) == DEFAULT_SPLITS
    assert parse_splits(["test", "dev"]) == ("dev", "test")
    assert parse_splits("real,dev") == ("dev", "real")
    assert parse_splits(["all", "real"]) == (*DEFAULT_SPLITS, "real")
    with pytest.raises(ConfigError, match="unknown split train"):
        parse_splits("dev,train")


def test_load_fixtures_by_split(tmp_path: Path) -> None:
    for split in ("dev", "real", "translated"):
        write(tmp_path, GOOD.replace("id: tiny", f"id: tiny-{split}")
              .replace("split: dev", f"split: {split}"), f"{split}.yaml")
    ids = lambda spec: [f.id for f in load_fixtures(tmp_path, spec)]  # noqa: E731
    assert ids("all") == ["tiny-dev", "tiny-translated"]
    assert ids("real") == ["tiny-real"]
    assert ids(["dev", "real"]) == ["tiny-dev", "tiny-real"]
    assert ids(None) == ["tiny-dev", "tiny-real", "tiny-translated"]
    assert load_fixture(tmp_path / "dev.yaml").language == "en"


TRANSLATED = {"xl-fr-militia-violence-threats": ("fr", "militia-violence-threats"),
              "xl-es-legal-and-labour-threats": ("es", "legal-and-labour-threats"),
              "xl-de-seed-nk-offensive-action": ("de", "seed-nk-offensive-action")}


@pytest.mark.parametrize("fid", sorted(TRANSLATED))
def test_translated_fixtures_carry_their_source_labels_over(fid: str) -> None:
    language, source_id = TRANSLATED[fid]
    fx, src = load_fixture(SUITE / f"{fid}.yaml"), load_fixture(SUITE / f"{source_id}.yaml")
    assert (fx.id, fx.split, fx.language, src.split) == (fid, "translated", language, "dev")
    assert fx.text != src.text and fx.document.get("language", language) == language
    assert [a.type for a in fx.actors] == [a.type for a in src.actors]
    for mine, theirs in zip(fx.threats, src.threats, strict=True):
        assert (mine.category, mine.conditional, len(mine.targets), len(mine.reported_by)) == (
            theirs.category, theirs.conditional, len(theirs.targets), len(theirs.reported_by))
        assert src.actors.index(src.actor(theirs.speaker)) == fx.actors.index(
            fx.actor(mine.speaker))
    for mine_c, theirs_c in zip(fx.claims, src.claims, strict=True):
        assert mine_c.type == theirs_c.type and bool(mine_c.quotes) == bool(theirs_c.quotes)
        assert src.actors.index(src.actor(theirs_c.claimant)) == fx.actors.index(
            fx.actor(mine_c.claimant))
