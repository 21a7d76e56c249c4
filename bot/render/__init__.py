"""Answers and outlines as text, Markdown and Word: the renderers every channel and the CLI share."""
