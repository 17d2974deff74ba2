"""Retrieval: a question's topic chooses the card, its ask-type and words choose the facts.

Every word of a question weighs what it tells about the topic (``weighing``): its rarity
among our cards times its rarity in the language.

- A card scores by the weight of the question words found in its title (name and aliases,
  counted three times) and in its body (summary, sections and facts), and by its aliases
  found whole in the question ("złota odznaka", "KKK"); the sentences around one that asks
  and names a card count less ("Mamy brąz ESCA. Ile kosztuje srebro?" is Silver's).
- Among the best three cards, a fact scores by the question words it has (each counting by
  how few of the card's facts have it), by how well its kind fits the ask-type ("ile
  kosztuje" → cost) and by whether its text has the answer's shape (an amount, a date).
- Each fact's example questions (``content/questions/``) add their closest resemblance, by
  words (``examples``) and by letters (``spelling``), to the fact's fit and its card's score.
  They do not count towards confidence: "jak zrobić przelew" shares words with an example.
- Confidence (``confidence``) is the share of the question's weight that the card's title and
  the facts shown explain, judged by the few most telling unexplained words; below a threshold
  the assistant says it does not know. So does it when the question resembles the questions
  outside our topics (``content/outside.yaml``) more than the card's examples, or when the
  sentences that ask, read alone, are not the card's (``refusal``): "Mamy Złotą Odznakę ESCA.
  Jak usunąć plamę z wina?" Where to ask is answered when a card's texts explain the rest,
  unless it is named only aside and what is asked sounds like another topic ("Dzwoniłam na
  infolinię :) a jaki film polecisz?").

Typos are mapped to the nearest known term with RapidFuzz. The constants below were chosen
on the dev part of the evaluation (``tests/knowledge/qa.py``), never on the frozen test part.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from bot.core.folding import fold
from bot.knowledge.asking import Ask, AskDetector, AskType, asking_text, topical_places
from bot.knowledge.cards import CardIndex, card_score, may_name
from bot.knowledge.confidence import QuestionWords, explained_share, explains_more
from bot.knowledge.documents import card_texts, fact_texts
from bot.knowledge.endings import VerbEndings
from bot.knowledge.examples import ExampleIndex, Resemblance
from bot.knowledge.facts import NAME_WEIGHT, CardFacts, ScoredFact
from bot.knowledge.facts import shown as shown_facts
from bot.knowledge.kinds import KindModel
from bot.knowledge.model import Card, Fact, KnowledgeContent
from bot.knowledge.names import Names
from bot.knowledge.refusal import (
    asked_alone,
    not_ours,
    not_the_cards,
    sounds_outside,
    unnamed_outside,
)
from bot.knowledge.signature import Signature, courtesy_pattern
from bot.knowledge.spelling import SpellingIndex
from bot.knowledge.text import Analyzer, Token, asking_sentences, marks, refers_back
from bot.knowledge.tuning import (
    ASIDE_SHARE,
    ASKING_OUTSIDE_MARGIN,
    CARD_ASIDE,
    CARD_EXAMPLE,
    CARD_POOL,
    CONFIDENCE_THRESHOLD,
    CONTACT,
    FACT_WEIGHT,
    NAMING,
    NAMING_INFO,
    OUTSIDE,
    SPELLING_SHARE,
)
from bot.knowledge.typos import Typos
from bot.knowledge.weighing import Weigher
from bot.knowledge.wordinfo import WordInfo


@dataclass(frozen=True, slots=True)
class Hit:
    """The answer found for a question: a card, its best facts, and the confidence."""

    card: Card
    facts: tuple[ScoredFact, ...]
    confidence: float
    score: float
    ask: AskType | None

    @property
    def lead(self) -> Fact | None:
        """The fact the answer opens with."""
        return self.facts[0].fact if self.facts else None


class KnowledgeBase:
    """Cards and their facts, indexed for questions in Polish or English."""

    def __init__(
        self,
        content: KnowledgeContent,
        analyzer: Analyzer,
        words: WordInfo,
        verbs: VerbEndings,
    ) -> None:
        self.content = content
        self.analyzer = analyzer
        self.words = words
        self.verbs = verbs
        self.cards = {card.id: card for card in content.cards}
        self.facts = {fact.id: fact for card in content.cards for fact in card.facts}
        self.asks = AskDetector.from_vocabulary(content.vocabulary)
        #: Words a sentence that asks may open with ("Ile …", "Poleć …").
        self._openers = frozenset(
            fold(word.lower())
            for word in (*content.vocabulary.question_words, *content.vocabulary.request_words)
        )
        self._names = Names(
            (analyzer.tokens(short)[0].main, tuple(t.main for t in analyzer.tokens(long)))
            for short, long in content.vocabulary.abbreviations.items()
            if analyzer.tokens(short)
        )
        #: The names of what one fact alone is about ("klaster wzrostowy"), by fact id.
        self._fact_names = Names(
            self._names.expansions,
            (
                (f.id, [t.main for t in analyzer.tokens(n)])
                for f in self.facts.values()
                for n in f.names
            ),
        )
        self._courtesy = courtesy_pattern(content.vocabulary.courtesy)
        self._signature = Signature(
            content.vocabulary.closings, self._courtesy, content.vocabulary.footers
        )
        #: Our texts' terms, each text analysed once (a fact is in its card's body too).
        self._text_terms: dict[str, list[str]] = {}
        #: Our texts' tokens while indexing: an example question is read for its fact and
        #: for the example index, a card's text for its card and for typo mending.
        self._text_tokens: dict[str, list[Token]] = {}
        self._index: dict[str, CardIndex] = {}
        self._facts: dict[str, CardFacts] = {}
        #: Each fact's own words (without its example questions): what showing it explains.
        self._fact_terms: dict[str, frozenset[str]] = {}
        card_df: Counter[str] = Counter()
        for card in content.cards:
            title, body = card_texts(card)
            title_terms = frozenset(self._terms(title))
            body_terms = frozenset(self._terms(body)) | title_terms
            for alias in (card.name.pl, card.name.en, *card.aliases):
                if len(lemmas := [t.main for t in analyzer.tokens(alias)]) >= 2:
                    self._names.add(card.id, lemmas)
            names = frozenset(
                tokens[0].main
                for alias in (card.name.pl, card.name.en, *card.aliases)
                if len(tokens := analyzer.tokens(alias)) == 1
            )
            self._index[card.id] = CardIndex(title_terms, body_terms, names)
            card_df.update(body_terms)
            # The card's own name and one-word aliases, not a part of it as an alias like
            # "klaster zalążkowy" names, say little about which of its facts is asked.
            own = frozenset(self._terms([card.name.pl, card.name.en])) | names
            self._facts[card.id] = CardFacts.index(
                card.facts,
                lambda fact: frozenset(self._terms(fact_texts(fact, questions=True))),
                own,
                lambda fact: marks([*self._tokens_of(fact.pl), *self._tokens_of(fact.en)]),
            )
            self._fact_terms.update(
                {fact.id: frozenset(self._terms(fact_texts(fact))) for fact in card.facts}
            )

        facts = [(card.id, fact) for card in content.cards for fact in card.facts]
        examples = [(card_id, fact.id, q) for card_id, fact in facts for q in fact.questions]
        examples += [(OUTSIDE, OUTSIDE, q) for q in content.outside]
        self._examples = ExampleIndex.build(examples, self._tokens_of)
        self._kinds = KindModel.learn(content.cards)
        # The facts' own words, both languages, are examples of themselves.
        own_words = [(card_id, fact.id, t) for card_id, fact in facts for t in (fact.pl, fact.en)]
        self._spelling = SpellingIndex(
            examples + own_words, lambda text: marks(self._tokens_of(text))
        )
        self._title_terms = frozenset().union(*(i.title for i in self._index.values()))
        in_titles = Counter(term for index in self._index.values() for term in index.title)
        self._naming = frozenset(t for t, n in in_titles.items() if n <= NAMING and may_name(t))
        self._one_word_names = frozenset().union(*(i.names for i in self._index.values()))
        self._weigher = Weigher(
            card_df, len(self._index), self._title_terms, words, verbs, self._one_word_names
        )
        written = (text for card in content.cards for part in card_texts(card) for text in part)
        forms = (token for text in written for token in self._tokens_of(text))
        self._typos = Typos(
            forms,
            card_df,
            words.zipf,
            names=self._title_terms,
            in_dictionary=analyzer.knows,
            english=self._weigher.english,
            codes=(name for name in self._one_word_names if not analyzer.knows(name)),
        )
        # Only indexing needs them; questions are analysed as they come.
        self._text_tokens.clear()
        self._text_terms.clear()

    def mentions(self, text: str) -> bool:
        """Whether ``text`` names one of our instruments ("KKK", "ESCA", "2.3.3", "Smart UP")."""
        tokens = self.analyzer.tokens(text)
        named = self._one_word_names
        return any(
            t.main in named or (t.is_number and t.main in self._title_terms) for t in tokens
        ) or bool(self._names.found(tokens))

    def _names_a_card(self, token: Token) -> bool:
        """A one-word name ("KKK", "srebro"), or a telling word of at most two cards' names."""
        telling = token.matches(self._naming) and self.info(token) >= NAMING_INFO
        return telling or token.main in self._one_word_names

    def _resemble(self, tokens: Sequence[Token]) -> Resemblance:
        """How closely words resemble each fact's and card's example questions."""
        return self._examples.resemblance(tokens, self._weigher.example_weight)

    def forget(self) -> None:
        """Drop remembered word weights (benchmarks measure each run from cold)."""
        self._weigher.forget()

    def info(self, token: Token) -> float:
        """How much a word says in the language (``Weigher.info``)."""
        return self._weigher.info(token)

    def _tokens_of(self, text: str) -> list[Token]:
        known = self._text_tokens.get(text)
        if known is None:
            known = self._text_tokens[text] = self.analyzer.tokens(text)
        return known

    def _terms(self, texts: Iterable[str]) -> list[str]:
        """The terms of our own texts; an abbreviation and its expansion stand for both.

        A fact that says "KKK" also says "Krajowy Klaster Kluczowy", and back.
        """
        terms = []
        for text in texts:
            known = self._text_terms.get(text)
            if known is None:
                tokens = self._tokens_of(text)
                known = [term for token in tokens for term in token.terms]
                known += self._names.expanded([t.main for t in tokens])
                self._text_terms[text] = known
            terms += known
        return terms

    def _correct(self, tokens: list[Token]) -> list[Token]:
        """Replace unknown word lemmas by the closest known term (typos)."""
        return self._typos.correct(tokens)

    def plain(self, question: str) -> str:
        """The question without greetings, framing and a signature.

        "Dzień dobry, mam pytanie: …" and "… Pozdrawiam, Anna Kowalska" ask what "…" asks.
        """
        return self._courtesy.sub(" ", self._signature.cut(question))

    def topical(self, question: str) -> tuple[list[Token], Ask | None]:
        """The question's words that say what it is about, and its ask-type."""
        _, ask, every = self._read(question)
        return [every[i] for i in topical_places(every, ask, self._title_terms)], ask

    def _read(self, question: str) -> tuple[str, Ask | None, list[Token]]:
        """The question without courtesy, its ask-type, and all its words (typos mended)."""
        plain = self.plain(question)
        ask = self.asks.detect(plain, asking_text(plain, self._openers))
        return plain, ask, self._correct(self.analyzer.tokens(plain))

    def search(self, question: str, limit: int = 5) -> list[Hit]:
        """Rank cards (each with its best facts) for a question; empty when nothing matches.

        A hit's confidence is the share of the question's weight that its card's title and
        its chosen facts explain: what the answer shows must cover what was asked.
        """
        plain, ask, every = self._read(question)
        keep = topical_places(every, ask, self._title_terms)
        tokens = [every[i] for i in keep]
        asks_where = ask is not None and ask.type.name == "contact" and CONTACT in self.cards
        if not tokens:  # "Kogo o to zapytać?" is answered by where to ask
            facts = self._facts[CONTACT].rank(every, ask, self.info) if asks_where else ()
            return [Hit(self.cards[CONTACT], facts, 1.0, 1.0, ask.type)] if ask and facts else []
        # Whether each word stands in a sentence that asks, or in one around it that tells.
        asking = asking_sentences(plain, self._openers)
        places = self.analyzer.sentence_of(plain, every, self._openers)
        asks = [sentence in asking for sentence in places]
        found = self._names.found(tokens)
        weights, anchors = self._weigher.weights(tokens, {i for _, at in found for i in at})
        total = sum(weights)
        if total <= 0:
            return []
        back = refers_back(plain, asking, self._openers)
        words = QuestionWords(
            tokens,
            weights,
            self._weigher.against(tokens, weights, plain),
            [asks[i] for i in keep],
            back,
            self.verbs.share,
            anchors,
        )
        by_words = self._resemble(every)
        asked, asking_words = asked_alone(every, asks, range(len(every)), self._resemble)
        topic, topic_words = asked_alone(every, asks, keep, self._resemble)  # without the cue
        if back:
            asking_words = topic_words = 0  # "Kto go przygotował?" need not resemble examples
        if asks_where and asked is not None and ask is not None:
            # The helpline named only in what the asker tells, and the sentence that asks
            # sounding more like the questions outside our topics than like any card's:
            # "Dzwoniłam na infolinię PARP :) a jaki film polecisz?" does not ask where to ask
            # ("Kto pomoże 🙏 mamy problem z FENG 2.17?" does).
            cue = [a for t, a in zip(every, asks, strict=True) if fold(t.surface) in ask.cue_words]
            ours = [card for card in asked.cards if card != OUTSIDE]
            nearest = max(ours, key=asked.cards.__getitem__, default=CONTACT)
            foreign = sounds_outside(asked, nearest, ASKING_OUTSIDE_MARGIN)
            asks_where = not (cue and not any(cue) and foreign)
        # The letter likeness (``SPELLING_SHARE`` of it) adds to the word likeness.
        resemblance = by_words.plus(self._spelling.resemblance(plain, marks(every)), SPELLING_SHARE)
        told, now = [1.0 if a else ASIDE_SHARE for a in asks], self.asks.asks_now(plain)
        recent = self.asks.asks_recent(asking_text(plain, self._openers) or plain)
        ranked: list[tuple[float, Card]] = []
        # A sentence that asks and names a card chooses it; else the whole question does.
        cut = CARD_ASIDE if any(self._names_a_card(every[i]) for i in keep if asks[i]) else 1.0
        aside = [w if asks[i] else cut * w for i, w in zip(keep, weights, strict=True)]
        for card in self.content.cards:
            score, covered = card_score(self._index[card.id], card.id, tokens, aside, found)
            if covered > 0:
                ranked.append(
                    (score / total + CARD_EXAMPLE * resemblance.cards.get(card.id, 0.0), card)
                )
        ranked.sort(key=lambda item: item[0], reverse=True)
        if asks_where:
            # "Where can I ask …?" is answered by where to ask, whatever card it is about.
            ranked = [(1.0, self.cards[CONTACT])] + [r for r in ranked if r[1].id != CONTACT]
        named = self._fact_names.sole(tokens)
        kinds = self._kinds.probabilities(asking_text(plain, self._openers) or plain)
        hits = []
        for rank, (score, card) in enumerate(ranked[:limit]):
            indexed = self._facts[card.id]
            facts = (
                indexed.rank(
                    every,
                    ask,
                    self.info,
                    resemblance.facts,
                    told,
                    now=now,
                    recent=recent,
                    names=named,
                    kinds=kinds,
                )
                if rank < CARD_POOL
                else ()
            )
            best_fit = facts[0].fit - NAME_WEIGHT * (facts[0].fact.id in named) if facts else 0.0
            shown = self._index[card.id].title.union(
                *(self._fact_terms[f.id] for f in shown_facts(facts))
            )
            share = explained_share(words, shown, self._index[card.id].title)
            if not_ours(card.id, by_words, (asked, asking_words), (topic, topic_words)):
                share = 0.0
            fit = score + FACT_WEIGHT * best_fit  # a fact's name chooses among its card's only
            hits.append(Hit(card, facts, round(share, 3), fit, ask.type if ask else None))
        if asks_where:  # where to ask is known when the rest of the question is about us
            about = max(self._about(words, c.id, by_words, asked) for _, c in ranked[:limit])
            about = round(about, 3)
            hits = [replace(h, confidence=about) if h.card.id == CONTACT else h for h in hits]
        hits.sort(key=lambda h: (asks_where and h.card.id == CONTACT, h.score), reverse=True)
        if len(hits) > 1 and not asks_where and explains_more(hits[0], hits[1], ask):
            hits[:2] = hits[1::-1]
        asked_words = [token for token, a in zip(every, asks, strict=True) if a]
        if hits and self._name_only(asked_words, hits[0]):
            hits[0] = replace(hits[0], confidence=0.0)  # "Tell me a joke about ESCA"
        return hits

    def _name_only(self, asked: Sequence[Token], hit: Hit) -> bool:
        """Whether the answer would go to a question that names its card and asks other things.

        ``asked``: the words of the sentences that ask ("Szukam ciekawostek do newslettera:
        czym jest EUCLES?" asks only the second). Only the answer given is tested
        (``unnamed_outside``): one more likeness per question.
        """
        card = hit.card.id
        title = self._index[card].title
        answered = card != CONTACT and hit.confidence >= CONFIDENCE_THRESHOLD
        return answered and unnamed_outside(asked, title, card, self._resemble)

    def _about(
        self,
        words: QuestionWords,
        card_id: str,
        by_words: Resemblance,
        asked: Resemblance | None,
    ) -> float:
        """How much of the question a card's texts explain, unless it sounds like another topic."""
        if not_the_cards(by_words, asked, card_id):
            return 0.0
        index = self._index[card_id]
        return explained_share(words, index.body, index.title)
