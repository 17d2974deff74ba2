"""Implementations of the core's store protocols: in memory, in SQLite and in PostgreSQL."""
