"""Polish-aware analysis: diacritics, inflection, numbers, typos, English."""

from __future__ import annotations

import pytest

from bot.core.folding import fold
from bot.knowledge.service import CONFIDENCE_THRESHOLD
from bot.knowledge.text import Analyzer, asking_sentences, marks, sentences
from bot.loader import Content


def test_fold_strips_diacritics() -> None:
    assert fold("Łódź Umiędzynarodowienie") == "lodz umiedzynarodowienie"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("klastrów kluczowych", "klaster kluczowy"),
        ("klastrow kluczowych", "klaster kluczowy"),
        ("umiedzynarodowienie", "umiędzynarodowienie"),
        ("clusters", "cluster"),
        # Synonyms (``synonyms`` in knowledge.yaml) share their group's term.
        ("kryteria", "warunki"),
        ("wymogi", "wymagania"),
        ("criteria", "warunków"),
    ],
)
def test_forms_share_terms(content: Content, a: str, b: str) -> None:
    analyzer = content.knowledge_base.analyzer
    left = {t for token in analyzer.tokens(a) for t in token.terms}
    right = {t for token in analyzer.tokens(b) for t in token.terms}
    assert left & right


def test_synonyms_as_written_and_as_the_lexicon_reads_them() -> None:
    # simplemma reads "wymaganie" as "wymagać" but "wymagania" as "wymaganie".
    lexicon = {"wymaganie": "wymagać", "wymagania": "wymaganie", "wymaga": "wymagać"}
    analyzer = Analyzer(lexicon, (), [["wymóg", "wymaganie"]])
    for form in ("wymaganie", "wymagania", "wymóg"):
        (token,) = analyzer.tokens(form)
        assert "s:wymog" in token.terms, form
    # The verb the lexicon reads "wymaganie" as is no synonym of "wymóg", nor is any word.
    for other in ("wymaga", "termin"):
        (token,) = analyzer.tokens(other)
        assert not any(term.startswith("s:") for term in token.terms), other


def test_a_synonym_is_weaker_evidence_than_the_word(content: Content) -> None:
    """Found by its synonym, a word counts towards confidence as one found by its first
    letters: "What is the threshold for VAT registration?" is not about ECCP listing."""
    analyzer = content.knowledge_base.analyzer
    (question,), (text,) = analyzer.tokens("warunki"), analyzer.tokens("kryteria")
    terms = frozenset(text.terms)
    assert question.matches(terms) and not question.matches_lemma(terms)


def test_a_word_with_a_synonym_in_our_texts_is_no_typo(content: Content) -> None:
    kb = content.knowledge_base
    (token,) = kb._correct(kb.analyzer.tokens("pułap"))  # "limit" is in our texts
    assert token.main == "pulap" and "s:limit" in token.terms


@pytest.mark.parametrize("written", ["2.3.3", "233", "poddziałanie 2 3 3", "2 3 3"])
def test_instrument_numbers(content: Content, written: str) -> None:
    tokens = content.knowledge_base.analyzer.tokens(written)
    assert "n233" in {t.main for t in tokens}


@pytest.mark.parametrize(
    ("written", "ordinal"),
    [
        ("w rundzie VI", "o6"),
        ("szóstej rundy", "o6"),
        ("szostej rundy", "o6"),
        ("the sixth round", "o6"),
        ("Runda I konkursu", "o1"),
        ("w pierwszej rundzie", "o1"),
        ("w trzeciej rundzie", "o3"),
        ("drugiej edycji", "o2"),
        ("pierwszy nabór", "o1"),
        ("first call", "o1"),
        ("round IV", "o4"),
        ("XII edycja", "o12"),
        # An acronym may stand between.
        ("the third KKK round", "o3"),
        ("VI RUNDA", "o6"),
        # An English number after the word for rounds.
        ("in round one", "o1"),
        ("KKK round three results", "o3"),
    ],
)
def test_rounds_by_numeral_or_ordinal_word(content: Content, written: str, ordinal: str) -> None:
    tokens = content.knowledge_base.analyzer.tokens(written)
    assert marks(tokens).ordinals == {ordinal}


@pytest.mark.parametrize(
    "written",
    [
        "I think",
        "Klaster I firmy",
        "MIX rundy",
        "IVI rundy",
        # A numeral or an ordinal word names a round only beside a word for one.
        "oś II programu",
        "firma X",
        "XXI wieku",
        "po pierwsze",
        "z drugiej strony",
        "Ile było rund? I kiedy?",
        "pierwszeństwo rundy",
        "drug round",
        # … an acronym after the number, not any word: "pierwszy raz nabór" is the first time;
        # "call" before the number is a verb, "I" before an acronym is "and", a shout is no
        # acronym.
        "pierwszy raz nabór",
        "Let's call PARP first: when was the last KKK round?",
        "Czy jest nabór? I KKK nabór też?",
        "PIERWSZY RAZ NABÓR KKK",
        # … and a number before it counts rounds; after "call" it may follow a verb.
        "two rounds",
        "We should call one of them.",
    ],
)
def test_no_round_without_a_numeral(content: Content, written: str) -> None:
    tokens = content.knowledge_base.analyzer.tokens(written)
    assert not marks(tokens).ordinals


def test_typos_find_the_card(content: Content) -> None:
    hits = content.knowledge_base.search("umiedzynarodowienie krajowych klastruw kluczowch")
    assert hits[0].card.id == "poir-233"


@pytest.mark.parametrize(
    ("written", "name"), [("fneg", "feng"), ("ecpc", "eccp"), ("eukles", "eucles")]
)
def test_a_short_name_one_letter_or_swap_away_is_mended(
    content: Content, written: str, name: str
) -> None:
    kb = content.knowledge_base
    assert kb.topical(f"{written} co to jest")[0][0].main == name


def test_a_word_near_a_short_name_is_left_alone(content: Content) -> None:
    # "pipe" is a common word, though one letter from PIFE; "eska" a dictionary one (ESCA);
    # a capitalised word is a name of its own ("ENEA", "Fang"); "felg" is no swap of FENG.
    kb = content.knowledge_base
    words = "pipe eska ENEA Fang felg Eccles"
    assert [t.main for t in kb.topical(words)[0]] == [
        "pipe",
        "eska",
        "enea",
        "fang",
        "felg",
        "eccles",
    ]
    for question in ("Co to jest ENEA?", "Ile kosztuje komplet felg?", "Kim był Zeng?"):
        hits = kb.search(question)
        assert not hits or hits[0].confidence < CONFIDENCE_THRESHOLD, question


@pytest.mark.parametrize(
    ("written", "lemma"),
    [("nabur", "nabor"), ("klastruw", "klaster"), ("pżedsiębiorstw", "przedsiebiorstwo")],
)
def test_a_word_spelt_as_it_sounds_is_mended(content: Content, written: str, lemma: str) -> None:
    # "ó" written "u", "rz" written "ż": the commonest Polish spelling slips.
    kb = content.knowledge_base
    assert kb._correct(kb.analyzer.tokens(written))[0].main == lemma


def test_a_declined_name_is_the_name(content: Content) -> None:
    # "w Scale Upie", "w Smart Upie": a foreign name takes a Polish case ending, after the
    # name's first word ("Aśka" alone is no "ask").
    kb = content.knowledge_base
    assert [t.main for t in kb.topical("startup w Smart Upie")[0]][-1] == "up"
    assert next(t.main for t in kb.topical("Aśka pyta")[0]) != "ask"
    assert kb.search("ile dostaje startup w Smart Upie")[0].card.id == "feng-smart-up"


@pytest.mark.parametrize("written", ["PARP-owskie", "PARP-u", "PARP"])
def test_an_acronym_with_its_ending_is_the_acronym(content: Content, written: str) -> None:
    tokens = content.knowledge_base.analyzer.tokens(f"standardy {written}")
    assert [t.main for t in tokens] == ["standard", "parp"]


@pytest.mark.parametrize("written", ["start-upu", "start-upów", "start-upowi", "start-up"])
def test_a_short_ending_after_a_hyphen_is_no_word_of_its_own(
    content: Content, written: str
) -> None:
    # "upu" is no word: alone it would weigh as the rarest word of all and sink the answer.
    tokens = content.knowledge_base.analyzer.tokens(f"udział {written}")
    assert [t.main for t in tokens][:2] == ["udzial", "start"]
    assert len(tokens) == (3 if written == "start-up" else 2)  # "up" is a word


@pytest.mark.parametrize("written", ["follow-up", "spin-off"])
def test_a_word_after_a_hyphen_stays(content: Content, written: str) -> None:
    assert len(content.knowledge_base.analyzer.tokens(written)) == 2


def test_stop_words_and_emoji_give_no_tokens(content: Content) -> None:
    assert content.knowledge_base.analyzer.tokens("czy to jest?") == []
    assert content.knowledge_base.analyzer.tokens("🙂🙂🙂") == []


def test_reduce_lexicon_keeps_forms_of_corpus_lemmas() -> None:
    from bot.knowledge.documents import reduce_lexicon

    full = {
        "klastrów": "klaster",
        "klastra": "klaster",
        "klaster": "klaster",
        "psa": "pies",
        "psy": "pies",
    }
    assert reduce_lexicon(full, ["klastra"]) == {
        "klastrów": "klaster",
        "klastra": "klaster",
        "klaster": "klaster",
    }


@pytest.mark.parametrize(
    ("question", "ask"),
    [
        ("W którym miesiącu i roku PARP opublikowała standardy?", "date"),
        ("In which month were the standards published?", "date"),
        ("How much time should our manager set aside for the interview?", "duration"),
        ("Ile dni trwa rozmowa z ekspertem?", "duration"),
        ("Ile stowarzyszeń podpisało deklarację?", "count"),
        ("Ile punktów trzeba zdobyć w konkursie?", "count"),
        ("Ile firm podpisało deklarację?", "count"),
        # A cue may skip one word: "ile … ekspert" must not read "how much does the expert
        # get" as "how many experts".
        ("Ile dostaje ekspert za ocenę na srebro ESCA?", "amount"),
        ("Ile dostaje startup w programie?", "amount"),
        ("Ile kosztuje benchmarking?", "cost"),
        ("Ile wynosi dofinansowanie?", "amount"),
        # "Obecnie" asks whether something is open only next to a call.
        ("Czy prowadzony jest obecnie nabór wniosków w 2.3.3?", "status"),
        ("Czy obecnie trwa nabór na status KKK?", "status"),
        ("Is there currently an open call?", "status"),
        # Comparing prices asks for them.
        ("Czy odnowienie srebrnej odznaki jest tańsze?", "cost"),
        ("Is the renewal cheaper?", "cost"),
        # A call or a round named is what the question is about, not when it ends.
        ("Jaka była pula naboru 2.3.3 w 2019?", "amount"),
        ("Ile wniosków wpłynęło w naborze Smart UP?", "result"),
        ("Jak liczne było grono sygnatariuszy deklaracji?", "count"),
        # Stems spelt out to five letters: "ważn" alone matched no word.
        ("Czy status KKK jest jeszcze ważny?", "status"),
        ("Do kiedy zachowuje ważność brązowa odznaka?", "deadline"),
        ("Jaki jest okres ważności odznaki?", "duration"),
        ("Czy certyfikaty straciły już ważność?", "duration"),
        ("Jaki jest pierwszy krok, żeby dostać status KKK?", "procedure"),
        # "pierwszy" names a round, it does not ask for history.
        ("Jaki był budżet pierwszego naboru?", "amount"),
        ("What was the budget of the first call?", "amount"),
        # When the next call comes asks whether one is known, not a past date.
        ("Kiedy będzie następna runda konkursu na KKK?", "status"),
        ("When is the next call for FENG 2.17?", "status"),
        ("Can we still apply to 2.3.3?", "status"),
        # … but a date still to come is no call ("Kiedy będzie wypłata zaliczki?").
        ("Kiedy będzie wypłata zaliczki w FENG 2.17?", "date"),
        ("Na czym polega status KKK?", "definition"),
        ("kto zorganizowal ta konferencje w Bukareszcie", "definition"),
        # Fillers inside a cue are passed over.
        ("Ile w końcu projektów polecono do dofinansowania?", "count"),
        ("ile wlasciwie jest klastrow w polsce?", "count"),
        ("Ile kryteriów obejmuje rozmowa na brązową odznakę?", "count"),
        ("Ile pytań ma ankieta PARP?", "count"),
        # "What is" / "what are" ask nothing of their own when another cue follows them.
        ("What are the actual benefits of being a National Key Cluster?", "benefit"),
        ("What are the eligibility criteria for FENG 2.17?", "eligibility"),
        ("What is PARP's cluster benchmarking?", "definition"),
        ("Co to jest Euroclusters?", "definition"),
        ("What was the outcome of the 2023 Smart UP call?", "result"),
        ("What was the European Cluster Conference 2019 about?", "definition"),
        ("O czym była konferencja w Bukareszcie?", "definition"),
        # When it will start asks whether a call is coming; when it started, for a date.
        ("Kiedy ruszy nowy nabór FENG 2.17?", "status"),
        ("Kiedy ma ruszyć nabór w FENG 2.17?", "status"),
        ("Kiedy to właściwie ruszyło, ten pilotaż ScaleUp z PARP?", "date"),
        # What activities are supported asks what is funded; what has changed, for history.
        ("Na jakie działania można dostać dotację w mazowieckim konkursie?", "funded"),
        ("What kind of activities does the Mazovian competition support?", "funded"),
        ("Czy w ostatnich latach zmieniły się zasady Brązowej Odznaki?", "history"),
        ("How has the ECCP changed since it was launched?", "history"),
        # How a call went asks its result; how something came about, its history; a theme,
        # what it was.
        ("Wiadomo może, jak poszedł nabór na umiędzynarodowienie KKK?", "result"),
        ("What came out of the conference in Bucharest?", "result"),
        ("Jak doszło do powstania EUCLES?", "history"),
        ("Regional key clusters: where did this idea come from?", "history"),
        ("Jaki był temat przewodni konferencji w Bukareszcie?", "definition"),
        # … but "na temat" is "about", "come from" and "powstanie" (will be set up) ask no
        # history, "the costs" of what is covered are what is funded.
        ("Proszę o informacje na temat kosztów Brązowej Odznaki ESCA.", "cost"),
        ("Czy w tym roku powstanie nowa runda konkursu o status KKK?", "status"),
        # "Kiedyś" (once) asks nothing of when.
        ("Słyszałam, że PARP kiedyś sprawdzał klastry. Ile z nich przeszło?", "amount"),
        ("kiedy przyznano pierwsze zlote etykiety", "date"),
    ],
)
def test_the_ask_type_of_a_question(content: Content, question: str, ask: str) -> None:
    found = content.knowledge_base.asks.detect(question)
    assert found is not None and found.type.name == ask


def test_how_did_it_work_is_no_history(content: Content) -> None:
    found = content.knowledge_base.asks.detect("How did the assessment work in the first round?")
    assert found is None or found.type.name != "history"


def test_once_is_no_when(content: Content) -> None:
    found = content.knowledge_base.asks.detect("Pamiętam, że kiedyś był Scale Up. Czy to to samo?")
    assert found is None or found.type.name != "date"


def test_currently_alone_does_not_ask_whether_a_call_is_open(content: Content) -> None:
    found = content.knowledge_base.asks.detect("Która instytucja przeprowadza obecnie ocenę?")
    assert found is None or found.type.name != "status"


def test_a_question_asking_two_things_keeps_both(content: Content) -> None:
    found = content.knowledge_base.asks.detect("Kiedy był pierwszy benchmarking i ile klastrów?")
    assert found is not None
    assert {found.type.name, *(other.name for other in found.others)} == {"date", "count"}
    # "What were" right before "the results" frames them; "Czym to jest i jak …" asks twice.
    found = content.knowledge_base.asks.detect("What were the results of the call?")
    assert found is not None and (found.type.name, found.others) == ("result", ())
    found = content.knowledge_base.asks.detect("Czym to jest i jak korzystają z tego firmy?")
    assert found is not None
    assert {found.type.name, *(other.name for other in found.others)} == {"procedure", "definition"}
    # A question word inside a longer cue asks nothing more: "do kiedy" is not also "kiedy".
    found = content.knowledge_base.asks.detect("Ile wynosi dofinansowanie i do kiedy?")
    assert found is not None
    assert {found.type.name, *(other.name for other in found.others)} == {"deadline", "amount"}


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Mamy ok. 40 firm, np. dwie uczelnie. Czy 2.3.3?", 2),
        ("W 2019 r. ogłoszono nabór. Kiedy następny?", 2),
        ("Było to w 2019 r. Czy będzie kolejny?", 2),
        ("Jesteśmy klastrem (m.in. ESCA, tzw. brąz). Ile kosztuje srebro?", 2),
        ("Czy KKK... hmm... daje punkty? Pytam dla zarządu.", 2),
        ("Jesteśmy sp. z o.o., tzn. spółką. Ile kosztuje brąz?", 2),
        ("ile kosztuje brąz\nPozdrawiam, Anna", 2),
        # A colon ends what frames the question when a question word follows ("Członkowie
        # pytają przed walnym: jakie …"); a list after it does not.
        ("Członkowie pytają przed walnym: jakie korzyści daje status KKK?", 2),
        ("Jakie dokumenty trzeba złożyć: wniosek, biznesplan? Chodzi o FENG 2.17.", 2),
        ("Koszty, np.: wynagrodzenia i podróże.", 1),
        # … and so does a comma after who asks ("Księgowa pyta, ile …").
        ("Księgowa pyta, ile pozycji ma arkusz PARP?", 2),
        ("Our board wants to know, is the call still open?", 2),
        ("Is the call, you know, still open?", 1),
        ("Pytam, bo nie wiem: czy ESCA to PARP?", 2),
        # A dash before a question word ends a sentence that tells ("Mamy brąz – ile …"),
        # not one that asks already ("Ile kosztuje brąz – czy dużo?") nor a list.
        ("Mamy brąz – ile kosztuje srebro?", 2),
        ("We hold Bronze - is Silver open?", 2),
        ("Ile kosztuje brąz – czy dużo?", 1),
        ("Brąz – srebro – złoto", 1),
        # A smiley standing apart or an emoji before a space ends one; a time ("8:30"), a
        # smiley inside a word or a check mark as a bullet does not.
        ("Mamy brąz :) ile kosztuje srebro?", 2),
        ("Mamy brąz ;-) ile kosztuje srebro?", 2),
        ("Mamy brąz :( ile kosztuje srebro?", 2),
        ("Mamy brąz xD ile kosztuje srebro?", 2),
        ("Mamy KKK 🎉 ile kosztuje srebro?", 2),
        ("Mamy KKK ❤️ ile kosztuje srebro?", 2),
        ("Infolinia działa od 8:30 do 16:30 czy dłużej?", 1),
        ("Mamy (tak:) brąz i ABC:D ile kosztuje srebro?", 1),
        ("✓ statut ✓ regulamin ✓ wniosek", 1),
    ],
)
def test_an_abbreviation_ends_no_sentence(text: str, parts: int) -> None:
    openers = frozenset({"ile", "jakie", "czy", "is"})
    assert len(sentences(text, openers)) == parts


def test_each_word_stands_in_its_own_sentence(content: Content) -> None:
    # Numbers come first among the tokens: "2.3.3" in the last sentence must not pull the
    # words before it there (the sentences around the one that asks count less).
    analyzer = content.knowledge_base.analyzer
    text = "Mamy 40 firm w Radomsku. Kolega wspomniał o 2.3.3 – jaki był cel?"
    tokens = analyzer.tokens(text)
    where = dict(zip((t.surface for t in tokens), analyzer.sentence_of(text, tokens), strict=True))
    assert (where["40"], where["Radomsku"], where["2.3.3"], where["cel"]) == (0, 0, 1, 1)


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("Mamy brąz. Kiedy srebro? Dziękuję.", {1}),
        ("Ile kosztuje srebro? Czy to się opłaca?", {0, 1}),
        # Without a question mark: the sentences opening with a question word or a request.
        ("Ile kosztuje brąz. Co do terminu, nie spieszy nam się.", {0, 1}),
        ("Mamy klaster, który ma brąz. Napisz wierszyk na tort.", {1}),
        # … else the last, but neither a signature nor an emoji.
        ("Mamy brąz. Chcemy srebro.", {1}),
        ("Chcemy srebro. Anna Kowalska", {0}),
        ("Chcemy srebro. 🙏", {0}),
        # A short question of names is still a question.
        ("Mamy brąz. Czy ESCA Silver?", {1}),
    ],
)
def test_the_sentences_that_ask(text: str, asking: set[int]) -> None:
    openers = frozenset({"kiedy", "ile", "co", "ktory", "napisz"})
    assert asking_sentences(text, openers) == asking
