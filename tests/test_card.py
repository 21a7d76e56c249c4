"""The directive card (`bot.answering.card`) and the typed records an answer names documents with.

No index: the entries are built here, so these run in a second.
"""

from __future__ import annotations

import json

import bot.answering.card as card_module
from bot.answering.answer import Answer, Card, NamedDocument
from bot.answering.card import CardFact, directive_card
from bot.answering.lookup import ArticleRef, Resolution, lookup_json
from bot.channels.telegram.formatting import directive_html
from bot.core.recording import asked_in_answer
from bot.operations.journal import AskedDocument
from bot.outlines.outline import card_points
from bot.render.json import answer_json
from bot.render.text import answer_text, render_lookup
from ingest.links import DirectiveLink, PrimaryText
from ingest.registry import Directive, Mention, Registry


def kl120(**changes: object) -> Directive:
    d = Directive(
        ref="120-KL/TW", type="Kết luận", number="120", symbol="KL/TW", date="2016-01-07", issuer="Bộ Chính trị",
        term="XII", locality=None, subject="tiếp tục đẩy mạnh QCDC ở cơ sở",
        relations=[DirectiveLink("implements", "18-NQ/TW")],
        mentions=[Mention("hy", "Bài Hưng Yên", "hy:0", "Thực hiện Kết luận số 120-KL/TW.", "Kết luận số 120-KL/TW")],
    )  # fmt: skip
    for name, value in changes.items():
        setattr(d, name, value)
    return d


LAW = Directive(
    ref="10/2022/QH15", type="Luật", number="10", symbol="2022/QH15", date="2022-11-10", issuer="Quốc hội",
    term=None, locality=None, subject=None, name="Luật Thực hiện dân chủ ở cơ sở", in_force="2023-07-01",
    primary=PrimaryText("luat", "Luật Thực hiện dân chủ ở cơ sở"), articles={"1": ["luat:1"], "2": ["luat:2"]},
)  # fmt: skip


def test_one_card_says_title_summary_facts_relations_and_mentions():
    card = directive_card(kl120())
    assert card.title == "Kết luận số 120-KL/TW"
    assert (
        card.summary
        == "Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị (khóa XII) về tiếp tục đẩy mạnh QCDC ở cơ sở"
    )
    assert card.distinction == "Kết luận số 120-KL/TW ngày 07/01/2016 của Bộ Chính trị"
    assert card.facts == (
        CardFact("Ngày ban hành", "07/01/2016"), CardFact("Cơ quan ban hành", "Bộ Chính trị"),
        CardFact("Khóa", "XII"), CardFact("Trích yếu", "tiếp tục đẩy mạnh QCDC ở cơ sở"),
    )  # fmt: skip
    assert card.identity == (CardFact("Loại văn bản", "Kết luận"), CardFact("Số, ký hiệu", "120-KL/TW"))
    assert [(r.kind, r.ref, r.text) for r in card.relations] == [("implements", "18-NQ/TW", "thực hiện 18-NQ/TW")]
    assert [m.doc_id for m in card.mentions] == ["hy"]


def test_a_named_law_is_titled_by_its_name_and_shows_its_force_and_full_text():
    card = directive_card(LAW)
    assert card.title == "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15"
    assert card.summary.endswith("của Quốc hội, hiệu lực từ 01/07/2023")
    labels = [f.label for f in card.facts]
    assert "Trích yếu" not in labels  # a named text needs no subject line
    assert CardFact("Toàn văn trong kho", "Luật Thực hiện dân chủ ở cơ sở") in card.facts
    assert CardFact("Số điều trong kho", "2") in card.facts


def test_every_renderer_shows_the_same_card():
    d = kl120()
    card = directive_card(d)
    text = render_lookup(Resolution("kl 120", directives=[d]))
    html = directive_html(d)
    (info, links) = card_points(d)
    for fact in card.facts:
        assert f"{fact.label}: {fact.value}" in text and f"{fact.label}: {fact.value}" in html
        assert f"{fact.label}: {fact.value}" in info.lines
    assert "thực hiện 18-NQ/TW" in text and "thực hiện 18-NQ/TW" in html and links.lines == ["Thực hiện 18-NQ/TW"]
    answer = Answer("KL120?", True, cards=[Card(document=card)])
    assert answer_text(answer).startswith(f"Văn bản: {card.summary}.\n  – thực hiện 18-NQ/TW.")


def test_a_new_fact_reaches_every_renderer_without_changing_them(monkeypatch):
    """What adding a signer takes: the builder's list of facts; the renderers show it as it is."""
    original = card_module._facts
    monkeypatch.setattr(card_module, "_facts", lambda d: (*original(d), CardFact("Người ký", "Trần Quốc Vượng")))
    d = kl120()
    assert "Người ký: Trần Quốc Vượng" in render_lookup(Resolution("kl 120", directives=[d]))
    assert "Người ký: Trần Quốc Vượng" in directive_html(d)
    assert "Người ký: Trần Quốc Vượng" in card_points(d)[0].lines


def test_lookup_json_keeps_its_documented_shape():
    data = lookup_json(Resolution("kl 120", directives=[kl120()]))
    (d,) = data["directives"]
    assert list(d) == ["ref", "type", "date", "issuer", "term", "subject", "locality", "aliases", "relations",
                       "mentions", "primary"]  # fmt: skip
    assert d["relations"] == [{"kind": "implements", "ref": "18-NQ/TW"}] and d["primary"] is None
    assert d["mentions"] == [{"doc_id": "hy", "title": "Bài Hưng Yên", "sentence": "Thực hiện Kết luận số 120-KL/TW."}]
    assert lookup_json(Resolution("luat", directives=[LAW]))["directives"][0]["primary"] == {
        "doc_id": "luat", "title": "Luật Thực hiện dân chủ ở cơ sở"}  # fmt: skip


def test_named_documents_are_records_and_json_only_at_the_edge():
    answer = Answer(
        "?", True, directives=[NamedDocument.of(kl120(), "asked"), NamedDocument.unknown("999-KL/TW", "Kết luận"),
                               NamedDocument.of(LAW, "mentioned")],
    )  # fmt: skip
    listed = json.loads(json.dumps(answer_json(answer)))["directives"]
    assert list(listed[0]) == ["ref", "type", "date", "issuer", "subject", "name", "in_corpus", "role"]
    assert listed[1] == {"ref": "999-KL/TW", "type": "Kết luận", "date": None, "issuer": None, "subject": None,
                         "in_corpus": False, "role": "asked"}  # fmt: skip
    assert listed[2]["name"] == "Luật Thực hiện dân chủ ở cơ sở" and listed[2]["role"] == "mentioned"
    # the journal learns what compose knew: held or only cited; a mentioned document is not asked
    assert asked_in_answer(answer) == (
        AskedDocument("120-KL/TW", "Kết luận", held=False, cited=True),
        AskedDocument("999-KL/TW", "Kết luận", held=False, cited=False),
    )


def test_the_registry_file_round_trips_typed_links_and_primary_texts():
    registry = Registry([kl120(), LAW], [])
    again = Registry.from_json(registry.to_json())
    assert again.directives == registry.directives
    assert json.loads(registry.to_json())["directives"][1]["primary"] == {
        "doc_id": "luat", "title": "Luật Thực hiện dân chủ ở cơ sở"}  # fmt: skip


def test_a_missing_article_is_said_plainly():
    law = Resolution("Điều 120 Luật THDCCS", directives=[LAW], article=ArticleRef(120))
    assert law.missing_article and law.article_message() == (
        "Luật Thực hiện dân chủ ở cơ sở (10/2022/QH15) không có Điều 120: "
        "kho tài liệu có 2 điều của văn bản này (Điều 1 đến Điều 2)."
    )
    cited = Resolution("Điều 5 KL 120", directives=[kl120()], article=ArticleRef(5))
    assert cited.article_message() == "Kho tài liệu không có toàn văn Kết luận số 120-KL/TW nên không tra được Điều 5."
