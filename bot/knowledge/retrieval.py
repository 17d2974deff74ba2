"""Retrieval over instrument cards and FAQ entries.

Ranking uses SQLite's FTS5 with BM25 (stdlib ``sqlite3``, an in-memory index built at
start-up) over analysed terms; typos are mapped to the nearest known term with RapidFuzz.
Confidence is how much of the question the best document explains: the share of the
question's information (IDF-weighted tokens) found in that document.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.folding import fold
from bot.knowledge.model import Card, FaqEntry, KnowledgeContent
from bot.knowledge.text import Analyzer, Token

TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0
TYPO_CUTOFF = 84
#: Ranking multiplies BM25 by (floor + confidence): the share of the question a document
#: explains matters, but a strong title match is not thrown away.
RANK_FLOOR = 0.5
NUMBER_WEIGHT = 2.0


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked document: a card, or a FAQ entry of a card."""

    card: Card
    faq: FaqEntry | None
    confidence: float
    score: float
    card_confidence: float

    @property
    def faq_is_sharper(self) -> bool:
        """Whether the FAQ entry explains more of the question than its card does."""
        return self.faq is not None and self.confidence > self.card_confidence


def card_texts(card: Card) -> tuple[list[str], list[str]]:
    """Return the searchable texts of a card: its title texts and its body texts."""
    title = [card.name.pl, card.name.en, *card.aliases]
    body = [card.summary.pl, card.summary.en, card.who.pl, card.who.en, card.apply.pl]
    body += [card.apply.en, card.programme.pl, card.programme.en]
    if card.funded is not None:
        for part in (card.funded.coordinator, card.funded.members):
            if part is not None:
                body += [part.pl, part.en]
    if card.money is not None:
        for field in (
            card.money.max_grant,
            card.money.eligible_costs,
            card.money.own_contribution,
            card.money.aid_intensity,
            card.money.other,
        ):
            if field is not None:
                body += [field.pl, field.en]
    for call in card.calls:
        body += [call.label.pl, call.label.en]
        body += [str(d.year) for d in (call.start, call.end) if d is not None]
        for text in (call.budget, call.results):
            if text is not None:
                body += [text.pl, text.en]
    return title, body


class KnowledgeBase:
    """Cards and FAQ entries, indexed for questions in Polish or English."""

    def __init__(self, content: KnowledgeContent, analyzer: Analyzer) -> None:
        self.content = content
        self.analyzer = analyzer
        self.cards = {card.id: card for card in content.cards}
        self.faq = {entry.id: entry for entry in content.faq.entries}
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body)")
        self._doc_terms: dict[str, frozenset[str]] = {}
        df: Counter[str] = Counter()
        for key, title, body in self._documents():
            title_terms = self._terms(title)
            body_terms = self._terms(body)
            self._db.execute(
                "INSERT INTO docs (key, title, body) VALUES (?, ?, ?)",
                (key, " ".join(title_terms), " ".join(body_terms)),
            )
            terms = frozenset(title_terms) | frozenset(body_terms)
            self._doc_terms[key] = terms
            df.update(terms)
        self._df = df
        self._n = len(self._doc_terms)
        facets = content.vocabulary.facets
        facet_words = [*facets.money, *facets.dates, *facets.who, *facets.funded]
        # Words that say *what* is asked ("ile", "kiedy") do not say *which* instrument.
        self._facet_terms = frozenset(t.main for w in facet_words for t in analyzer.tokens(w))
        # Only word lemmas are candidates for typo correction, not numbers or prefixes.
        self._vocabulary = sorted(t for t in df if t.isalpha())

    def _documents(self) -> Iterable[tuple[str, list[str], list[str]]]:
        for card in self.content.cards:
            title, body = card_texts(card)
            yield f"card:{card.id}", title, body
        for entry in self.content.faq.entries:
            title = [entry.question.pl, entry.question.en, *entry.keywords]
            yield f"faq:{entry.id}", title, [entry.answer.pl, entry.answer.en]

    def _terms(self, texts: Iterable[str]) -> list[str]:
        return [
            term for text in texts for token in self.analyzer.tokens(text) for term in token.terms
        ]

    def idf(self, term: str) -> float:
        """Inverse document frequency; a term no document has counts as rare."""
        return math.log((self._n + 1) / (self._df.get(term, 0) + 0.5))

    def _correct(self, tokens: list[Token]) -> list[Token]:
        """Replace unknown word lemmas by the closest known term (typos)."""
        fixed = []
        for token in tokens:
            if token.main in self._df or (token.main.startswith("n") and token.main[1:].isdigit()):
                fixed.append(token)
                continue
            if len(token.main) >= 5:
                best = process.extractOne(
                    token.main, self._vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
                )
                if best is not None:
                    fixed.append(Token(token.surface, (best[0], *token.terms)))
                    continue
            fixed.append(token)
        return fixed

    def search(self, question: str, limit: int = 5) -> list[Hit]:
        """Rank documents for a question; an empty list when nothing matches at all."""
        tokens = self._correct(self.analyzer.tokens(question))
        topical = [t for t in tokens if t.main not in self._facet_terms]
        tokens = topical or tokens
        if not tokens:
            return []
        terms = sorted({t for token in tokens for t in token.terms})
        query = " OR ".join(f'"{t}"' for t in terms)
        rows = self._db.execute(
            "SELECT key, bm25(docs, 0.0, ?, ?) AS rank FROM docs WHERE docs MATCH ? "
            "ORDER BY rank LIMIT ?",
            (TITLE_WEIGHT, BODY_WEIGHT, query, limit * 3),
        ).fetchall()
        total = sum(self._token_weight(t) for t in tokens)
        hits: list[Hit] = []
        seen_cards: set[str] = set()
        for key, rank in rows:
            kind, _, ident = str(key).partition(":")
            confidence = self._coverage(tokens, str(key), total)
            faq = self.faq[ident] if kind == "faq" else None
            card = self.cards[faq.card if faq else ident]
            if faq is None and card.id in seen_cards:
                continue
            seen_cards.add(card.id)
            card_confidence = self._coverage(tokens, f"card:{card.id}", total)
            hits.append(
                Hit(card, faq, round(confidence, 3), -float(rank), round(card_confidence, 3))
            )
        hits.sort(key=lambda h: h.score * (RANK_FLOOR + h.confidence), reverse=True)
        return hits[:limit]

    def _coverage(self, tokens: list[Token], key: str, total: float) -> float:
        matched = sum(self._token_weight(t) for t in tokens if self._matches(t, key))
        return matched / total if total else 0.0

    def _token_weight(self, token: Token) -> float:
        weight = max(self.idf(term) for term in token.terms)
        # An instrument number ("2.3.3") names the instrument: it counts double.
        return (
            weight * NUMBER_WEIGHT
            if token.main.startswith("n") and token.main[1:].isdigit()
            else weight
        )

    def _matches(self, token: Token, key: str) -> bool:
        return any(term in self._doc_terms[key] for term in token.terms)


def reduce_lexicon(full: Mapping[str, str], corpus_words: Iterable[str]) -> dict[str, str]:
    """Keep only the word forms whose lemma is a lemma (or form) of the corpus.

    The full Polish dictionary takes seconds to load; the reduced one, stored as content,
    loads in milliseconds and answers every lookup that could match a card.
    """
    words = {w.lower() for w in corpus_words}
    lemmas = {full.get(w, w) for w in words}
    lemmas |= words
    wanted = {fold(lemma) for lemma in lemmas}
    return {form: lemma for form, lemma in full.items() if fold(lemma) in wanted}
