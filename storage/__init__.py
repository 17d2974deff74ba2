"""Implementations of the core's store protocols: in memory and in SQLite."""
