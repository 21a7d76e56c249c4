"""Lecture outlines for trainers: the request, the `Outline` record, outlines of a law or a topic, review questions."""
