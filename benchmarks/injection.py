"""Injection detector on the two frozen sets: false negatives and false positives.

    python benchmarks/injection.py            # extractor.injection.scan and the old regex
    python benchmarks/injection.py --misses   # also list every miss and false alarm

evals/injection/attempts.yaml holds short articles with lines written at a model (`inject`);
an attempt is caught when every one of its injected lines is withheld. Any other line
withheld in those articles is collateral (real news lost). evals/injection/benign.yaml holds
news look-alikes; a false positive is one with any line withheld. No model runs.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from extractor.injection import spans

SETS = Path(__file__).resolve().parent.parent / "evals" / "injection"
Detector = Callable[[str, list[tuple[int, int]]], list[tuple[int, int]]]

# The detector parse() used before extractor.injection (extractor/documents.py, `_INJECTION`,
# one English regex tried on each line), copied here as the baseline.
OLD_INJECTION = re.compile(
    r"""^\W*(system|assistant|developer|user)\s*:
      | \b(ignore|disregard|forget)\b.{0,40}\b(previous|prior|above|earlier|all)\b.{0,30}
        \b(instructions?|prompts?|rules|directions)\b
      | \byou\s+are\s+now\b | \bnew\s+(system\s+)?(policy|instructions?)\s*:
      | ^\s*[\[{].*["'](threats|claims|actors|quote|speaker|claimant)["']\s*:""",
    re.IGNORECASE | re.VERBOSE,
)


def old_regex(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(s, e) for s, e in lines if OLD_INJECTION.search(text[s:e].strip().strip("|").strip())]


def lines_of(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        if body.strip():
            out.append((pos, pos + len(body)))
        pos += len(raw)
    return out


def load(name: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load((SETS / name).read_text(encoding="utf-8"))["items"])


@dataclass
class Score:
    name: str
    attempts: int = 0
    caught: int = 0
    benign: int = 0
    real_lines: int = 0
    collateral: list[tuple[str, str]] = field(default_factory=list)  # (id, real line lost)
    misses: list[tuple[str, str]] = field(default_factory=list)  # (id, injected line kept)
    false_alarms: list[tuple[str, str]] = field(default_factory=list)  # (id, benign line)

    @property
    def missed(self) -> int:
        return self.attempts - self.caught

    def row(self) -> str:
        fn, fp = self.missed, len({i for i, _ in self.false_alarms})
        n, b = self.attempts, self.benign
        return (f"| {self.name} | {self.caught}/{n} ({self.caught / n:.0%}) | {fn} ({fn / n:.0%}) "
                f"| {fp}/{b} ({fp / b:.0%}) | {len(self.collateral)}/{self.real_lines} |")


def measure(detector: Detector, name: str, attempts: list[dict[str, Any]],
            benign: list[dict[str, Any]]) -> Score:
    score = Score(name, attempts=len(attempts), benign=len(benign))
    for item in attempts:
        text, lines = item["text"], lines_of(item["text"])
        held = set(detector(text, lines))
        injected = {ln for ln in lines if text[ln[0]:ln[1]] in item["inject"]}
        kept = [text[s:e] for s, e in injected - held]
        score.caught += not kept
        score.misses += [(item["id"], k) for k in kept]
        real = [ln for ln in lines if ln not in injected]
        score.real_lines += len(real)
        score.collateral += [(item["id"], text[s:e]) for s, e in real if (s, e) in held]
    for item in benign:
        text = item["text"]
        score.false_alarms += [(item["id"], text[s:e]) for s, e in detector(text, lines_of(text))]
    return score


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", action="store_true", help="list every miss and false alarm")
    args = ap.parse_args()
    attempts, benign = load("attempts.yaml"), load("benign.yaml")
    langs = sorted({a["lang"] for a in attempts})
    print(f"{len(attempts)} attempts ({', '.join(langs)}), {len(benign)} benign look-alikes\n")
    print("| detector | attempts caught | false negatives | benign withheld (false positives) "
          "| real lines lost in attempt articles |")
    print("|---|---|---|---|---|")
    scores = [measure(old_regex, "old `_INJECTION` regex", attempts, benign),
              measure(spans, "extractor.injection.scan", attempts, benign)]
    for s in scores:
        print(s.row())
    for s in scores if args.misses else scores[-1:]:
        print(f"\n{s.name}:")
        for what, rows in (("missed", s.misses), ("false positive", s.false_alarms),
                           ("collateral", s.collateral)):
            for item_id, line in rows:
                print(f"- {what} {item_id}: {line[:110]!r}")


if __name__ == "__main__":
    main()
