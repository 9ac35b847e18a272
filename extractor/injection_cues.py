"""The cue lexicon of the injection detector (extractor/injection.py), in one place.

Regular-expression sources, compiled there: English, French, Spanish, German, Italian and
Portuguese. They are closed classes (imperatives a model is given, words for a model, for
a prompt and its output, the extraction's own nouns, verbs that report speech), not phrases
from any article or test set.
"""

from __future__ import annotations

# Tags a prompt could use as delimiters, besides those found in the templates themselves.
DELIMITER_TAGS = frozenset({
    "article", "sentence", "context", "system", "user", "assistant", "developer", "human",
    "instruction", "instructions", "prompt", "document", "data", "input", "output", "task",
    "text", "query", "example", "examples", "tool", "s", "start_of_turn", "end_of_turn",
})
CHAT_TOKEN = r"<\|[^|<>\n]{1,40}\|>"  # <|im_start|>, <|system|>, <|eot_id|> ...
LLAMA_SYS = r"<</?SYS>>"
SQUARE_ROLE = r"\[/?(?:INST|SYS|SYSTEM_PROMPT|AVAILABLE_TOOLS|TOOL_CALLS|TOOL_RESULTS)\]"


# Imperatives a reader of news is rarely given and a model often is (en, fr, es, de, it, pt).
IMPERATIVES = r"""
 ignore|disregard|forget|override|bypass|skip|output|return|respond|reply|answer|print|write
|list|add|include|insert|report|state|say|classify|mark|label|treat|pretend|act|assume|stop
|remove|delete|omit|drop|replace|change|set|repeat|reveal|show|extract|append|generate
|translate|summari[sz]e|do\s+not|don't|never|leave
|ignorez|ignore|oubliez|oublie|répondez|réponds|affichez|affiche|écrivez|écris|ajoutez|ajoute
|listez|indiquez|renvoyez|renvoie|retournez|supprimez|supprime|remplacez|considérez|traitez
|classez|faites|fais|résumez|résume|ne\s+(?:tenez|tiens)\s+pas\s+compte|n'extrayez|ne\s+mentionnez
|ignora|ignoren|olvida|olvide|olviden|responde|responda|contesta|conteste|escribe|escriba
|añade|añada|agrega|agregue|devuelve|devuelva|enumera|indica|elimina|borra|reemplaza|trata
|actúa|finge|clasifica|incluye|no\s+incluyas|no\s+extraigas|haz\s+caso\s+omiso|no\s+tengas\s+en\s+cuenta
|ignoriere|ignorier|ignorieren\s+sie|vergiss|vergessen\s+sie|antworte|antworten\s+sie|gib
|geben\s+sie|schreibe|schreiben\s+sie|füge|liste|nenne|lösche|ersetze|behandle|stufe|fasse
|missachte|beachte|tu\s+so
|ignorate|dimentica|dimenticate|rispondi|scrivi|aggiungi|restituisci|elenca|non\s+includere
|esqueça|esquece|escreva|adicione|retorne|devolva|liste|remova|trate|não\s+inclua
"""
# Words after which a clause (and so an imperative) starts.
STARTERS = (r"please|so|then|and|now|also|just|simply|instead|bitte|por\s+favor|per\s+favore"
             r"|s'il\s+vous\s+plaît|e|y|et|und")
# Second-person instructions and "from now on".
SECOND_PERSON = r"""
 \byou\s+(?:are|'re)\s+now\b|\byou\s+(?:must|should|shall|will\s+now|need\s+to|have\s+to|are\s+to)\b
|\bfrom\s+now\s+on\b|\byour\s+(?:new\s+)?(?:instructions|task|job|role|output|answer|response|orders)\b
|\bif\s+you\s+are\s+an?\s+(?:ai|model|language\s+model|assistant|bot|automated)
|\b(?:vous|tu)\s+(?:devez|dois|êtes\s+(?:désormais|maintenant)|es\s+(?:désormais|maintenant))
|à\s+partir\s+de\s+maintenant|\b(?:votre|ta|tes|vos)\s+(?:tâche|instructions|réponse|rôle|consignes)
|\b(?:debes|tienes\s+que|ahora\s+eres|eres\s+ahora)\b|\ba\s+partir\s+de\s+ahora\b|\bdesde\s+ahora\b
|\btus?\s+(?:tarea|instrucciones|respuesta)\b
|\bdu\s+(?:musst|sollst|bist\s+(?:jetzt|nun|ab\s+sofort))\b|\bsie\s+müssen\b|\bab\s+sofort\b
|\b(?:deine|ihre)\s+(?:aufgabe|anweisungen|antwort)\b
|\bdevi\b|\bd'ora\s+in\s+poi\b|\bora\s+sei\b|\bvocê\s+deve\b|\bdeves\b|\ba\s+partir\s+de\s+agora\b
"""
# A third-person prescription ("the assistant must ..."): an instruction only next to a target.
MODAL = (r"\b(?:must|should|shall|has\s+to|needs?\s+to|is\s+to|are\s+to|is\s+required\s+to"
          r"|doit|doivent|debe|deben|muss|müssen|soll|sollen|deve|devono)\b"
          r"|\b(?:correct|expected|right|required)\s+(?:output|answer|response|result)\b")
# Who a line is addressed to, when it is a model. Acronyms are matched case-sensitively.
ADDRESSEE = (r"\b(?:artificial\s+intelligence|assistant|language\s+model|chat\s?bot|bot|model"
              r"|automated\s+system|summari[sz]er|intelligence\s+artificielle|modèle|robot"
              r"|conversationnel|inteligencia\s+artificial|asistente|modelo|künstliche"
              r"|intelligenz|assistent|sprachmodell|modell|assistente|modello)\b")
ADDRESSEE_CS = r"\b(?:AI|A\.I\.|LLM|GPT|ChatGPT|IA|KI)\b"
# The prompt, the instructions, the output: what an instruction to a model is about.
META = r"""
 \b(?:previous|prior|above|earlier|preceding|original|system|new|all|your|these|following|hidden)
   \s+(?:\w+\s+)?(?:instructions?|prompts?|directions|guidelines|rules|messages?|orders)\b
|\bsystem\s+(?:prompt|message)\b|\bprompts?\b
|\b(?:everything|all|anything)\s+(?:above|before|previous|so\s+far)\b
|\b(?:text|article|story|content|page|document|paragraph|message)s?\s+(?:above|below|before)\b
|\b(?:this|the)\s+(?:article|text|page|document)\b|\bjson\b|\bformat\b|\bschema\b
|\b(?:your|the\s+final)\s+(?:output|answer|response|reply)\b|\bempty\s+(?:list|array|object|answer)\b
|\b(?:respond|reply|answer|output)\s+(?:only|solely|just|with|in|using)\b
|\b(?:votre|ta|tu|su|deine|ihre|tua|sua)\s+(?:réponse|respuesta|antwort|risposta|resposta)\b
|\binstructions?\b.{0,20}\b(?:précédentes|anteriores|vorherigen|precedenti)\b
|\bconsignes?\b|\bmessage\s+système\b|ci-dessus|ce\s+qui\s+précède|\bprécédent(?:e|es|s)?\b
|\bcet\s+article\b|\bce\s+texte\b|\bliste\s+vide\b
|\binstrucciones\b|\bindicaciones\b|\bmensaje\s+del\s+sistema\b|\blo\s+anterior\b|\barriba\b
|\beste\s+artículo\b|\bel\s+texto\b|\bformato\b|\blista\s+vacía\b
|\banweisung(?:en)?\b|\binstruktionen\b|\bsystemnachricht\b|\bvorherigen?\b|\bobigen?\b
|\bwas\s+oben\s+steht\b|\bdiese[nm]?\s+(?:artikel|text)\b|\bden\s+(?:artikel|text)\b
|\bausgabe\b|\bleere[nr]?\s+liste\b
|\bistruzioni\b|\bprecedenti\b|\bquesto\s+articolo\b|\blista\s+vuota\b
|\binstruções\b|\banteriores\b|\beste\s+artigo\b|\blista\s+vazia\b
"""
# The extraction's own vocabulary: an instruction about these targets our output.
TASK_WORDS = {
    "actor": r"actors?|acteurs?|actores?|akteure?n?|attori?|atore?s?",
    "threat": r"threats?|is_threat|menaces?|amenazas?|drohungen?|minacce|minaccia|ameaças?",
    "claim": r"claims?|affirmations?|afirmacion(?:es)?|afirmación|behauptungen?|affermazion[ei]",
    "speaker": r"speakers?|claimant|locuteur|hablante|sprecher",
    "victim": r"victims?|victimes?|víctimas?|opfer|vittim[ae]|vítimas?",
    "denial": r"denials?|négations?|negacion(?:es)?|negación|dementis?",
}
# Speech reported in the story: a line that has one outside its quotes is the story's.
ATTRIBUTION = r"""
 \b(?:said|says|told|tells|warned|warns|added|adds|stated|declared|shouted|wrote|writes
 |threatened|vowed|insisted|replied|announced|urged|claimed|explained|noted|tweeted|posted
 |asked|quoted|cited|argued|promised|pledged|demanded|ordered|read\s+a|according\s+to)\b
|(?<=\w\s)say\b
|\b(?:a|ont|avait)\s+(?:dit|déclaré|averti|ajouté|affirmé|prévenu|lancé|menacé|indiqué
 |expliqué|souligné|assuré|annoncé|demandé|répondu)\b|\b(?:selon|d'après)\b|-t-(?:il|elle)\b
|\b(?:dijo|declaró|advirtió|afirmó|añadió|aseguró|señaló|amenazó|explicó|indicó|pidió
 |anunció|prometió|según)\b
|\b(?:sagte|erklärte|warnte|drohte|betonte|teilte|fügte|kündigte|versprach|forderte|laut
 |zufolge|schrieb|meldete)\b
|\b(?:ha|hanno)\s+(?:detto|avvertito|dichiarato|aggiunto|minacciato|affermato)\b|\bsecondo\b
|\b(?:disse|afirmou|declarou|advertiu|alertou|ameaçou|acrescentou|segundo)\b
"""
ROLE_WORDS = (r"system|assistant|developer|user|human|ai|bot|model|système|systeme|sistema"
               r"|asistente|usuario|utilisateur|assistent|benutzer|nutzer|utente")
ROLE = (rf"^\W*(?:(?:important|urgent|new|nouveau|neue?|nueva?)\s+)?(?:{ROLE_WORDS})"
         r"(?:\s+(?:message|prompt|note|override|update|instructions?|nachricht|mensaje))?"
         r"\s*(?::|：|—|–|\s-\s)"
         rf"|\[\s*/?\s*(?:{ROLE_WORDS}|inst|sys|admin)\s*\]"
         r"|^\W*#{2,}\s*(?:instructions?|system|response|input|task|anweisung|instrucci(?:ón|ones)"
         r"|consignes?|aufgabe)\b"
         rf"|{CHAT_TOKEN}|{LLAMA_SYS}|<(?:start|end)_of_turn>")
JSON_ANSWER = (r'[\[{]\s*"(?:threats|claims|actors|quote|speaker|claimant|is_threat|targets?'
                r'|statement|evidence|aliases|category|verdict|kind)"\s*:|^\W{0,3}(?:\{\s*\}|\[\s*\])')
