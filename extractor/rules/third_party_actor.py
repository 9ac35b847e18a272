"""A threat is the speaker's own side promising harm: when the parse shows someone else as the
one who would act ("the analyst said the group will attack"), the statement is a forecast."""

from __future__ import annotations

from dataclasses import dataclass

from ..resolve.draft import Draft


@dataclass(frozen=True)
class ThirdPartyActor:
    name: str = "third_party_actor"
    stage: str = "statements"

    def apply(self, draft: Draft) -> None:
        for st in draft.threats:
            agent = st.att.agent
            if agent is None or st.att.agent_person != "third":
                continue
            who = draft.registry.find(agent.text)
            if who is None or who.key == st.speaker.key:
                continue
            if st.speaker.affiliation in (who.key,) or st.att.affiliation is not None and \
                    draft.registry.find(st.att.affiliation.text) is who:
                continue  # the minister speaks for the state that would act
            st.relabel("prediction", self.name)


RULE = ThirdPartyActor()
