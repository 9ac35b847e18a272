"""Page furniture: which lines of a scraped page are not the story, each with its reason.

Two kinds of decision. A line decision judges one line by its own shape (a share bar, a
copyright notice, a byline, a photo caption, a repeated line). A section decision starts at a
header ("Comments (3)", "Related:") and extends only over the lines shaped like what the
header announces: comments are usernames, timestamps, reply/like counters and the text under
them; a link list is short headline-like items. The first line of another shape (a prose
paragraph) ends the section. A section that would take more than SECTION_CAP of the page is
accepted only with strong evidence (two or more timestamps or reply/like counters, or two or
more items and nothing but furniture after it); otherwise only its header line is withheld and
the decision is reported.

Shapes, not phrases from any article: every pattern here is the generic form of a kind of
page furniture, and all of them live in this one module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SECTION_CAP = 0.35  # the most of a page's characters one section decision may take unproven
MAX_LIST_ITEMS = 12
MAX_COMMENT_CHARS = 1500
MAX_CAPTION_CHARS = 400

_I = re.IGNORECASE
_X = re.IGNORECASE | re.VERBOSE

_RULE = re.compile(r"^[\W_]*$")
_ADVERT = re.compile(r"^((story|article) continues below( this)?( advertisement| ad)?|advertisement"
                     r"|advert|sponsored( content)?|ad|promoted|paid content"
                     r"|\d+\s*min(ute)?s?\s+(read|listen))$", _I)
_NEWSLETTER = re.compile(
    r"""^(newsletter|subscribe|sign\ up|join)(\ now|\ today|\ here)?[.!]?$
      | ^(join|subscribe\ to|sign\ up\ (for|to)|get)\b.{0,80}\b(mailing\ list|newsletters?
          |updates|alerts|inbox|briefing|digest)\b
      | ^(?=.{0,160}$)(?=.*\bnewsletters?\b)
          .*\b(subscribe|sign\ up|inbox|daily|weekly|e-?mail)\b""",
    _X,
)
_SHARE_WORD = (r"(share(\ this(\ (article|story|page))?)?(\ on)?|tweet|facebook|twitter|x|whatsapp"
               r"|telegram|linkedin|reddit|pinterest|messenger|flipboard|e-?mail|print|copy(\ the)?"
               r"\ link|copied|save|bookmark|gift\ (this\ )?article|\d+\ shares?)")
_SHARE_BAR = re.compile(rf"^{_SHARE_WORD}([\s|·•/,:]+{_SHARE_WORD})*$", _X)
_NAVIGATION = re.compile(r"^(log\s?in|log\s?out|sign\s?in|sign\s?out|register|reset\ password"
                         r"|forgot(\ your)?\ password\??|my\ account|menu|search|home|skip\ ad"
                         r"|search\ the\ (print\ )?archives?|close|open\ menu)$", _X)
_CALL_TO_ACTION = re.compile(
    r"^(follow\ us|click\ here|download\ (our|the)\ app|listen\ to\ this\ article|skip\ to"
    r"\ (main\ )?content|back\ to\ top|advertise\ with\ us)\b.{0,100}$", _X)
# A notice, not a sentence that starts with the word: ©, (c), a year or "all rights reserved".
_COPYRIGHT = re.compile(
    r"^(©|\(c\)|copyright\s*(©|\(c\))|copyright\s+\d{4}\b|all\ rights\ reserved\b)"
    r"| \ball\ rights\ reserved\.?$", _X)
_TAGS = re.compile(r"^(tags?|topics?|filed\ under|categories|keywords)\s*:.{0,200}$", _X)
_CREDITS = re.compile(r"^(\(?(reporting|writing|editing|additional\ reporting)\ by\b.{0,200}"
                      r"|(image|photo|picture)\ (credit|source)s?\s*:.{0,120})$", _X)
# Captions: what only a caption opens with, or a photo agency's credit closing a short line.
_CAPTION = re.compile(
    r"""^(\(?(file|handout)\ )?(photo|picture|image|caption|pictured|above|top|main\ image)\s*[:|]
      | ^in\ this\ ((file|handout|undated|aerial)\ )*(photo|picture|image|video\ grab|screen\ ?grab)
      | ^(a\ )?(file|handout)\ (photo|picture|image)\b
      | ^this\ (handout\ |undated\ |file\ )*(photo|picture|image)\ (taken|released|provided|shows)
      | (\(|[-–—/|]\s*)(ap\ photo|afp\ photo|reuters/|getty\ images|epa(-efe)?/|photo:)
        [^()]{0,60}\)?$
      | \b(photo|picture|image)\s*[:/]\s*[\w .&'/-]{2,40}$""",
    _X,
)
# The same, case-sensitive: AGENCY/Photographer credits ("REUTERS/Omar Sanadiki") and the
# "Name, above, in Place" shape.
_CAPTION_CREDIT = re.compile(
    r"\b[A-Z][A-Z .&-]{1,30}/[A-Z][\w.'’-]+(\s[A-Z][\w.'’-]+){0,3}\)?$"
    r"|^[A-Z][^.,]{1,60},\s(above|left|right|centre|center|pictured|top|below)\b")
_DUPLICATE_MIN_CHARS = 30

_WEEKDAYS_MONTHS = (r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february"
                    r"|march|april|may|june|july|august|september|october|november|december"
                    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|then|now|late|early)\b")
_NAME_WORD = r"(?:[A-Z][\w.'’-]*|(?:and|in|of|de|da|del|van|von|der|al|bin|le|la)\b)"
# A role after the name may be lower-case in many languages ("corresponsal de asuntos laborales").
_ROLE = (r"(correspondents?|reporters?|writers?|editors?|journalists?|columnists?"
         r"|corresponsal|periodista|redactora?|redacción|envoyée?|correspondante?|journaliste"
         r"|rédaction|korrespondent(in)?|redakteur(in)?|redaktion|inviat[oa]|corrispondente"
         r"|giornalista|redactie|verslaggever)")
_BYLINE = re.compile(
    rf"^(?i:by|por|par|von|di|door|av|af|przez):?\s+(?!(?i:{_WEEKDAYS_MONTHS}))(?=[A-Z])"
    rf"{_NAME_WORD}(?:[\s,|·/&-]+{_NAME_WORD}){{0,13}}"
    rf"(?:\s*[,|–—-]\s*(?=[^,]{{0,60}}\b(?i:{_ROLE})\b)[^\W\d][\w .'’-]{{1,60}})?[\s,|]*$")
# A dateline on its own line ("DAMASCUS (AFP) -"): story text, and never a publisher.
_DATELINE = re.compile(r"^[A-Z][A-Z .'/-]{2,}(,\s*[A-Z][\w .'-]+)?\s*(\([\w .&/-]+\))?\s*[-–—:]?$")

_LIST_HEADER = re.compile(
    r"""^(related(\ (articles?|stories|story|coverage|links|reading|content|news|topics))?
      |more\ on\ this(\ story|\ topic)?|more\ (stories|news|from\ [\w .]{1,30})|see\ also
      |also\ read|read\ (more|next|also)|recommended(\ for\ you)?|most\ (read|popular|viewed|shared)
      |trending(\ now)?|you\ (may|might)\ also\ like|top\ stories|latest(\ news)?
      |editor'?s\ picks|don'?t\ miss)\s*:?$""",
    _X,
)
_INLINE_LINK = re.compile(
    r"^(related|read\ (more|next|also)|see\ also|also\ read|more|watch|listen)\s*[:»>|–—-]\s*"
    r"(?P<link>\S.{0,150})$", _X)
_COMMENTS_HEADER = re.compile(
    r"""^(((\d+|no)\s+)?(readers?'?\s+)?(comments?|replies|responses)(\s*\(\d+\))?
      |comments?\s+section|(leave|post|add|write)\s+a\s+(comment|reply)
      |what\s+readers\s+are\s+saying|reader\s+reactions?|join\s+the\s+(conversation|discussion)
      |(show|view|see|read)\s+(all\s+)?(\d+\s+)?comments(\s*\(\d+\))?|discussion(\s*\(\d+\))?
      |have\s+your\s+say)\s*:?$""",
    _X,
)
_MONTH = (r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_TIMESTAMP = re.compile(
    rf"""^((posted|updated|published|edited)\s+)?((on|at)\s+)?(
        \d+\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|months?
          |y|yrs?|years?)\s+ago|yesterday|today|just\ now
      | (\w+,?\s)?(\d{{1,2}}\s{_MONTH}|{_MONTH}\s\d{{1,2}})(,?\s\d{{4}})?
      | \d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}
      | \d{{1,2}}:\d{{2}}\s*([ap]\.?m\.?)?
      )(,?\s+(at\s+)?\d{{1,2}}[:.]\d{{2}}\s*([ap]\.?m\.?)?(\s+[A-Z]{{2,4}})?)?\s*$""",
    _X,
)
_COMMENT_ACTION = re.compile(
    r"""^((reply|replies|like[sd]?|report|share|flag|upvote|downvote|recommend(ed)?|permalink|edit
        |delete|hide|quote|\d+|[↑↓▲▼+−-])[\s()·•|:,]*)+$
      | ^(load|show|view|see|read)\ (more|all|\d+|previous|older|newer)\b.{0,40}(comments?|replies)$
      | ^(?=.{0,200}$).*\b(your\ email\ (address\ )?will\ not\ be\ published|required\ fields
        |akismet|comment\ data\ is\ processed|comments\ are\ (moderated|closed|reviewed)
        |community\ (guidelines
        |standards|rules)|keep\ the\ (discussion|conversation)\ civil|(log|sign)\ in\ to
        \ (comment|reply|join)|be\ the\ first\ to\ comment|sort\ by\b|newest\ first|oldest
        \ first|most\ liked)""",
    _X,
)
# A comment's head line: a handle ("desertfox88", "abu_k"), a name and initial ("Marco T."),
# or a name that "wrote:".
# A lone capitalised word ("Advertisement", "Analysis") is not a handle: a handle has a digit,
# an underscore, a dot or an @, or is lower-case or camel-case.
_USERNAME = re.compile(r"^(@[\w.’'-]{2,30}|(?=[^\s]*[\d_.])[\w.’'-]{2,30}|[a-z][\w’'-]{1,29}"
                       r"|[A-Za-z][a-z]+[A-Z][\w’'-]*|[A-Z][\w’'-]+\s[A-Z]\."
                       r"|[\w.’' -]{2,40}\s+(wrote|says|said|replied)(:|\.\.\.|…)?)$")
_NAMED_COMMENT = re.compile(r"^@?(?P<name>[\w.’'-]{2,30}(\s[\w.’'-]{1,20}){0,2}):\s+\S")
_BULLET = re.compile(r"^([-–—•·*>»▪◦‣+]|\d{1,2}[.)])\s*")
_SENTENCE_INSIDE = re.compile(r"[.!?][\"”’']?\s+[\"“‘']?[A-Z]")


@dataclass(frozen=True)
class Decision:
    """Line indexes withheld by one decision, and why."""

    lines: tuple[int, ...]
    reason: str


@dataclass(frozen=True)
class Capped:
    """A section decision cut back to its header because it lacked evidence for its size."""

    line: int
    reason: str
    share: float


def clean(line: str) -> str:
    """The line without the pipes and spaces scraped boxes put around it."""
    return line.strip().strip("|").strip()


def line_reason(line: str, seen: set[str] | None = None) -> str | None:
    """Why one line, judged on its own, is not story text (None when it may be)."""
    if _RULE.match(line):
        return "furniture:rule"
    for reason, pattern in _LINE_PATTERNS:
        if pattern.search(line):
            return reason
    if (m := _INLINE_LINK.match(line)) and _link_shaped(m.group("link")):
        return "related_list"
    if _headline_run(line):
        return "related_list"
    if len(line) <= MAX_CAPTION_CHARS and (_CAPTION.search(line) or _CAPTION_CREDIT.search(line)):
        return "caption"
    if is_byline(line):
        return "byline"
    if seen is not None and len(line) >= _DUPLICATE_MIN_CHARS and line in seen:
        return "duplicate"
    return None


_LINE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("furniture:advert", _ADVERT),
    ("furniture:newsletter", _NEWSLETTER),
    ("furniture:share_bar", _SHARE_BAR),
    ("furniture:navigation", _NAVIGATION),
    ("furniture:call_to_action", _CALL_TO_ACTION),
    ("furniture:copyright", _COPYRIGHT),
    ("furniture:tags", _TAGS),
    ("furniture:credits", _CREDITS),
)


def is_byline(line: str) -> bool:
    """"By Jane Roe, Staff Writer" (also as a list item: "- By Jane Roe and John Doe"), not
    "By Sunday, the rebels said, they would ..."."""
    return len(line) < 100 and bool(_BYLINE.match(line.lstrip("-–—•·* \t")))


def is_list_item(line: str) -> bool:
    """A line set as a list item ("• Dubai 04:38 05:54", "- Related story")."""
    return bool(_BULLET.match(line.strip()))


def is_dateline(line: str) -> bool:
    return bool(_DATELINE.match(line))


def is_publisher(line: str) -> bool:
    """A site or outlet name: a few words, letters, no sentence end ("Iran Press TV")."""
    ends = line.rstrip("\"'”’)»")
    return (len(line) <= 80 and len(line.split()) <= 8 and sum(ch.isalpha() for ch in line) >= 2
            and not is_list_item(line)  # "• City Fajr Shuruq ..." names no outlet
            and not ends.endswith((".", "!", "?", ",")) and line_reason(line) is None
            and not is_section_header(line) and not is_dateline(line))


_NAME_SMALL = frozenset({"the", "of", "and", "for", "in", "on", "de", "la", "le", "el", "du",
                         "des", "del", "der", "die", "und", "&", "-", "|"})


def is_outlet_name(line: str) -> bool:
    """A publisher line shaped as a name ("The Daily Telegraph", "Coastal Herald",
    "thehill.com"): no comma, every word capitalized but the small ones. A headline in
    sentence case ("We will retaliate, Moscow warns Britain") is not one."""
    words = line.split()
    return (is_publisher(line) and "," not in line
            and all(not w[0].isalpha() or w[0].isupper() or w.lower() in _NAME_SMALL
                    or "." in w for w in words))


def is_section_header(line: str) -> str | None:
    if _COMMENTS_HEADER.match(line):
        return "comments"
    if _LIST_HEADER.match(line):
        return "related_list"
    return None


def _link_shaped(line: str) -> bool:
    item = _BULLET.sub("", line)
    if not item or len(item) > 160 or len(item.split()) > 25:
        return False
    if _TIMESTAMP.match(item):
        return True
    ends = item.rstrip("\"'”’)»")
    return not ends.endswith((".", "!", ",", ";")) and not _SENTENCE_INSIDE.search(item)


_RUN_SEPARATOR = re.compile(r"\s+[•·|]\s+")


def _headline_run(line: str) -> bool:
    """A ticker or link strip scraped into one line: three or more headline-shaped items
    joined by bullets or bars ("Kenya boosts security ...  • Egypt's Sisi heads to ...")."""
    items = [x for x in _RUN_SEPARATOR.split(line.strip()) if x.strip()]
    return len(items) >= 3 and all(_link_shaped(x) and len(x.split()) >= 2 for x in items)


def _comment_head(line: str) -> bool:
    return bool(_TIMESTAMP.match(line) or (len(line) <= 40 and _USERNAME.match(line)))


def _comment_line(line: str) -> bool:
    return bool(_COMMENT_ACTION.match(line) or _named_comment(line) or _comment_head(line))


def _named_comment(line: str) -> bool:
    m = _NAMED_COMMENT.match(line)
    if not m or len(line) > MAX_COMMENT_CHARS:
        return False
    name = m.group("name")
    return not (name.isupper() and name.replace(" ", "").isalpha())  # "TEHRAN: ..." is a dateline


def section(lines: list[str], start: int, kind: str) -> list[int]:
    """The lines after the header at `start` that have the shape `kind` announces."""
    taken: list[int] = []
    if kind == "related_list":
        for i in range(start + 1, min(len(lines), start + 1 + MAX_LIST_ITEMS)):
            if is_section_header(lines[i]) or not _link_shaped(lines[i]):
                break
            taken.append(i)
        return taken
    after_head = False
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if (_COMMENT_ACTION.match(line) or _named_comment(line)
                or is_section_header(line) == "comments"
                or (line_reason(line) and i + 1 < len(lines) and _comment_line(lines[i + 1]))):
            # (an advert between two comments stays in the section; a footer after it does not)
            after_head = False
        elif _comment_head(line):
            after_head = True
        elif after_head and len(line) <= MAX_COMMENT_CHARS:
            after_head = False  # the text of the comment under its username or time
        else:
            break
        taken.append(i)
    return taken


def decide(lines: list[str], header: dict[int, str]) -> tuple[list[Decision], list[Capped]]:
    """Every withholding decision over a page's nonblank lines (already cleaned)."""
    total = sum(len(line) for line in lines) or 1
    decisions = [Decision((i,), reason) for i, reason in sorted(header.items())]
    capped: list[Capped] = []
    seen: set[str] = set()
    i = 0
    while i < len(lines):
        line = lines[i]
        if i in header:
            seen.add(line)
            i += 1
            continue
        kind = is_section_header(line)
        if kind is not None:
            body = section(lines, i, kind)
            share = sum(len(lines[j]) for j in body) / total
            if share > SECTION_CAP and not _proven(lines, body, kind):
                capped.append(Capped(i, kind, round(share, 3)))
                body = []
            decisions.append(Decision((i, *body), kind))
            seen.update(lines[j] for j in (i, *body))
            i = (body[-1] if body else i) + 1
            continue
        reason = line_reason(line, seen)  # `seen` holds the lines before this one only
        if reason is not None:
            decisions.append(Decision((i,), reason))
        seen.add(line)
        i += 1
    return decisions, capped


def _proven(lines: list[str], body: list[int], kind: str) -> bool:
    """Strong evidence for a large section: several items of its kind, and nothing but
    furniture after it (comments and link lists close a page; a story does not)."""
    if len(body) < 2:
        return False
    if kind == "comments":
        # Timestamps and reply/like counters, twice or more: no story reads like that (an
        # interview transcript of "Name: words" lines does, but has neither).
        if sum(1 for j in body if _TIMESTAMP.match(lines[j]) or _COMMENT_ACTION.match(lines[j])
               ) >= 2:
            return True
        items = sum(1 for j in body if _named_comment(lines[j]) or _comment_head(lines[j]))
        if items < 2:
            return False
    rest = lines[body[-1] + 1:]
    return all(line_reason(x) is not None or is_section_header(x) for x in rest)
