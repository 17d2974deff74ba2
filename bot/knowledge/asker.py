"""Words that describe the asker's own cluster rather than what is asked.

Coordinators say what their cluster is before they ask: "koordynatorką klastra *meblarskiego*",
"klaster *ICT* z *Małopolski*", "a *furniture* cluster in *Poznań*". Such a word is often rare in
the language ("meblarskiego" is in no frequency list) and none of our cards has it, yet it says
nothing about which answer is wanted; it counts against an answer as the sentences that only
tell about the asker do (``tuning.CONTEXT_SHARE``). What the question asks about keeps its
weight: "Czy klaster spożywczy może dostać dotację z KPO na fotowoltaikę?" is still about
"KPO" and "fotowoltaikę".
"""

from __future__ import annotations

import re

from bot.core.folding import fold

#: A Polish adjective's endings (every case and gender): "meblarski", "spożywczego",
#: "energetycznym", "morskimi", "drzewnej".
_ADJECTIVE = (
    r"[a-ząćęłńóśźż]+(?:sk|ck|dzk|n|ow|w|cz|ż|ł|k)"
    r"(?:i|y|a|e|ą|ie|iego|ego|iemu|emu|im|ym|imi|ymi|ich|ych|iej|ej)"
)
#: A place after a preposition: "z Podkarpacia", "na Lubelszczyźnie", "from Gdańsk", "in Kraków".
_PLACE = r"(?:z|ze|w|we|na|spod|from|in|near|based in)\s+([A-ZĄĆĘŁŃÓŚŹŻ][\w-]+)"
_CLUSTER_PL = r"\b(?i:klast(?:er|ra|rowi|rem|rze|ry|rów|rom|rami|rach))\b"
_DESCRIBED = (
    # "klastra meblarskiego", "klaster ICT", "klastrem morskim z Gdańska"
    re.compile(_CLUSTER_PL + rf"(?:\s+({_ADJECTIVE}|[A-Z]{{2,}})\b)?(?:\s+{_PLACE})?"),
    # "a furniture cluster", "our 35-member food cluster", "an offshore wind cluster in Słupsk"
    re.compile(
        r"\b(?:a|an|our|my)\s+(?:[\d-]+[\w-]*\s+)?((?:[a-z][\w-]*\s+){0,2}?)clusters?\b"
        rf"(?:\s+(?:of\s+\d+\s+(?:\w+\s+){{1,2}})?{_PLACE})?"
    ),
)


def describing(question: str) -> frozenset[str]:
    """The (folded, lower-case) words of a question that describe the asker's cluster."""
    found: set[str] = set()
    for pattern in _DESCRIBED:
        for match in pattern.finditer(question):
            for group in match.groups():
                if group:
                    found.update(fold(word.lower()) for word in re.findall(r"[^\W\d_]+", group))
    return frozenset(found)
