"""An outline of a legal text in the library, chapter by chapter.

Its card (number, date, issuer, in force from) and structure (chapters, sections, articles
in the library); per chapter, each article under its own title with its key provisions
quoted (figures, time limits, who decides, what is left to the Government); the
cross-references the Pháp điển states between the Law and its decrees; the texts that
say they detail it. Chapters are the Pháp điển's, which are the Law's own.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from bot import wording
from bot.answering.card import directive_card
from bot.answering.service import QAService
from bot.outlines.outline import (
    BriefError,
    Outline,
    Point,
    Quote,
    Section,
    body,
    card_points,
    paragraphs,
    sentences,
    strip_label,
)
from bot.outlines.quiz import Fact, ListFact, make_quiz
from ingest.language.legal import LegalPlace
from ingest.language.normalize import fold
from ingest.language.patterns import CLAUSE_START, POINT_START
from ingest.models import Passage
from ingest.registry import Directive

# What a trainer stresses in a provision, as folded text.
_FIGURE = re.compile(r"\d|\b(?:khong it hon|it nhat|toi da|khong qua|qua nua|mot lan|hai lan|moi nam|hang nam)\b")
_TIME = re.compile(r"\b(?:thoi han|cham nhat|dinh ky|ke tu ngay|truoc ngay|ngay lam viec)\b")
_WHO = re.compile(
    r"\b(?:quyet dinh|co trach nhiem|chiu trach nhiem|co tham quyen|chu tri|trieu tap|cong nhan|phe duyet)\b"
)
_DELEGATES = re.compile(r"\bquy dinh chi tiet\b|\bhuong dan thi hanh\b")
_LIST_TITLE = re.compile(r"^(?:nhung|cac|quyen|nghia vu|hinh thuc|noi dung|nhiem vu|nguyen tac|trach nhiem)\b")
KEY_QUOTES = 2  # key provisions quoted per article
ROMAN = {
    n: r
    for n, r in enumerate(
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"], 1
    )
}


@dataclass(frozen=True)
class Article:
    place: LegalPlace
    passages: tuple[Passage, ...]

    @property
    def heading(self) -> str:
        return f"Điều {self.place.article}. {self.place.article_title}"

    def clauses(self) -> list[tuple[str | None, str]]:
        """(where, paragraph without its label) in reading order: "khoản 2", "khoản 2, điểm a"."""
        out, clause = [], None
        for p in self.passages:
            for paragraph in paragraphs(body(p)):
                if m := CLAUSE_START.match(paragraph):
                    clause = m[1]
                point = POINT_START.match(paragraph)
                where = f"khoản {clause}" if clause else None
                if point and clause:
                    where = f"khoản {clause}, điểm {point[1]}"
                out.append((where, strip_label(paragraph)))
        return out


_RANK = {"Luật": 0, "Nghị quyết": 1, "Pháp lệnh": 1, "Nghị định": 2, "Quyết định": 3, "Thông tư": 4}


def legal_articles(passages: list[Passage]) -> list[Article]:
    """Articles of legal texts, a law before its decrees and circulars, each in its own order."""
    by_article: dict[tuple[str, int], list[Passage]] = defaultdict(list)
    for p in passages:
        if p.legal:
            by_article[(p.legal.source.ref, p.legal.article)].append(p)
    articles = [Article(ps[0].legal, tuple(sorted(ps, key=lambda p: p.position))) for ps in by_article.values()]  # type: ignore[arg-type]
    return sorted(articles, key=lambda a: (_RANK.get(a.place.source.type, 5), a.place.source.ref, a.place.article))


def key_provisions(article: Article) -> list[tuple[str | None, str]]:
    """The sentences that say how much, by when, who decides: (where, sentence), in reading order."""
    scored = []
    for order, (where, paragraph) in enumerate(article.clauses()):
        for text in sentences(paragraph):
            folded = fold(text)
            if text.endswith(":") or len(text) < 25:
                continue
            score = 2 * bool(_FIGURE.search(folded) or _TIME.search(folded)) + 2 * bool(_DELEGATES.search(folded))
            score += bool(_WHO.search(folded))
            if score:
                scored.append((score, order, where, text))
    best = sorted(scored, key=lambda x: (-x[0], x[1]))[:KEY_QUOTES]
    if not best:  # no figure, no decision: the article's opening statement, when it is one
        first = next(((w, s) for w, p in article.clauses() for s in sentences(p)), None)
        if first and not first[1].endswith(":") and len(first[1]) <= 300:
            return [first]
        return []
    return [(where, text) for _, _, where, text in sorted(best, key=lambda x: x[1])]


def list_fact(article: Article, key: str, according: str) -> ListFact | None:
    """An article whose title names a list and whose clauses are its items (3 to 8 of them)."""
    if not _LIST_TITLE.match(fold(article.place.article_title)):
        return None
    numbered = [x for p in article.passages for x in paragraphs(body(p)) if CLAUSE_START.match(x)]
    items = [strip_label(" ".join(x.split())) for x in numbered]
    if not 3 <= len(items) <= 8 or any(len(i) > 250 for i in items):
        return None
    return ListFact(article.place.article_title, tuple(items), key, according, f"Điều {article.place.article}")


def build_law(service: QAService, d: Directive, quiz: int, chapter: str | None = None) -> Outline:
    ids = sorted({cid for chunk_ids in d.articles.values() for cid in chunk_ids})
    passages = [p for p in service.index.passages(ids).values() if p.legal and p.legal.source.ref == d.ref]
    if not passages:
        raise BriefError(f"no articles of {d.ref}", user_message=f"Kho tài liệu không có toàn văn {d.ref}.")
    articles = legal_articles(passages)
    source = articles[0].place.source
    short = source.full_title if source.type == "Luật" else source.title
    outline = Outline(d.ref, directive_card(d).title, "law")
    key = outline.cite(passages[0])
    chapters = _chapters(articles)
    wanted_chapter = _chapter_label(chapter, chapters) if chapter else None

    # The structure below says what the card's "Toàn văn trong kho" and "Số điều trong kho" would.
    info, *relations = card_points(d, omit=(wording.CARD_FULL_TEXT, wording.CARD_ARTICLES))
    card = Section("Khái quát về văn bản", [info])
    if len(chapters) > 1 or chapters.get(None) is None:
        lines = [f"Trong kho có {len(articles)} điều, {len([c for c in chapters if c])} chương:"]
        lines += [f"{c}: {_span(arts)}" for c, arts in chapters.items() if c]
    else:
        lines = [f"Trong kho có {len(articles)} điều ({_span(articles)}); kho không ghi các chương của văn bản."]
    card.points += [Point("Bố cục", lines=lines), *relations]
    outline.sections.append(card)

    every = service.index.all_passages()  # the cross-references and the detailing texts search it all
    related = _cross_references(every, articles)
    facts: list[Fact] = []
    lists: list[ListFact] = []
    for label, arts in chapters.items():
        if wanted_chapter and label != wanted_chapter:
            continue
        section = Section(label or f"Các điều của {short}")
        group = None
        for article in arts:
            point = Point(article.heading)
            if article.place.section != group:
                point.group = group = article.place.section
            according = f"Theo Điều {article.place.article} {short}"
            for where, text in key_provisions(article):
                place = f"Điều {article.place.article}" + (f", {where}" if where else "")
                point.quotes.append(Quote(text, key, place))
                facts.append(Fact(text, key, according, place))
            point.lines += related.get(article.place.code or "", [])
            if lf := list_fact(article, key, according):
                lists.append(lf)
            section.points.append(point)
        outline.sections.append(section)
    if not wanted_chapter:
        outline.sections.append(_detailing(every, outline, d, source.title))
    pools = {key: [s for a in articles for _, p in a.clauses() for s in sentences(p)]}
    outline.quiz, outline.quiz_note = make_quiz(facts, lists, pools, quiz)
    outline.quiz_wanted = quiz
    what = wanted_chapter or short
    outline.discussion = [f"Liên hệ việc thực hiện {what} ở cơ quan, đơn vị, địa phương nơi đồng chí công tác."]
    if wanted_chapter:
        outline.title += f" — {wanted_chapter}"
    return outline


def _chapters(articles: list[Article]) -> dict[str | None, list[Article]]:
    out: dict[str | None, list[Article]] = {}
    for a in articles:
        out.setdefault(a.place.chapter, []).append(a)
    return out


def _span(articles: list[Article]) -> str:
    first, last = articles[0].place.article, articles[-1].place.article
    return f"Điều {first}" if first == last else f"Điều {first}–{last} ({len(articles)} điều)"


def _chapter_label(asked: str, chapters: dict[str | None, list[Article]]) -> str:
    """ "II", "2", "chương 2", "Chương II" → the chapter's label, or a clear error listing those there are."""
    token = fold(asked).replace("chuong", "").strip(" .").upper()
    roman = ROMAN.get(int(token), token) if re.fullmatch(r"[0-9]{1,3}", token) else token  # not "²".isdigit()
    for label in chapters:
        if label and fold(label.split(".")[0]).upper() == f"CHUONG {roman}":
            return label
    there = ", ".join(label.split(".")[0] for label in chapters if label) or "không có chương nào"
    raise BriefError(
        f"no chapter {asked}", user_message=f"Văn bản này trong kho không có chương “{asked}”; các chương: {there}."
    )


def _cross_references(every: list[Passage], articles: list[Article]) -> dict[str, list[str]]:
    """Code → "Liên quan (Pháp điển): Nghị định 59/2023/NĐ-CP, Điều 3. …", both ways the notes state it."""
    places = {p.legal.code: p.legal for p in every if p.legal and p.legal.code}
    own = {a.place.code for a in articles if a.place.code}
    links: dict[str, set[str]] = defaultdict(set)
    for code, place in places.items():
        for other in place.related:
            if code in own and other in places and other not in own:
                links[code].add(other)
            elif other in own and code not in own:
                links[other].add(code)
    out = {}
    for code, others in links.items():
        named = sorted((places[o] for o in others), key=lambda p: (p.source.ref, p.article))
        out[code] = [
            f"Liên quan (theo Bộ Pháp điển): {p.source.title}, Điều {p.article}. {p.article_title}" for p in named
        ]
    return out


def _detailing(every: list[Passage], outline: Outline, d: Directive, name: str) -> Section:
    """The sentences of other legal texts that say they detail or guide this one, quoted."""
    section = Section("Văn bản quy định chi tiết, hướng dẫn thi hành")
    folded_names = {fold(n) for n in [name, *d.names] if n} | {fold(d.ref)}
    by_source: dict[str, Point] = {}
    for p in sorted(every, key=lambda p: (p.doc_id, p.position)):
        if not p.legal or p.legal.source.ref == d.ref:
            continue
        for sentence in sentences(body(p)):
            folded = fold(sentence)
            if _DELEGATES.search(folded) and any(n in folded for n in folded_names):
                src = p.legal.source
                point = by_source.setdefault(src.ref, Point(f"{src.type} {src.ref}"))
                point.quotes.append(Quote(strip_label(sentence), outline.cite(p), f"Điều {p.legal.article}"))
    section.points = sorted(by_source.values(), key=lambda point: point.heading)
    return section
