"""The draft a linguistic plan builds before it becomes an Extraction: what rules read and
change. Each statement is one attribution with the speaker's registry entry and the model's
label; rules change labels and record their names."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..documents import Document
from ..linguistics import Analysis, Attribution
from ..schema import Notice
from .actors import Entry, Registry


@dataclass
class Statement:
    att: Attribution
    speaker: Entry
    evidence: tuple[int, int]  # the sentence the statement stands in
    label: str = "claim"  # "threat", a claim type, "appeal", "question", or "restated"
    target: str | None = None  # threat_details: a name the registry may know
    targets: list[str] | None = None  # the parse's targets (resolve.targets); [] is none
    category: str | None = None
    origin: str = "linguistics:attribution"
    changed_by: list[str] = field(default_factory=list)

    @property
    def target_names(self) -> list[str]:
        if self.targets is not None:
            return self.targets
        return [self.target] if self.target else []

    def relabel(self, label: str, rule: str) -> None:
        self.label = label
        self.changed_by.append(f"rule:{rule}")


@dataclass
class Draft:
    doc: Document
    analysis: Analysis
    registry: Registry
    statements: list[Statement] = field(default_factory=list)
    notes: list[Notice] = field(default_factory=list)

    def text(self, span: tuple[int, int]) -> str:
        return self.doc.text[span[0]:span[1]]

    @property
    def threats(self) -> list[Statement]:
        return [s for s in self.statements if s.label == "threat"]
