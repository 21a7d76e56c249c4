"""Questions → answers: answering, outlines, operations, renderers, the channel-neutral core, channels and the CLI.

Builds on `ingest`'s public API; nothing in `ingest` imports from here.
"""
