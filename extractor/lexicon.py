"""The English word lists the linguistic layer still needs, in one place, compiled once.

Everything else comes from the parse (subjects, clausal complements, modals, quotes). These are
closed classes of general English, not phrases from any article: the nouns that stand for a
person or for an organization when a sentence says "the minister said" or "the group warned",
the verbs that report speech with an infinitive ("threatened to strike"), and pronoun classes.
"""

from __future__ import annotations

# Verbs whose infinitive or object is what the speaker said or committed to
# ("threatened to close the strait", "vowed revenge", "denied the report").
SPEECH_ACT_VERBS = frozenset({
    "threaten", "vow", "pledge", "promise", "warn", "swear", "refuse", "deny", "accuse",
    "demand", "urge", "announce", "declare", "insist", "claim", "offer", "reject", "decline",
})

# Verbs of criticism whose object is what the speaker said of someone ("denounced the foreign
# acts of interference", "dismissed Britain's deadline"): speech acts with layer option
# criticism; claim_types makes them accusations or denials (CLAIM_TYPE_BY_CUE).
CRITICISM_VERBS = frozenset({
    "condemn", "denounce", "criticize", "criticise", "blame", "slam", "dismiss", "deplore",
    "decry", "rebuff", "refute",
})

# Speech acts that commit the speaker to an act to come (Searle's commissives): "vowed to",
# "warned it would". The others ("denied", "accused", "urged") assert or ask; what they report
# is an act to come only when the content says so (a modal, "going to").
COMMISSIVE_VERBS = frozenset({
    "threaten", "vow", "pledge", "promise", "warn", "swear", "refuse", "announce", "declare",
    "offer",
})

# Verbs that report speech or thought with a clause ("said that ...").
REPORTING_VERBS = frozenset({
    "say", "tell", "add", "state", "note", "write", "report", "announce", "declare", "claim",
    "warn", "threaten", "vow", "pledge", "promise", "insist", "argue", "assert", "confirm",
    "deny", "accuse", "allege", "predict", "estimate", "believe", "think", "explain", "stress",
    "reiterate", "repeat", "caution", "acknowledge", "admit", "suggest", "indicate", "signal",
    "charge", "contend", "maintain", "reply", "respond", "post", "tweet", "comment", "remark",
    "ask", "urge", "demand", "affirm", "assess", "conclude", "expect", "fear", "hope", "recall",
    "quote", "cite", "describe", "call", "condemn", "denounce", "threat",
})

# Verbs through which a third party relays someone's words ("X quoted Y as saying").
RELAY_VERBS = frozenset({"quote", "cite"})

# Reporting verbs whose content is an appeal, not an assertion.
APPEAL_VERBS = frozenset({"urge", "ask", "call", "appeal", "demand", "plead", "implore"})

# Head nouns that refer to a person ("the minister", "the spokesman").
PERSON_NOUNS = frozenset({
    "minister", "president", "spokesman", "spokeswoman", "spokesperson", "commander", "chief",
    "secretary", "leader", "official", "general", "ambassador", "director", "chairman",
    "chairwoman", "chair", "ceo", "governor", "mayor", "premier", "king", "queen", "prince",
    "envoy", "senator", "lawmaker", "prosecutor", "judge", "lawyer", "attorney", "chancellor",
    "diplomat", "officer", "head", "founder", "owner", "executive", "negotiator", "adviser",
    "advisor", "representative", "deputy", "colonel", "admiral", "captain", "emir", "sheikh",
    "cleric", "man", "woman", "analyst", "expert", "economist", "researcher", "professor",
})

# Head nouns that refer to an organization, a state or a group ("the company", "the group").
GROUP_NOUNS = frozenset({
    "company", "group", "ministry", "agency", "government", "union", "organization",
    "organisation", "army", "military", "firm", "militia", "party", "movement", "council",
    "alliance", "office", "department", "court", "police", "rebels", "regime", "administration",
    "country", "nation", "state", "kingdom", "republic", "bloc", "coalition", "authority",
    "authorities", "commission", "committee", "bank", "network", "gang", "insurgents",
    "faction", "navy", "force", "forces", "command", "cabinet", "parliament", "junta",
    "federation", "association", "board", "corporation", "hackers", "outlet", "newspaper",
    "broadcaster", "channel", "embassy", "mission", "side", "source", "front", "brigade",
    "squad", "wing",
})

# Plural nouns for a group the story identifies by what it is, not by a name ("the rebels",
# "militants", "the hackers"): such a group speaks for itself (layer option subjects).
GROUP_AGENT_NOUNS = frozenset({
    "rebel", "militant", "insurgent", "separatist", "jihadist", "extremist", "gunman",
    "fighter", "guerrilla", "hacker", "attacker", "kidnapper", "pirate", "bandit", "terrorist",
    "protester", "protestor", "demonstrator", "mutineer", "militia", "gang", "faction",
})

# Head nouns of what a speaker issues ("the pamphlet said", "the statement added"): they speak
# for whoever signed or issued them, else for the one who spoke last.
DOCUMENT_NOUNS = frozenset({
    "statement", "pamphlet", "leaflet", "letter", "note", "communique", "communiqué",
    "message", "video", "post", "notice", "memo", "email", "flyer", "poster", "manifesto",
    "declaration", "ultimatum", "tweet",
})

# Group nouns that stand for a state rather than a body inside one ("the government said").
STATE_NOUNS = frozenset({
    "government", "country", "nation", "state", "kingdom", "republic", "administration",
    "regime", "cabinet", "junta", "authorities", "authority",
})

# Cues that name the speech act a threat is: "X threatened to ..." needs no model to say so.
THREAT_VERBS = frozenset({"threaten"})

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
MALE_WORDS = frozenset({"he", "him", "his", "himself"})
FEMALE_WORDS = frozenset({"she", "her", "hers", "herself"})
# Honorifics and titles of rank that give a person's sex ("Mr Putin", "Dame Sarah").
HONORIFIC_SEX = {
    "mr": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m", "monsieur": "m",
    "señor": "m", "herr": "m", "mrs": "f", "ms": "f", "miss": "f", "dame": "f", "lady": "f",
    "queen": "f", "princess": "f", "madame": "f", "mme": "f", "señora": "f", "frau": "f",
}
GROUP_PRONOUNS = frozenset({"it", "its", "they", "them", "their"})
FIRST_PERSON = frozenset({"i", "we", "us", "our", "me", "my", "ours"})
SECOND_PERSON = frozenset({"you", "your", "yours"})

# Subordinators that make harm depend on the target ("if", "unless").
CONDITION_MARKERS = frozenset({"if", "unless", "until", "lest", "otherwise"})
# Of those, the ones whose clause names who would set the harm off (linguistics.parties);
# "until" only times it. And the preposition that names whom an act is against.
TRIGGER_MARKERS = frozenset({"if", "unless"})
AGAINST = frozenset({"against"})

# Words of a title that stand before a person's name ("Foreign Minister", "Prime Minister").
TITLE_QUALIFIERS = frozenset({
    "foreign", "defense", "defence", "prime", "deputy", "vice", "interior", "finance", "state",
    "chief", "senior", "former", "acting", "interim", "supreme", "lieutenant", "major", "war",
    "justice", "trade", "economy", "health", "energy", "us", "u.s.", "mr", "mr.", "mrs", "mrs.",
    "ms", "ms.", "dr", "dr.", "gen", "gen.", "col", "col.", "sen", "sen.", "rep", "rep.",
})

# The kind of claim a cue verb reports ("denied that ..." is a denial). Cues not listed give
# factual, or prediction / intention when the content speaks of an act to come.
CLAIM_TYPE_BY_CUE = {
    **dict.fromkeys(("deny", "reject", "dismiss", "refute", "rebuff"), "denial"),
    **dict.fromkeys(("accuse", "blame", "condemn", "denounce", "allege", "charge", "criticize",
                     "criticise", "slam"), "accusation"),
    **dict.fromkeys(("predict", "expect", "forecast", "estimate", "project", "anticipate"),
                    "prediction"),
    **dict.fromkeys(("believe", "think", "assess", "consider", "fear", "conclude", "judge"),
                    "assessment"),
    **dict.fromkeys(("plan", "intend", "pledge", "promise", "vow", "decide", "announce"),
                    "intention"),
}

# Reporting verbs whose content is a harm the speaker offers: a sentence with one of these, or
# with a modal in its content, is asked about as a threat.
THREAT_CUES = frozenset({"threaten", "warn", "vow", "pledge", "promise", "swear", "threat"})

# Prepositions that open a phrase hung on a name ("Mission in Libya", "Bank of Korea").
PREPOSITIONS = frozenset({"in", "of", "for", "at", "on", "to", "from", "with", "against"})

# Prepositions that only locate ("talks in Seoul", "a port near Busan").
LOCATIVE_PREPOSITIONS = frozenset({
    "in", "at", "near", "from", "into", "across", "inside", "outside", "off", "around",
    "throughout", "within", "via", "along", "toward", "towards", "through", "over", "to",
})

# The narrower set inside a threat's content: a name after these only says where ("strike
# the positions at Owerri"); after "to", "into" or "over" it may be whom the act reaches.
PLACE_ONLY_PREPOSITIONS = frozenset({"in", "at", "near", "from", "across", "inside"})
