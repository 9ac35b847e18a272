"""HTML in: the main text and its metadata by trafilatura, offsets into that text, and an
InputError only where a page has no main text."""

import json
from pathlib import Path
from typing import Any

import pytest
from extraction_server import valid_answer
from scripted_server import Action, ScriptedServer, answer
from typer.testing import CliRunner

from extractor.cli import app
from extractor.documents import parse
from extractor.errors import InputError
from extractor.html import looks_like_html

PAGES = Path(__file__).parent / "pages"
ALEPPO = (PAGES / "aleppo.html").read_bytes()
FRONTIERE = (PAGES / "frontiere.html").read_bytes()
NAV_ONLY = (PAGES / "nav-only.html").read_bytes()
PAGE_FURNITURE = ["Home", "Middle East", "cookies", "Who are the rebel groups", "abu_k",
                  "Praying for everyone", "Privacy policy", "All rights reserved", "dataLayer"]


def test_article_page_gives_main_text_and_metadata() -> None:
    doc = parse(ALEPPO, source="aleppo.html")
    assert doc.meta.content_type == "html"
    assert doc.meta.title == "Rebels threaten to shell Aleppo unless siege is lifted"
    assert doc.meta.byline == "Rana Haddad"
    assert doc.meta.publisher == "Levant Daily"
    assert str(doc.meta.published_at) == "2025-11-08"
    assert doc.meta.source == "aleppo.html"
    assert doc.text.startswith("Rebels threaten to shell Aleppo")
    for kept in ("DAMASCUS (AFP) - Syrian rebels said on Saturday",
                 '"If the siege is not lifted, our artillery will answer,"',
                 "By Sunday, the rebels said, they would also shell the airport",
                 "Turkey's foreign ministry denied the accusation"):
        assert kept in doc.body
    for gone in PAGE_FURNITURE:
        assert gone not in doc.text
    assert "<" not in doc.text  # no markup left: offsets refer to the extracted text


def test_offsets_refer_to_the_extracted_text() -> None:
    doc = parse(ALEPPO)
    for s, e in doc.content + doc.furniture:
        assert doc.text[s:e].strip()
    quote = "our artillery will answer"
    start = doc.text.index(quote)
    assert doc.text[start : start + len(quote)] == quote
    assert ALEPPO.decode().find(quote) != start  # not an offset into the markup


def test_str_and_bytes_give_the_same_document() -> None:
    a, b = parse(ALEPPO), parse(ALEPPO.decode("utf-8"))
    assert (a.text, a.meta, a.content) == (b.text, b.meta, b.content)


def test_french_page_reads_json_ld_and_keeps_the_date_line_out() -> None:
    doc = parse(FRONTIERE)
    assert doc.meta.title == "Le Mali menace de fermer sa frontière avec le Niger"
    assert doc.meta.byline == "Awa Traoré"
    assert doc.meta.publisher == "Journal du Sahel"
    assert str(doc.meta.published_at) == "2025-11-08"
    assert "la frontière sera fermée dès lundi" in doc.body
    assert "Inscrivez-vous" not in doc.text and "Accueil" not in doc.text
    assert [(w.reason, w.text) for w in doc.withheld] == [("header:date",
                                                           "Publié le 8 novembre 2025")]


def test_a_date_only_in_the_text_is_read_strictly_in_its_language() -> None:
    bare = FRONTIERE.replace(b'"datePublished": "2025-11-08T07:30:00Z",', b"")
    doc = parse(bare)
    assert str(doc.meta.published_at) == "2025-11-08"  # from "8 novembre 2025", not 2025-08-01


def test_declared_legacy_charset_is_decoded() -> None:
    page = ("<html><head><meta charset='windows-1252'><title>Grève</title></head><body><article>"
            "<h1>Le syndicat menace une grève générale</h1><p>Le syndicat a déclaré mardi qu'il "
            "appellerait à une grève générale si la réforme des retraites était adoptée.</p>"
            "</article></body></html>").encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        page.decode("utf-8")
    doc = parse(page)
    assert "grève générale si la réforme" in doc.body


@pytest.mark.parametrize("page", [NAV_ONLY, b"<html><body><p>Hi</p></body></html>",
                                  "<!DOCTYPE html><html><body></body></html>"])
def test_a_page_without_main_text_is_an_input_error(page: str | bytes) -> None:
    with pytest.raises(InputError, match="HTML"):
        parse(page)


@pytest.mark.parametrize("text", [
    "The minister said the <b> tag was not a threat.\nShe added that talks would resume.",
    "Talks resume\nThe envoy said a < b and c > d were the options discussed.",
])
def test_plain_text_that_mentions_a_tag_is_not_html(text: str) -> None:
    assert not looks_like_html(text)
    assert parse(text).meta.content_type == "text"


def _ok(body: dict[str, Any]) -> Action:
    return answer(valid_answer(body))


def test_cli_extracts_an_html_file_and_the_model_reads_only_the_main_text(
        scripted: ScriptedServer, tmp_path: Path) -> None:
    scripted.set_script(_ok)
    page = tmp_path / "page.html"
    page.write_bytes(ALEPPO)
    res = CliRunner().invoke(app, ["extract", str(page), "-m", "test", "--base-url",
                                   scripted.url, "-p", "extract@5", "--no-cache"])
    assert res.exit_code == 0, res.stderr
    result = json.loads(res.stdout)
    assert result["document"]["content_type"] == "html"
    assert result["document"]["title"] == "Rebels threaten to shell Aleppo unless siege is lifted"
    text = parse(ALEPPO).text
    spans = [t["evidence"] for t in result["threats"]] + [c["evidence"] for c in result["claims"]]
    spans += [m for a in result["actors"] for m in a["mentions"]]
    assert spans
    for s in spans:
        assert text[s["start"] : s["end"]] == s["text"]
    sent = " ".join(str(m["content"]) for r in scripted.chat_requests for m in r.messages)
    assert "artillery will answer" in sent
    for gone in PAGE_FURNITURE:
        assert gone not in sent


def test_a_result_carries_the_extracted_text_and_withheld_spans_that_slice_it() -> None:
    import datetime as dt

    from extractor.schema import Extraction, Provenance, Withheld

    doc = parse(FRONTIERE)
    result = Extraction(
        document=doc.meta, withheld=doc.withheld, text=doc.text,
        provenance=Provenance(prompt_id="extract", prompt_version=1, prompt_hash="h", model="m",
                              provider="p", extractor_version="0",
                              created_at=dt.datetime.now(dt.UTC)))
    back = Extraction.model_validate_json(result.model_dump_json())
    assert back.text == doc.text and back.document.content_type == "html"
    assert back.withheld == doc.withheld
    back.check_offsets(back.text or "")
    broken = back.model_copy(update={"withheld": [Withheld(start=0, end=5, text="xxxxx",
                                                           reason="caption")]})
    with pytest.raises(ValueError, match="does not slice"):
        broken.check_offsets(doc.text)
