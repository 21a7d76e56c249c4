"""Answering a question: its analysis, retrieval, composition, short answers, lists, verification, generation, and the `Answer` record."""
