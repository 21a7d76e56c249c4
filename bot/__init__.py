"""Answering: retrieval, answer composition, the CLI (and later Telegram).

Builds on `ingest`'s public API; nothing in `ingest` imports from here.
"""
