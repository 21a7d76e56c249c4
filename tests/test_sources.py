"""A source's typed parts (bot.sources): the key a source list groups by, the document's name,
the details a source line lists; every renderer formats from them and none parses a line."""

from __future__ import annotations

import datetime as dt

from bot import wording
from bot.answering.answer import Answer, Source
from bot.channels.telegram.formatting import answer_html, source_html
from bot.render.text import render_text, source_groups
from bot.sources import SourceKey, is_legal
from ingest.facts import DocumentFacts
from ingest.language.legal import LegalPlace, LegalSource
from ingest.models import Passage

LAW = LegalSource("Luật", "10/2022/QH15", "Luật Thực hiện dân chủ ở cơ sở", in_force=dt.date(2023, 7, 1))
PAGE = DocumentFacts(title="Thực hiện dân chủ ở cơ sở", url="https://phapdien.moj.gov.vn/x")
ARTICLE = DocumentFacts(
    title="Bài A — phụ đề", author="Nguyễn Văn A", author_role="Bí thư", site="nhandan.vn", url="https://nhandan.vn/a"
)


def source(n: int, doc: str, facts: DocumentFacts, legal: LegalPlace | None = None, section: str = "") -> Source:
    return Source.from_passage(n, Passage(f"{doc}:h:{n:04d}", doc, n, f"Đoạn {n}.", 0.5, facts, section, (), legal))


def test_sources_group_by_their_key_one_article_clause_or_one_section():
    sources = [
        source(1, "law", PAGE, LegalPlace(LAW, 5, "Tiêu đề", "1")),
        source(2, "law", PAGE, LegalPlace(LAW, 5, "Tiêu đề", "1")),
        source(3, "law", PAGE, LegalPlace(LAW, 5, "Tiêu đề", "2")),
        source(4, "a", ARTICLE, section="mục 2"),
        source(5, "a", ARTICLE, section="mục 2"),
        source(6, "a", ARTICLE, section="mục 3"),
    ]
    assert [[s.n for s in g] for g in source_groups(sources)] == [[1, 2], [3], [4, 5], [6]]
    assert sources[0].key == SourceKey("law", ref="10/2022/QH15", article=5, clause="1")
    assert sources[3].key == SourceKey("a", section="mục 2")
    assert [s.is_legal for s in sources] == [True, True, True, False, False, False]
    assert is_legal(sources[0]) and not is_legal(sources[3])


def test_a_source_is_named_one_way_and_its_line_is_title_then_details():
    law, article = source(1, "law", PAGE, LegalPlace(LAW, 5, "Tiêu đề", "1")), source(2, "a", ARTICLE)
    assert law.name == "Luật Thực hiện dân chủ ở cơ sở (10/2022/QH15)" and article.name == "Bài A — phụ đề"
    assert wording.source_line(law) == (
        "Điều 5, khoản 1, Luật Thực hiện dân chủ ở cơ sở (10/2022/QH15), hiệu lực từ 01/07/2023"
        " — Bộ Pháp điển, đề mục “Thực hiện dân chủ ở cơ sở”"
    )
    assert wording.source_line(article) == "Bài A — phụ đề — Nguyễn Văn A, Bí thư — https://nhandan.vn/a"
    assert wording.attribution(article) == "bài “Bài A — phụ đề” của Nguyễn Văn A (Bí thư), nhandan.vn"
    assert wording.attribution(law) == "Điều 5. Tiêu đề — Luật Thực hiện dân chủ ở cơ sở (10/2022/QH15)"
    assert law.to_json()["title"] == law.name


def test_telegram_formats_a_source_from_its_fields_even_when_its_title_holds_a_dash():
    article = source(1, "a", ARTICLE)
    head, details = source_html(article).split("\n")[:2]
    assert head == "<b>[1] Bài A — phụ đề</b>"
    assert details == "Nguyễn Văn A, Bí thư — https://nhandan.vn/a"  # the title's second half is not repeated
    answer = Answer("?", True, sources=[article])
    assert "[1] Bài A — phụ đề — Nguyễn Văn A" in answer_html(answer)
    assert "[1] Bài A — phụ đề — Nguyễn Văn A, Bí thư — https://nhandan.vn/a" in render_text(answer)
