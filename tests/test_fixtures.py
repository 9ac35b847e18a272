"""Fixture loading: the project's suite is valid; a broken fixture fails with file and field."""

from pathlib import Path

import pytest

from extractor.errors import FixtureError
from extractor.evals.fixtures import load_fixture, load_fixtures

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


def test_project_suite_is_valid_and_covers_both_splits() -> None:
    fixtures = load_fixtures(SUITE)
    assert len(fixtures) >= 14
    assert {f.split for f in fixtures} == {"dev", "test"}
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
