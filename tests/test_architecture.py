"""Architecture that can drift: a light lower layer, one record of document facts, one access gate."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from bot.channels.telegram.handlers import served
from ingest.facts import DocumentFacts, document_name
from ingest.index.generations import IndexPointer

ROOT = Path(__file__).resolve().parent.parent


def test_pure_modules_import_without_the_heavy_stack():
    code = (
        "import sys, ingest.language.normalize, ingest.language.citations, ingest.language.sentences, ingest.language.tokens, ingest.facts; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'chromadb', 'torch', 'pydantic', 'numpy', 'telegram'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_package_still_exports_its_api_lazily():
    import ingest

    assert ingest.fold("Quy chế") == "quy che" and ingest.ChunkIndex.__name__ == "ChunkIndex"


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(
    title=text.filter(bool),
    author=st.none() | text.filter(bool),
    url=st.none() | st.just("https://example.org/a"),
    published=st.none() | st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2100, 1, 1)),
    kind=st.sampled_from(["article", "directive", "note"]),
    ref=st.none() | st.just("120-KL/TW"),
)
def test_document_facts_survive_chroma_metadata(title, author, url, published, kind, ref):
    facts = DocumentFacts(title=title, author=author, url=url, published=published, kind=kind, ref=ref)
    meta = facts.to_metadata()
    assert None not in meta.values()  # Chroma stores no nulls
    assert DocumentFacts.from_metadata({**meta, "doc_id": "x", "position": 3}) == facts


def test_a_document_is_named_one_way():
    assert document_name("Kết luận", "120-KL/TW") == "Kết luận số 120-KL/TW"
    assert document_name(None, "120-KL/TW", fallback="Văn bản") == "Văn bản số 120-KL/TW"


def test_the_index_pointer_refuses_other_formats():
    pointer = IndexPointer.new("m", 384, "sig")
    assert IndexPointer.from_dict(pointer.to_dict()) == pointer
    assert IndexPointer.from_dict({**pointer.to_dict(), "format": 2}) is None
    assert IndexPointer.from_dict({"format": pointer.format, "generation": "g", "dimension": "x"}) is None


def test_every_telegram_handler_passes_the_access_gate(corpus_settings, service):
    from bot.channels.telegram.app import build_application

    settings = corpus_settings.model_copy(update={"telegram_bot_token": SecretStr("123456:" + "A" * 35)})
    application = build_application(settings, service)
    callbacks = [h.callback for group in application.handlers.values() for h in group]
    assert len(callbacks) >= 10
    gate = served(test_the_package_still_exports_its_api_lazily).__code__
    assert all(c.__code__ is gate for c in callbacks)
