"""Page shapes the document stage was not tuned on: what is withheld, why, and that the story
stays. Every withheld span slices the text, and every nonblank line is either read or listed."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractor.documents import WITHHELD_WARN_SHARE, Document, parse

STORY = [
    "DAMASCUS (AFP) - Syrian rebels said on Saturday they would shell government positions in "
    "Aleppo unless the siege of the eastern districts was lifted by Monday.",
    '"If the siege is not lifted, our artillery will answer," rebel commander Abu Omar told '
    "reporters in Idlib, adding that fighters had been moved to the front.",
    "The government said it would not negotiate with what it called terrorist groups and "
    "accused Turkey of arming them.",
    "Turkey's foreign ministry denied the accusation and said it backed a ceasefire.",
    "By Sunday, the rebels said, they would shell the airport if no aid convoy had arrived.",
    "Copyright holders said they would sue the broadcaster that aired the footage.",
]


def _page(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def _reasons(doc: Document) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for w in doc.withheld:
        out.setdefault(w.reason, []).append(w.text)
    return out


def _check_invariants(doc: Document) -> None:
    for w in doc.withheld:
        assert doc.text[w.start : w.end] == w.text
    held = {span for span in doc.furniture}
    read = set(doc.content)
    assert not held & read
    lines = [span for span in _nonblank(doc.text)]
    assert set(lines) == held | read  # nothing is neither read nor listed


def _nonblank(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if bare.strip():
            out.append((pos, pos + len(bare)))
        pos += len(line)
    return out


def _story_kept(doc: Document) -> None:
    for line in STORY:
        assert line in doc.body


@pytest.mark.parametrize("counter", ["Comments (3)", "12 comments", "COMMENTS", "Reader comments"])
def test_a_comment_counter_under_the_title_does_not_swallow_the_story(counter: str) -> None:
    text = _page("Rebels threaten to shell Aleppo", "Levant Daily", "8 November 2025", counter,
                 *STORY)
    doc = parse(text)
    _check_invariants(doc)
    _story_kept(doc)
    assert _reasons(doc)["comments"] == [counter]
    assert doc.withheld_share < WITHHELD_WARN_SHARE
    assert not [n for n in doc.withheld_notices() if n.code == "withheld_share"]


def test_comments_at_the_bottom_are_withheld_with_their_usernames_and_counters() -> None:
    text = _page(
        "Rebels threaten to shell Aleppo", *STORY,
        "12 comments", "Sort by: Newest",
        "abu_k", "3 hours ago", "They always say that and nothing happens.", "Reply · Like (4)",
        "Marco T.", "Nov 8, 2025 at 3:02 pm", "The siege has to end, whoever is to blame.",
        "Reply", "reem.h: Praying for everyone in the east of the city.",
        "Load more comments",
        "© 2025 Levant Daily. All rights reserved.",
    )
    doc = parse(text)
    _check_invariants(doc)
    _story_kept(doc)
    reasons = _reasons(doc)
    assert len(reasons["comments"]) == 1
    section = reasons["comments"][0]
    assert section.startswith("12 comments") and section.endswith("Load more comments")
    assert "Praying for everyone" not in doc.body and "whoever is to blame" not in doc.body
    assert reasons["furniture:copyright"] == ["© 2025 Levant Daily. All rights reserved."]


def test_a_comments_section_ends_at_the_first_prose_paragraph() -> None:
    text = _page("Rebels threaten to shell Aleppo", STORY[0], "Comments (2)",
                 "abu_k: They always say that.", "nadia: Stay safe.", *STORY[1:])
    doc = parse(text)
    _check_invariants(doc)
    _story_kept(doc)
    assert _reasons(doc)["comments"] == ["Comments (2)\nabu_k: They always say that.\nnadia: Stay "
                                         "safe."]


def test_a_large_unproven_section_is_cut_to_its_header_and_reported() -> None:
    # A "related" header whose items run on into short, headline-like story lines that take
    # most of the page: not enough evidence for that much text.
    subheads = [f"Fighters moved to the front near village number {i} on the road north" for i in
                range(10)]
    text = _page("Rebels threaten to shell Aleppo", "Related", *subheads, STORY[0])
    doc = parse(text)
    _check_invariants(doc)
    assert _reasons(doc)["related_list"] == ["Related"]
    assert all(s in doc.body for s in subheads)
    notes = [n for n in doc.withheld_notices() if n.code == "furniture_capped"]
    assert len(notes) == 1 and "'Related'" in notes[0].message


def test_related_list_mid_article_is_withheld_and_the_story_resumes() -> None:
    text = _page(
        "Rebels threaten to shell Aleppo", *STORY[:2],
        "Related:", "- Aleppo siege: what we know", "- Who are the rebel groups in Idlib?",
        "- Timeline of the war, 2011-2025",
        *STORY[2:],
        "READ MORE: Turkey and Russia agree on a new patrol zone",
    )
    doc = parse(text)
    _check_invariants(doc)
    _story_kept(doc)
    reasons = _reasons(doc)
    assert reasons["related_list"][0].startswith("Related:\n- Aleppo siege")
    assert reasons["related_list"][0].endswith("2011-2025")
    assert reasons["related_list"][1].startswith("READ MORE: Turkey")


def test_repeated_photo_captions_and_credits_are_captions_or_duplicates() -> None:
    caption = "Rebel fighters stand near Aleppo on November 7, 2025. REUTERS/Khalil Ashawi"
    text = _page(
        "Rebels threaten to shell Aleppo", caption, STORY[0],
        "In this file photo, a rebel fighter fires a mortar in the countryside of Aleppo.",
        *STORY[1:4], caption, *STORY[4:],
        "Photo: AFP", "Share this article", "Facebook | Twitter | WhatsApp | Email",
    )
    doc = parse(text)
    _check_invariants(doc)
    _story_kept(doc)
    reasons = _reasons(doc)
    assert reasons["caption"][:2] == [caption, "In this file photo, a rebel fighter fires a mortar "
                                      "in the countryside of Aleppo."]
    assert caption not in doc.body
    assert reasons["furniture:share_bar"] == ["Share this article\nFacebook | Twitter | WhatsApp "
                                              "| Email"]


def test_newsletter_boxes_are_withheld_as_newsletter() -> None:
    text = _page(
        "Rebels threaten to shell Aleppo", *STORY[:3],
        "----", "NEWSLETTER", "Sign up for our Middle East briefing, in your inbox every morning",
        "Subscribe", "----", *STORY[3:],
    )
    doc = parse(text)
    _check_invariants(doc)
    _story_kept(doc)
    reasons = _reasons(doc)
    assert reasons["furniture:newsletter"] == [
        "NEWSLETTER\nSign up for our Middle East briefing, in your inbox every morning\nSubscribe"]
    assert reasons["furniture:rule"] == ["----", "----"]


def test_lines_that_merely_start_like_a_byline_or_a_notice_are_story() -> None:
    text = _page("Rebels threaten to shell Aleppo", "By Rana Haddad, Middle East Correspondent",
                 *STORY, "Copyright 2025 Levant Daily")
    doc = parse(text)
    _check_invariants(doc)
    _story_kept(doc)  # "By Sunday, the rebels said ..." and "Copyright holders said ..." stay
    assert doc.meta.byline == "By Rana Haddad, Middle East Correspondent"
    assert _reasons(doc)["furniture:copyright"] == ["Copyright 2025 Levant Daily"]


@pytest.mark.parametrize("dateline", ["DAMASCUS (AFP) -", "DAMASCUS, Syria (AP) —", "BEIRUT:"])
def test_a_dateline_on_its_own_line_is_neither_publisher_nor_withheld(dateline: str) -> None:
    text = _page("Rebels threaten to shell Aleppo", dateline, *STORY[1:])
    doc = parse(text)
    _check_invariants(doc)
    assert doc.meta.publisher is None
    assert dateline in doc.body and not doc.withheld


def test_more_than_a_quarter_withheld_raises_a_warning() -> None:
    comments = []
    for i in range(12):
        comments += [f"reader{i}", f"{i + 1} hours ago", f"Comment number {i} says something "
                     "long enough about the siege and the rebels and the government.", "Reply"]
    text = _page("Rebels threaten to shell Aleppo", *STORY[:2], "Comments (12)", *comments)
    doc = parse(text)
    _check_invariants(doc)
    assert doc.withheld_share > WITHHELD_WARN_SHARE
    assert [w.reason for w in doc.withheld] == ["comments"]
    notes = [n for n in doc.withheld_notices() if n.code == "withheld_share"]
    assert len(notes) == 1 and "comments" in notes[0].message


@pytest.mark.parametrize("byline", ["Por Jess Harlow, corresponsal de asuntos laborales",
                                    "Par Awa Traoré, envoyée spéciale à Bamako",
                                    "Von Hans Müller", "By HELEN OKAFOR | Tripoli"])
def test_bylines_in_other_languages_and_shapes_are_bylines(byline: str) -> None:
    doc = parse(_page("Rebels threaten to shell Aleppo", byline, *STORY))
    assert doc.meta.byline == byline and doc.meta.publisher is None
    assert _reasons(doc)["byline"] == [byline]
    _story_kept(doc)


@pytest.mark.parametrize("line", ["By Christmas, the troops will be home, officials said.",
                                  "By Christmas, the staff will be home",
                                  "Por el momento, nadie sabe qué pasará",
                                  "Copyright holders said they would sue the broadcaster."])
def test_story_lines_that_open_like_a_byline_or_notice_are_kept_anywhere(line: str) -> None:
    doc = parse(_page("Rebels threaten to shell Aleppo", *STORY[:3], line, *STORY[3:]))
    assert line in doc.body and not doc.withheld


_BLOCKS = {
    "comments": ["Comments (4)", "abu_k", "2 hours ago", "They always say that.", "Reply · Like 3",
                 "reem.h: Stay safe everyone.", "Load more comments"],
    "related_list": ["Related stories", "- Aleppo siege: what we know", "- Who are the rebels?"],
    "furniture:share_bar": ["Share this article", "Facebook | Twitter | Email"],
    "furniture:newsletter": ["NEWSLETTER", "Sign up for our daily briefing in your inbox"],
    "caption": ["In this file photo, fighters gather near Aleppo. (AP Photo/Ghaith Alsayed)"],
    "furniture:advert": ["Advertisement"],
}


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(sorted(_BLOCKS)), max_size=8), st.data())
def test_property_furniture_anywhere_never_takes_a_story_line(blocks: list[str],
                                                               data: st.DataObject) -> None:
    # Furniture blocks dropped at random places between the story's paragraphs, the comment
    # counter under the headline included: every story line is read, every block is withheld.
    slots: list[list[str]] = [[] for _ in range(len(STORY) + 1)]
    for kind in blocks:  # each block whole, between two paragraphs (or before the first)
        slots[data.draw(st.integers(0, len(STORY)))] += _BLOCKS[kind]
    lines = [x for i, para in enumerate([*STORY, ""]) for x in [*slots[i], para] if x]
    text = _page("Rebels threaten to shell Aleppo", "Levant Daily", "8 November 2025", *lines)
    doc = parse(text)
    _check_invariants(doc)
    _story_kept(doc)
    read = set(doc.body.split("\n"))
    for kind in set(blocks):  # withheld, under its own reason or inside a neighbouring section
        assert not read & set(_BLOCKS[kind])
    for w in doc.withheld:
        assert not any(line in w.text for line in STORY)


def test_a_transcript_under_a_discussion_header_is_not_taken_for_comments() -> None:
    # "Name: words" lines look like named comments, but a transcript has no timestamps or
    # reply counters, and the story goes on after it: the section is cut to its header.
    transcript = [
        "Lavrov: We will respond to any deployment of missiles near our borders.",
        "Blinken: The United States will defend every inch of allied territory.",
        "Lavrov: Then the consequences will be on Washington, not on Moscow.",
        "Blinken: Our allies can count on us, whatever Moscow decides to do.",
        "Lavrov: We have warned many times, and we will not warn again.",
    ]
    text = _page("Foreign ministers trade warnings", STORY[0], "Discussion", *transcript,
                 *STORY[1:3])
    doc = parse(text)
    _check_invariants(doc)
    assert all(line in doc.body for line in transcript)
    assert _reasons(doc)["comments"] == ["Discussion"]
    assert [n.code for n in doc.withheld_notices()] == ["furniture_capped"]


def test_a_ticker_of_headlines_on_one_line_is_a_related_list() -> None:
    ticker = ("Port reopens after storm  • Minister visits flood camps  • Weather forecast "
              "for major cities -- Jan. 29  • Interview: envoy says talks a key priority")
    doc = parse(_page("Rebels threaten Aleppo shelling", "Off the wire", ticker, *STORY))
    _check_invariants(doc)
    assert _reasons(doc).get("related_list") == [ticker]
    _story_kept(doc)


def test_a_story_line_with_bars_or_dots_is_not_a_ticker() -> None:
    line = ("The rebels | who hold the north | said on Saturday they would shell the airport. "
            "Aid groups · two of them · warned of a siege.")
    doc = parse(_page("Rebels threaten Aleppo shelling", "Off the wire", line, *STORY))
    assert line in doc.body


def test_a_widget_under_the_first_date_is_neither_title_nor_publisher() -> None:
    doc = parse(_page("9.15 PM Sunday, 14 April 2024",
                      "  • City Fajr Shuruq Duhr Asr Magrib Isha",
                      "  • Dubai 04:38 05:54 12:22 15:49 18:44 20:01",
                      "14 April 2024", "", "Rebels threaten Aleppo shelling", "", *STORY))
    _check_invariants(doc)
    assert doc.meta.title == "Rebels threaten Aleppo shelling"
    assert doc.meta.publisher is None and str(doc.meta.published_at) == "2024-04-14"
    assert len(_reasons(doc)["furniture:widget"]) == 1  # both list items, one span
    _story_kept(doc)
