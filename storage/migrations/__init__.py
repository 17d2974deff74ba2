"""Numbered SQL migration files (``0001_initial.sql``, ...)."""
