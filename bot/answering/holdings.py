"""What the library holds, as listed for "Kho có những tài liệu nào?": the documents with their
own text by title, then how many documents it only cites, a few of them by their card."""

from __future__ import annotations

from bot import wording
from bot.answering.card import directive_card
from ingest import ChunkIndex, Registry
from ingest.index.derived import Derived
from ingest.language.normalize import fold

# Documents the library only cites, shown by their card under the count.
LIBRARY_EXAMPLES = 15


def document_titles(index: ChunkIndex, derived: Derived) -> list[str]:
    """Each document's title (a legal đề mục's, as the Pháp điển names it), from its first passage."""
    firsts = [derived.ids[r.start] for r in derived.docs.values() if r.end > r.start]
    found = index.passages(firsts)
    return sorted({found[c].facts.title for c in firsts if c in found}, key=fold)


def listing(registry: Registry, titles: list[str]) -> str:
    """What the library holds: the documents with their own text, then how many it only cites."""
    if not titles:
        return wording.LIBRARY_EMPTY
    cited = [d for d in registry.directives if not d.primary and not d.articles]
    lines = [wording.library_intro(len(titles), len(registry.directives))]
    lines += [f"• {t}" for t in titles]
    if cited:
        lines += ["", wording.library_directives(len(cited))]
        lines += [f"• {directive_card(d).summary}" for d in cited[:LIBRARY_EXAMPLES]]
    return "\n".join(lines + ["", wording.library_hint()])
