"""The kind of claim a statement is, from its cue verb and its grammar: "denied that" is a
denial, "accused" an accusation, "expects" a prediction; an act to come is the speaker's
intention when the speaker's side would act, else a prediction. Appeals ("urged") and
questions are not claims (the labelling contract)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import lexicon
from ..resolve.draft import Draft


@dataclass(frozen=True)
class ClaimTypes:
    name: str = "claim_types"
    stage: str = "statements"

    def apply(self, draft: Draft) -> None:
        for st in draft.statements:
            if st.label != "claim":
                continue
            att = st.att
            if att.cue in lexicon.APPEAL_VERBS:
                st.relabel("appeal", self.name)
            elif draft.text(st.evidence).rstrip().rstrip("\"'”’").endswith("?"):
                st.relabel("question", self.name)
            elif att.cue in lexicon.CLAIM_TYPE_BY_CUE:
                st.relabel(lexicon.CLAIM_TYPE_BY_CUE[att.cue], self.name)
            elif att.future:
                own = att.agent_person in ("first", "speaker")
                st.relabel("intention" if own else "prediction", self.name)
            else:
                st.relabel("factual", self.name)


RULE = ClaimTypes()
