"""`corpus/directives.yaml`: facts that correct or complete the directive registry, read and checked.

`ingest.registry` applies them after the corpus's own mentions are merged; this module only
reads the file, so that a bad entry is refused with its place before anything is built.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ingest.errors import CorpusError
from ingest.language.patterns import is_safe_url

OVERRIDES_FILE = "directives.yaml"
OVERRIDABLE = {"type", "date", "issuer", "term", "subject", "url", "note", "aliases"}


def load_overrides(corpus_dir: Path) -> list[dict[str, Any]]:
    """`corpus/directives.yaml`: facts that correct or complete the registry."""
    path = corpus_dir / OVERRIDES_FILE
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise CorpusError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(e, dict) and "ref" in e for e in data):
        raise CorpusError(f"{path}: must be a list of entries, each with a `ref`")
    for entry in data:
        unknown = set(entry) - OVERRIDABLE - {"ref", "locality"}
        if unknown:
            raise CorpusError(f"{path}: entry {entry['ref']}: unknown field(s) {sorted(unknown)}")
        if entry.get("url") and not is_safe_url(str(entry["url"])):  # shown as a link, as a document's url
            raise CorpusError(f"{path}: entry {entry['ref']}: url must be an http(s) address")
        if "date" in entry and entry["date"] is not None:
            entry["date"] = str(entry["date"])
    return data
