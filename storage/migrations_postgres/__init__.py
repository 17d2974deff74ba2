"""Numbered PostgreSQL migration files (``0001_initial.sql``, ...)."""
