"""Answers about support instruments: cards, Polish-aware retrieval, answer composition."""
