"""What an answer quotes a passage by: its sentences, the clauses of a long one, and a list
whole with its lead-in. One job, shared by every way an answer picks its quotes."""

from __future__ import annotations

from bot.answering import lists
from ingest.language.sentences import Span, clause_spans, paragraph_spans, sentence_spans

# Sentences longer than this are quoted clause by clause (official prose
# chains a dozen tasks with semicolons; the answer is usually one of them).
LONG_SENTENCE = 300
MAX_LIST_QUOTE = 700
# A long sentence of this many ";"-clauses lists its items inline.
MIN_INLINE_ITEMS = 3
# An article is quoted whole up to this length; a list's lead-in keeps its items as far.
WHOLE_ARTICLE = 1500


def quotable_spans(text: str, start: int = 0, listing: bool = False) -> list[Span]:
    """Sentences, and clauses of long sentences; a list ("…đó là: a; b; c.") stays whole, and so,
    when a list is asked (`listing`), does a sentence whose clauses are its items without a colon
    ("… đã hướng dẫn … tư tưởng dân vận …; quy chế …; công tác tôn giáo; …").
    Nothing before `start` (a legal passage's heading line) is quoted."""
    spans = []
    units: list[Span] = []
    marker = None  # the kind of item a lead-in's list goes on with, when a list is asked
    for para in paragraph_spans(text):
        if para.start < start:
            continue
        said = text[para.start : para.end].lstrip()
        if units and text[units[-1].start : units[-1].end].rstrip().endswith(":"):
            units[-1] = Span(units[-1].start, para.end)  # a lead-in ("… giải pháp sau:") stays with what follows
            marker = lists.item_kind(said) if listing else None
        elif marker and lists.item_kind(said) == marker and para.end - units[-1].start <= WHOLE_ARTICLE:
            units[-1] = Span(units[-1].start, para.end)  # "Hồ sơ … bao gồm: a) …; b) …; c) …": all its items
        else:
            units.append(para)
            marker = None
    sentences = [s for unit in units for s in sentence_spans(text, unit)]
    for sentence in sentences:
        if sentence.end - sentence.start <= LONG_SENTENCE:
            spans.append(sentence)
            continue
        clauses = clause_spans(text, sentence)
        if listing and len(clauses) >= MIN_INLINE_ITEMS and sentence.end - sentence.start <= WHOLE_ARTICLE:
            spans.append(sentence)
            continue
        for clause in clauses:
            if ":" in text[clause.start : clause.end] and sentence.end - clause.start <= MAX_LIST_QUOTE:
                spans.append(Span(clause.start, sentence.end))  # the lead-in and its items
                break
            spans.append(clause)
    return spans
