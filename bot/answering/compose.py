"""Compose an extractive answer: the corpus's own sentences, each with its source number.

Nothing is paraphrased, so an answer cannot hold a fact, number, date or link
that is not in the corpus. The result is data (`bot.answering.answer.Answer`): the short
answer cut out of a quoted sentence, the documents named, quotations grouped
by document (or a whole list), and only the sources quoted, numbered as cited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot import wording
from bot.answering import counts, document_dates, first_line, items, lists, named, references, short_answer
from bot.answering.answer import Answer, Quotation, QuoteGroup, ShortAnswer, Source
from bot.answering.asks import Asks, understand
from bot.answering.conversation import place_names
from bot.answering.lookup import Resolution
from bot.answering.quotable import WHOLE_ARTICLE, quotable_spans
from bot.answering.retrieval import Retrieval
from bot.answering.verification import facts as facts_of
from ingest.language.legal import body_start
from ingest.language.normalize import fold
from ingest.language.patterns import PLACE_NUMBER
from ingest.language.sentences import Span, paragraph_spans
from ingest.models import Passage

MAX_SENTENCES = 4
PRIMARY_BONUS = 0.5
# Weight of a legal source's rank in choosing what to quote (×1.5 for the first, ×1.25 the second, …).
RANK_WEIGHT = 0.5
# A sentence is quoted when it holds at least this share of the best
# sentence's coverage of the question: enough to drop passing mentions.
RELATIVE_CUTOFF = 0.6
MIN_SENTENCE_COVERAGE = 0.25

# An article whose title holds this share of the question is quoted whole, up to this length.
TITLE_COVERAGE = 0.7
# … or this share of the words of its title, lead-ins, chapter and section when one of them names
# the list asked for (measured on the people-style dev set: 0.5 on the title alone quoted 10 of
# 21 lists whole; lead-ins and 0.35: the lists whose question adds a setting or a frame)
TITLE_WORDS = 0.35
# A list article is quoted to its end, up to this length and this many items (then cut, and said so).
WHOLE_LIST = 6000
MAX_LIST_ITEMS = 40
# A sentence that holds what a figure question asks for (a date; a number) weighs this much more.
FIGURE_WEIGHT = 1.5


@dataclass(frozen=True)
class _Quote:
    source: int  # index into sources
    start: int
    text: str
    coverage: float


def _whole_article(
    question: str,
    pool: list[Source],
    retrieval: Retrieval,
    article: list[Passage],
    alternatives: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> list[_Quote]:
    """The first passage's article, in order, when the question asks what its title names
    ("Công dân có nghĩa vụ gì…?" and Điều 6 "Nghĩa vụ của công dân…"): the items of such an
    article say the answer together, few of them alone (`_article_quotes`). Not for a
    question after a figure or a date, which one sentence answers."""
    top, place = pool[0], pool[0].legal
    title = place.article_title if place else None
    if not place or not title or asks_figure(question):
        return []
    if not lists.has_items(article) and len(top.text) - top.body_start > WHOLE_ARTICLE:
        return []
    if retrieval.lexical.text_coverage(question, title) >= TITLE_COVERAGE:
        return _article_quotes(pool, article)
    # the title or a lead-in of the article names the list asked for ("nghĩa vụ" in "Nghĩa vụ
    # của công dân…"; "1. Các hình thức lấy ý kiến Nhân dân bao gồm:" under "Hình thức Nhân dân
    # tham gia ý kiến"; "trường hợp" in a clause's lead): its words suffice, as the question's
    # frame ("có những … gì khi", "muốn … thì có thể dùng") pairs with nothing in a title
    label = lists.asked_label(question)
    if not label or lists.asks_one(question):
        return []  # "cơ quan nào có trách nhiệm …" asks for one body, not a list of "trách nhiệm"
    leads = lists.lead_ins(article)
    if not any(lists.title_names(label, heading) for heading in (title, *leads)):
        return []
    # the chapter and section say the setting ("Chương III. Thực hiện dân chủ ở cơ quan, đơn vị"),
    # the document's name its subject (a decree "về vận động, tiếp nhận … đóng góp tự nguyện");
    # the people's words count where they say the texts' terms ("bà con" for "Nhân dân")
    heads = (place.chapter, place.section, title, *leads, place.source.name)
    headings = " . ".join(x for x in heads if x)
    said = retrieval.lexical.text_coverage(question, headings, pairs=False, alternatives=alternatives)
    return _article_quotes(pool, article) if said >= TITLE_WORDS else []


def _article_quotes(pool: list[Source], article: list[Passage]) -> list[_Quote]:
    """A list article's paragraphs from its first passage to its end, as far as WHOLE_LIST
    characters and MAX_LIST_ITEMS items go: a list that runs over passages is quoted to its
    end, not cut where a passage ends. An article without items: its first passage (`_paragraphs`)."""
    if not lists.has_items(article):
        return _paragraphs(pool[0])
    quotes: list[_Quote] = []
    size = items = 0
    for passage in article:
        at = body_start(passage.text)
        for span in paragraph_spans(passage.text):
            if span.start < at:
                continue
            text = " ".join(passage.text[span.start : span.end].split())
            size += len(text)
            items += lists.article_count([text], None) is not None
            if quotes and (size > WHOLE_LIST or items > MAX_LIST_ITEMS):
                return quotes  # cut: the list's lead says how many of how many are quoted
            quotes.append(_Quote(_pooled(pool, passage), span.start, text, 1.0))
    return quotes


def _paragraphs(top: Source) -> list[_Quote]:
    """The first passage's paragraphs in order, as far as WHOLE_ARTICLE characters go."""
    quotes: list[_Quote] = []
    size = 0
    for span in paragraph_spans(top.text):
        if span.start < top.body_start:
            continue
        size += span.end - span.start
        if quotes and size > WHOLE_ARTICLE:
            break
        quotes.append(_Quote(0, span.start, " ".join(top.text[span.start : span.end].split()), 1.0))
    return quotes


def asks_figure(question: str) -> bool:
    """Whether a question asks for a number, a date or a duration ("bao nhiêu", "mấy", "khi nào")."""
    return short_answer.figure(question) is not None


def _holds(figure: str, sentence: str) -> bool:
    """Whether a sentence holds a figure of that kind (article and clause numbers not counted)."""
    found = facts_of(PLACE_NUMBER.sub(" ", sentence))
    return bool(found.dates or found.months) if figure == "date" else bool(found.figures or found.values)


def holds_figure(question: str, sentence: str) -> bool:
    """Whether a sentence holds what a figure question asks: a date for "khi nào",
    "ngày nào"; a number for "bao nhiêu", "mấy", "tối đa"."""
    figure = short_answer.figure(question)
    return figure is not None and _holds(figure, sentence)


def _statement(quote: str) -> bool:
    """Whether a quote states something, not a heading or a bare marker ("CHƯƠNG II", "1."):
    "Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2023." is short but whole."""
    if quote.isupper():
        return False
    return len(quote) >= 60 or (len(quote.split()) >= 6 and quote.rstrip("…").endswith((".", ";", ":")))


def _quote_text(text: str, span: Span) -> str:
    """The span verbatim; "…" marks where a clause was cut out of its sentence."""
    quote = " ".join(text[span.start : span.end].split())
    before = text[: span.start].rstrip()
    if before and before[-1] == ";":
        quote = "…" + quote
    if quote.endswith(";"):
        quote = quote[:-1].rstrip() + "…"
    return quote


def _origin(source: Source) -> str:
    """What a quote is attributed to: its document, or its article for a legal text."""
    if source.legal:
        return f"{source.doc_id}|{source.legal.source.ref}|{source.legal.article}"
    return source.doc_id


def _best_sentences(question: str, sources: list[Source], retrieval: Retrieval, by_rank: bool) -> list[_Quote]:
    """The sentences that cover the question best, at most MAX_SENTENCES, each once; the
    first sentence of the best source when none stands out."""
    quotes = []
    figure = short_answer.figure(question)  # once, not per sentence
    listing = lists.asked_label(question) is not None and not lists.asks_one(question)
    for i, src in enumerate(sources):
        for span in quotable_spans(src.text, src.body_start, listing):
            quote = _quote_text(src.text, span)
            # a local report's sentences are about its place, which they seldom name
            # ("có thêm 8 xã…" of Hưng Yên's report): the place counts as said
            place = f". {src.facts.locality}" if src.facts.locality else ""
            cov = retrieval.lexical.text_coverage(question, quote + place)
            if src.facts.kind == "directive" and _statement(quote):
                cov += PRIMARY_BONUS  # a directive's own words answer what it requires
            if by_rank:
                cov *= 1 + RANK_WEIGHT / (1 + i)
            if figure and _holds(figure, document_dates.without_issue_dates(question, quote)):
                cov *= FIGURE_WEIGHT
            quotes.append(_Quote(i, span.start, quote, cov))
    best = max((q.coverage for q in quotes), default=0.0)
    chosen: list[_Quote] = []
    seen: set[str] = set()
    for q in sorted(quotes, key=lambda q: (-q.coverage, q.source, q.start)):
        if q.text in seen or q.coverage < max(MIN_SENTENCE_COVERAGE, best * RELATIVE_CUTOFF):
            continue
        seen.add(q.text)
        chosen.append(q)
        if len(chosen) == MAX_SENTENCES:
            break
    if not chosen:  # relevant passages, but no single sentence stands out: quote the best
        first = quotable_spans(sources[0].text, sources[0].body_start)[0]
        chosen = [_Quote(0, first.start, _quote_text(sources[0].text, first), 0.0)]
    return chosen


def compose(
    question: str,
    retrieval: Retrieval,
    resolutions: list[Resolution] | None = None,
    focus: str | None = None,
    whole: bool = False,
    chunks_of: Callable[[str], list[Passage]] | None = None,
    asks: Asks | None = None,
    first_from_top: bool = False,
) -> Answer:
    """The answer from the directives named and the retrieved passages (ranked, all relevant).

    `focus`: what the question asks beyond the documents it names (`lookup.asked_focus`;
    None when their cards say it); sentences are weighed by it, and when no passage
    answers it the cards alone are no answer.
    `whole`: the first passage is what was asked for ("Điều 12 … quy định gì?"):
    it is quoted from its start, not by sentences.
    `chunks_of`: a document's passages in order, to quote a list that runs past a passage.
    `first_from_top`: the first line only from the best passage (a follow-up's, ranked with the
    question it goes on from: "kế hoạch đó" is the plan that question asked of, not another).
    """
    resolutions = resolutions or []
    cards, notes, listed = named.cards(resolutions)
    if not retrieval.found:
        if cards and focus is not None:
            notes.append(wording.NOT_IN_DOCUMENT)
        message = None if cards or notes else wording.NOT_FOUND
        return Answer(
            question, bool(cards) and focus is None, message=message, cards=cards, notes=notes, directives=listed
        )
    weighed = focus or question  # the words a quoted sentence must hold
    if resolutions:  # "X yêu cầu gì?" of a document known only from what cites it
        notes = [
            wording.no_full_text(d) for r in resolutions for d in r.directives if not d.primary and not d.articles
        ] + notes

    if not whole and not lists.asks_one(question):
        retrieval = replace(retrieval, passages=lists.facet_first(weighed, retrieval.passages))
    pool = [Source.from_passage(i + 1, p) for i, p in enumerate(retrieval.passages)]
    if chunks_of is not None:  # "… khoản 1 và khoản 2 Điều 15 của Luật này …" read with those clauses
        pool = [references.read_with(s, chunks_of) for s in pool]
    retrieved = pool[: len(retrieval.passages)]
    # a legal answer: the articles ranked first answer first (their titles matched the question)
    by_rank = pool[0].is_legal
    found_list = None
    if not whole and not by_rank and chunks_of is not None and short_answer.kind(question) not in _FIGURE_KINDS:
        documents = _of_place_asked(question, pool, list(dict.fromkeys(s.doc_id for s in pool[:3] if not s.is_legal)))
        found_list = lists.find_list(
            weighed, documents, chunks_of, lambda t: retrieval.lexical.text_coverage(weighed, t)
        )
    listed_items: int | None = None
    list_total: int | None = None  # the list's items in the source when not all are quoted
    in_order = True  # the quotes are in reading order already
    label: str | None = None
    if found_list is not None:
        chosen = [
            _Quote(_pooled(pool, item.passage), 0, item.text, 1.0) for item in (found_list.lead, *found_list.items)
        ]
        listed_items, label = len(found_list.items), found_list.label
    else:
        article = lists.article_of(retrieval.passages, chunks_of, whole)
        chosen = (
            _article_quotes(pool, article.passages or retrieval.passages[:1])
            if whole
            else _whole_article(weighed, pool, retrieval, article.passages, asks.alternatives if asks else ())
            if by_rank
            else []
        )
        if chosen and (asked_list := lists.asked_label(weighed)):
            listed_items, list_total = lists.quoted_count([q.text for q in chosen], article)
            label = asked_list if listed_items else None
        in_order = bool(chosen)  # an article's paragraphs, as written over its passages
        chosen = chosen or _best_sentences(weighed, pool, retrieval, by_rank)
    asks = asks or understand(question)
    short = (
        None
        if found_list
        else _short(asks, [q for q in chosen if q.source == 0 or not first_from_top], pool, retrieval)
    )
    # no first line from the passages found: an article that sets the figure of a clause found by
    # the clause's number may give it ("… khoản 5 Điều 15 … có hiệu lực kể từ ngày …")
    if short is None and found_list is None and retrieval.referring and chunks_of and not first_from_top:
        short, stating = first_line.by_number(asks, pool, retrieval.referring, chunks_of, retrieval.lexical)
        if stating is not None:
            chosen.append(_Quote(stating.source, stating.start, stating.sentence, stating.coverage))
            retrieved = [*retrieved, pool[stating.source]]  # a source of the answer, as found ones are
    unstated = near = False
    # a count of a thing no passage found gives any figure of ("bao nhiêu Bằng khen"): not stated
    nowhere = asks.kind == "number" and counts.given_nowhere(asks.text, asks.unit, [s.text for s in pool])
    if short is None and found_list is None and (asks.slot or asks.kind == "where" or nowhere):
        # a quantity asked by name: said by a sentence of the best passages, or not in the library;
        # a place likewise, but no place cut is no proof the library has none (`Asks.slot`)
        hit = first_line.stated(asks, pool, retrieval.lexical)
        if hit is not None:
            chosen.append(_Quote(hit.source, hit.start, hit.sentence, hit.coverage))
            # with the quoted sentences beside it: one that gives another level's figure leaves it unsure
            rivals = _candidates(chosen[:-1], pool) if asks.figure else []
            short = first_line.first_line(asks, [hit, *rivals], pool, retrieval.lexical)
        unstated = short is None and (asks.slot or nowhere)
        if unstated and (nearest := first_line.nearest(asks, pool, retrieval.lexical)):
            near = True
            said = {c.sentence for c in nearest}
            chosen = [_Quote(c.source, c.start, c.sentence, c.coverage) for c in nearest] + [
                q for q in chosen if q.text not in said
            ][: MAX_SENTENCES - len(nearest)]

    # read in document order (documents by their best source, sentences as written) unless already so
    if found_list is None and not in_order:
        doc_rank: dict[str, int] = {}
        for q in chosen:
            doc_id = _origin(pool[q.source])
            doc_rank[doc_id] = min(doc_rank.get(doc_id, q.source), q.source)
        chosen.sort(key=lambda q: (doc_rank[_origin(pool[q.source])], _origin(pool[q.source]), q.source, q.start))
    numbers: dict[int, int] = {}  # pool index → number as cited
    for q in chosen:
        numbers.setdefault(q.source, len(numbers) + 1)
    cited = {i: pool[i].renumbered(n) for i, n in numbers.items()}
    groups: list[QuoteGroup] = []
    for q in chosen:
        quote = Quotation(q.text, numbers[q.source])
        if groups and _origin(groups[-1].source) == _origin(pool[q.source]):
            groups[-1] = QuoteGroup(groups[-1].source, (*groups[-1].quotes, quote), listed_items, label, list_total)
        else:
            groups.append(QuoteGroup(cited[q.source], (quote,), listed_items, label, list_total))
    label = first_line.other_setting(asks, pool[short.source]) if short is not None else None
    if short is not None and label and first_line.outranked(asks, short.source, pool, {q.source for q in chosen}):
        short = None
    elif short is not None:
        if label:
            notes.append(label)  # a rule of a setting the question did not name, said to be so
        short = ShortAnswer(short.text, numbers[short.source], short.verdict)
    quoted = {pool[i].chunk_id for i in numbers}
    if unstated:  # the nearest provisions, labelled as related, under "the library does not say"
        notes = [wording.RELATED_ONLY, *notes]
    return Answer(
        question,
        not unstated,
        message=(wording.not_stated_near if near else wording.not_stated)(asks.asked_phrase()) if unstated else None,
        short=short,
        cards=cards,
        groups=groups,
        sources=sorted(cited.values(), key=lambda s: s.n),
        related=sum(1 for p in retrieval.passages if p.chunk_id not in quoted),
        notes=notes,
        retrieved=retrieved,
        directives=listed,
    )


_FIGURE_KINDS = {"date", "period", "duration", "frequency", "number"}


def _of_place_asked(question: str, pool: list[Source], documents: list[str]) -> list[str]:
    """The documents a list may come from: when the question names the place of some local
    report ("giải pháp … của Bắc Ninh"), not another place's report (Hưng Yên's list)."""
    asked = fold(question)
    place = {s.doc_id: s.facts.locality for s in pool if s.facts.locality}
    named = {loc for loc in place.values() if any(name in asked for name in place_names([loc]))}
    return [d for d in documents if not named or place.get(d) in named or d not in place]


def _pooled(pool: list[Source], passage: Passage) -> int:
    """The index of a passage among the answer's candidate sources, added when new."""
    for i, s in enumerate(pool):
        if s.chunk_id == passage.chunk_id:
            return i
    pool.append(Source.from_passage(len(pool) + 1, passage))
    return len(pool) - 1


def _short(asks: Asks, chosen: list[_Quote], pool: list[Source], retrieval: Retrieval) -> ShortAnswer | None:
    """The first line from the quoted sentences, when one says it (`first_line`); who does a
    duty listed as an item is said by the item's lead (`items`)."""
    candidates = _candidates(chosen, pool)
    short = first_line.first_line(asks, candidates, pool, retrieval.lexical)
    if short is None and asks.kind in ("who", "which"):  # only then: a lead joined to an item is no sentence
        led = [(c, items.with_lead(pool[c.source].text, c.start, c.sentence)) for c in candidates]
        short = first_line.first_line(asks, [replace(c, sentence=s) for c, s in led if s], pool, retrieval.lexical)
    return short


def _candidates(chosen: list[_Quote], pool: list[Source]) -> list[first_line.Candidate]:
    candidates = []
    for q in chosen:
        text = pool[q.source].text
        at = first_line.sentence_at(text, q.start)
        candidates.append(first_line.Candidate(q.source, q.start, at[1] if at else q.text, q.coverage))
        # a lead quoted with its first item ("Thời gian niêm yết như sau: a) … chậm nhất sau 2 ngày
        # làm việc …"): the item's sentences are candidates too, each with its own start
        while at is not None:
            after = items.next_start(text, at)
            at = first_line.sentence_at(text, after) if after is not None else None
            if at is None or at[1] not in q.text:
                break
            candidates.append(first_line.Candidate(q.source, at[0], at[1], q.coverage))
    return candidates
