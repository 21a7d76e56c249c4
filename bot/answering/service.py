"""Questions in, answers out: the one entry point of the CLI and the Telegram bot."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from bot import wording
from bot.answering import compound, definitions, document_dates, documents, holdings, intents, references
from bot.answering.accents import restore_from
from bot.answering.answer import Answer, nearby_only
from bot.answering.asks import Asks, understand
from bot.answering.compose import compose
from bot.answering.conversation import Continued, Conversation, document_pointed, place_names
from bot.answering.lookup import (
    ArticleRef,
    Resolution,
    article_ref,
    asked_focus,
    distinct_citations,
    lookup,
    question_focus,
    resolve_citation,
    resolve_names,
)
from bot.answering.named import mentioned_directives
from bot.answering.question import Question, places_written_out
from bot.answering.retrieval import Mode, Retrieval, Retriever, out_of_domain, prefer_scope
from bot.answering.spelling import Speller
from bot.settings import BotSettings
from ingest import (
    ChunkIndex,
    IndexEmbeddings,
    Passage,
    QcdcError,
    Registry,
    ingest,
    make_embedder,
    open_store,
)
from ingest.index.generations import IndexPointer
from ingest.language.citations import ref_key
from ingest.language.scope import fits, scope_of
from ingest.language.tokens import lexical_tokens
from ingest.language.vocabulary import unit_vocabulary
from ingest.registry import Directive

# A follow-up asked within the last answer's documents ("kế hoạch đó bắt đầu từ tháng mấy?")
# needs less of its words in a passage: the conversation says what it is about. Measured on the
# follow-ups of the dev and public cadre sets: their answers cover 0.31 to 0.67 of their words.
FOLLOW_UP_COVERAGE = 0.3

log = logging.getLogger(__name__)


@dataclass
class _Loaded:
    """One index generation, ready to answer from."""

    index: ChunkIndex
    retriever: Retriever
    registry: Registry
    speller: Speller | None = None
    definitions: definitions.Definitions | None = None


class QAService:
    """Holds the model, the index and the retriever; answers many questions.

    Before each question it checks whether an ingestion (in this process or
    another) has activated a new index generation, and moves to it: a
    long-running bot never needs a restart to see new documents.
    """

    def __init__(
        self,
        settings: BotSettings,
        db: Path | None = None,
        *,
        build_if_missing: bool = True,
        embedder: IndexEmbeddings | None = None,
    ):
        self.settings = settings
        self.db = db or settings.chroma_path
        self.embedder = embedder or make_embedder(settings)
        self.store = open_store(settings, self.db)
        if build_if_missing and not self.store.is_current():  # missing, or made by an older version
            log.info("no current index at %s: building it from %s", self.store.location, settings.corpus_dir)
            ingest(settings, db=self.db, embedder=self.embedder)
        self._loaded = self._load()
        self._retired: list[ChunkIndex] = []
        self._switching = threading.Lock()
        self._refused: IndexPointer | None = None
        self.generator = None
        if settings.llm_provider:
            from bot.answering.generation import Generator  # LangChain's chat integrations load only when used

            self.generator = Generator(settings)

    def _load(self) -> _Loaded:
        index = ChunkIndex.open(self.store)
        try:
            index.check_model(self.embedder.identity)
            return _Loaded(index, Retriever(index, self.embedder, self.settings), index.load_registry())
        except BaseException:
            index.close()
            raise

    @property
    def index(self) -> ChunkIndex:
        return self._loaded.index

    @property
    def retriever(self) -> Retriever:
        return self._loaded.retriever

    @property
    def registry(self) -> Registry:
        return self._loaded.registry

    def refresh(self) -> bool:
        """Move to the active generation if it is newer; whether it moved.

        A generation that cannot be loaded is logged and the current one kept.
        The one replaced is closed only at the next switch, so that a question
        being answered from it in another thread finishes.
        """
        if self._newer() is None:
            return False
        with self._switching:
            info = self._newer()
            if info is None:
                return False
            try:
                fresh = self._load()
            except QcdcError as exc:
                self._refused = info  # not retried at every question, only once the pointer changes again
                log.warning("keeping index generation %s: %s", self._loaded.index.generation, exc)
                return False
            for old in self._retired:
                old.close()
            self._retired = [self._loaded.index]
            self._loaded = fresh
            log.info("now answering from index generation %s", fresh.index.generation)
            return True

    def _newer(self) -> IndexPointer | None:
        """The index pointer, when it names another generation than the one loaded (and not one refused)."""
        try:
            pointer = self.store.pointer()
        except Exception as exc:  # noqa: BLE001 - a server gone away: keep serving what is loaded
            log.warning("cannot read the index pointer: %s", exc)
            return None
        if pointer is None or pointer.generation == self._loaded.index.generation or pointer == self._refused:
            return None
        return pointer

    def question(self, asked: str | Question) -> Question:
        """A question validated once (InvalidQuestionError otherwise); a Question passes as it is."""
        return asked if isinstance(asked, Question) else Question.parse(asked, self.settings.max_question_chars)

    def lookup(self, query: str | Question) -> Resolution:
        """A directive by number (exact, partial or unaccented) or name; with an article
        ("Điều 12 Luật THDCCS"), that article's text."""
        text = self.question(query).text
        self.refresh()
        loaded = self._loaded
        result = lookup(text, loaded.registry)
        if chunks := result.article_chunks():
            found = loaded.index.passages(chunks)
            result.passages = [found[c] for c in chunks if c in found]
        return result

    def ask(
        self,
        asked: str | Question,
        k: int | None = None,
        mode: Mode | None = None,
        conversation: Conversation | None = None,
    ) -> Answer:
        """The answer to a question; small talk and questions about the library get a reply
        (`found` None). With a `conversation`, a follow-up is read in its light and recorded."""
        started = time.perf_counter()
        question = self.question(asked)
        self.refresh()
        if kind := intents.small_talk(question.text):
            return self._reply(question.asked, intents.SMALL_TALK_REPLIES[kind], started)
        if intents.asks_library(question.text):
            return self._reply(question.asked, self.library_text(), started)
        notes: list[str] = []
        understood, within = question, None
        if conversation is not None and (follow := conversation.understand(question.text, self._places())):
            understood = self.question(follow)
            notes.append(wording.follow_up(understood.text))
        elif conversation is not None:  # without a topic of its own: looked for first in what the last answer quoted
            within = conversation.continued(question.text)
        alone = understood is question and within is None
        if english := intents.english(understood.text):
            understood = self.question(english)
            notes += [wording.ENGLISH_NOTE, wording.follow_up(understood.text)]
        elif (restored := restore_from(self._loaded.index, understood.text)) != understood.text:
            understood = self.question(restored)  # typed without accents: spelt as the library writes it
        if alone and not understood.citations and (pointed := document_pointed(understood.text)):
            # "thông tư đó có hiệu lực từ ngày nào?" with nothing before saying which: another
            # Thông tư's date would be an answer to a question not asked
            return self._reply(question.asked, wording.which_document(pointed), started)
        answer, followed = self._followed(understood, within, k, mode, started)
        if followed:
            notes.append(wording.FOLLOW_UP_WITHIN)
        if answer.found is False and not understood.citations and not english:
            corrected = self._speller().correct(understood.text)
            if corrected:
                retried = self._ask(self.question(corrected), k, mode, started)
                if retried.found:
                    answer, retried.suggestion = retried, corrected
        answer.notes = notes + answer.notes
        answer.question = question.asked
        if conversation is not None:
            conversation.record(understood.text, answer)
        answer.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 1)
        return answer

    def _followed(
        self, question: Question, within: Continued | None, k: int | None, mode: Mode | None, started: float
    ) -> tuple[Answer, bool]:
        """The answer, and whether it comes from the last answer's documents (`within`). A follow-up
        that points back ("kế hoạch đó …") is looked for there first; one that only goes on ("Thế
        có huyện nào …?") there only when the library has nothing for it as typed: "Vậy Ban Thanh
        tra nhân dân ở xã có mấy người?" after a report on Hưng Yên asks the Law, not the report."""
        if within is not None and within.pointing:
            answer = self._ask(question, k, mode, started, within)
            if answer.found:
                return answer, True
        alone = self._ask_alone(question, k, mode, started)
        if within is not None and not within.pointing and alone.found is False:
            answer = self._ask(question, k, mode, started, within)
            if answer.found:
                return answer, True
        return alone, False

    def _ask_alone(self, question: Question, k: int | None, mode: Mode | None, started: float) -> Answer:
        """A question as typed; one asking two or three things at once, clause by clause (`compound`)."""
        clauses = compound.parts(question.text)
        if not clauses:
            return self._ask(question, k, mode, started)
        answered = [(c, self._ask(self.question(c.question), k, mode, started)) for c in clauses]
        return compound.merged(question.asked, answered)

    def _reply(self, asked: str, message: str, started: float) -> Answer:
        answer = Answer(asked, None, message=message)
        answer.timings_ms = {"total": round((time.perf_counter() - started) * 1000, 1)}
        return answer

    def library_text(self) -> str:
        """What the library holds (`holdings.listing`)."""
        loaded = self._loaded
        return holdings.listing(loaded.registry, holdings.document_titles(loaded.index, loaded.retriever.derived))

    def _places(self) -> frozenset[str]:
        """Folded names of the places the library's documents and directives belong to ("hung yen")."""
        return place_names(d.locality for d in self._loaded.registry.directives if d.locality)

    def _says_domain_words(self, text: str) -> bool:
        """Whether the question says a word of the domain vocabulary (people's or the texts')."""
        return unit_vocabulary(self.settings.vocabulary_file, self.settings.documents_dir).says_domain(text)

    def _speller(self) -> Speller:
        loaded = self._loaded
        if loaded.speller is None:  # built on first use: most questions are spelt well enough
            lexical = loaded.retriever.lexical
            loaded.speller = Speller(lexical.vocab, lexical.idf)
        return loaded.speller

    def _definitions(self) -> definitions.Definitions:
        loaded = self._loaded
        if loaded.definitions is None:  # read on the first definition asked: one pass over the passages
            loaded.definitions = definitions.Definitions(loaded.index.all_passages())
        return loaded.definitions

    def _definer(self, question: Question, named: list[Directive]) -> tuple[str | None, definitions.Definer | None]:
        """The term a question asks the meaning of and the sentence defining it (`definitions.asked`)."""
        vocabulary = unit_vocabulary(self.settings.vocabulary_file, self.settings.documents_dir)
        return definitions.asked(
            question.text, question.citations, self._loaded.registry, named, vocabulary, self._definitions
        )

    def _defined(
        self, question: Question, answer: Answer, term: str | None, definer: definitions.Definer | None
    ) -> Answer:
        """The answer to "X là gì?" from the sentence that defines X (`definitions.answered`)."""
        found = self._loaded.index.passages([definer.chunk_id]).get(definer.chunk_id) if definer else None
        return definitions.answered(question.asked, answer, term, definer, found)

    def _ask(
        self, question: Question, k: int | None, mode: Mode | None, started: float, within: Continued | None = None
    ) -> Answer:
        """`within`: a follow-up's last exchange, whose documents alone answer it, as if the question
        named them; ranked with the question it goes on from, which says what "đó" is."""
        loaded = self._loaded  # one generation for the whole answer, even if another is activated meanwhile
        words = unit_vocabulary(self.settings.vocabulary_file, self.settings.documents_dir)
        localities = (d.locality for d in loaded.registry.directives if d.locality)
        text, citations = places_written_out(question.text, localities, words), question.citations
        if not citations and not lexical_tokens(text, question=True):
            # "Cho hỏi", "Ai?", "là gì": how a conversation opens, not a question yet
            return self._reply(question.asked, wording.ASK_PROMPT, started)
        asks = understand(text, self.settings.unit_scope, self._places())
        asks = replace(asks, alternatives=tuple(words.alternatives(words.written_out(text)) + words.abbreviated(text)))
        if not citations and asks.content_free and within is None:  # "Có không?", "Ai ký?": nothing to look up yet
            return self._reply(question.asked, wording.ASK_PROMPT, started)
        resolutions = [resolve_citation(c, loaded.registry) for c in distinct_citations(citations)]
        resolutions += resolve_names(text, loaded.registry, resolutions)
        asked_article = article_ref(text)
        named_docs = [d for r in resolutions for d in r.directives]
        if asked_article is not None and len(named_docs) == 1 and named_docs[0].articles:
            return self._answer_article(question, Resolution(text, [named_docs[0]], article=asked_article), k, started)
        term, definer = self._definer(question, named_docs)
        about = (
            len(named_docs) == 1
            and definer is None
            and not document_dates.asks_own_date(text, named_docs[0])
            and documents.asks_about(question_focus(text, citations, loaded.registry), named_docs[0])
        )
        if about and asked_article is None and named_docs[0].articles:  # "Nghị định 64/2008 nói về chuyện gì?"
            scope = Resolution(text, [named_docs[0]], article=ArticleRef(documents.scope_article(named_docs[0])))
            return documents.about_line(self._answer_article(question, scope, k, started), named_docs[0])

        def title_coverage(asked: str, name: str) -> float:  # a name's word order is not the question's
            return loaded.retriever.lexical.text_coverage(asked, name, pairs=False)

        if not resolutions and (which := documents.which_document(text, loaded.registry, title_coverage)):
            scope = Resolution(text, [which], article=ArticleRef(documents.scope_article(which)))  # "Văn bản nào …?"
            return documents.named_line(self._answer_article(question, scope, k, started), which)
        cited: set[str] | None = None
        if resolutions:
            named = [d for r in resolutions for d in r.directives + r.candidates]
            cited = {key for d in named for key in d.keys} | {m.chunk_id for d in named for m in d.mentions}
            # the directive's own text answers first-hand: its articles for a legal text, else its document
            primary = {d.primary.doc_id for d in named if d.primary and not d.articles}
            cited |= loaded.retriever.chunk_ids_of(primary)
            cited |= {c for d in named for chunks in d.articles.values() for c in chunks}
        mode = mode or ("hybrid+rerank" if loaded.retriever.reranker else "hybrid")
        focus = asked_focus(text, citations, loaded.registry) if resolutions else None
        # looked up as asked openly where a figure it gives is not the text's (`Asks.looked_up`)
        ranked, floor = (asks.text if asks.looked_up else text), None
        if within and not resolutions:  # each passage must still cover the question, as a named document's must
            laws = [d for ref in within.laws for d in loaded.registry.find(ref_key(ref))]
            cited = loaded.retriever.chunk_ids_of(set(within.documents))
            cited |= {c for d in laws for chunks in d.articles.values() for c in chunks}
            focus, floor = text, FOLLOW_UP_COVERAGE
            ranked = f"{text} {within.question}"
        retrieval = loaded.retriever.retrieve(ranked, k, cited, mode, focus, floor)
        retrieval = replace(retrieval, passages=prefer_scope(retrieval.passages, asks.scope))
        if retrieval.found and asks.figure:  # of the same document: a named one's too
            # a clause found, and the article that sets its figure by the clause's number ("… nội
            # dung quy định tại khoản 1 và khoản 2 Điều 15 … từ hai phần ba"): what or whether is
            # the clause's own to answer
            retrieval = replace(retrieval, referring=tuple(self._referring(ranked, retrieval.passages, asks)))
        if not resolutions and out_of_domain(retrieval, self.settings, lambda: self._says_domain_words(text)):
            return self._reply(question.asked, wording.OUT_OF_DOMAIN, started)  # weather, prices: found None
        retrieved = time.perf_counter()
        answer = compose(
            text,
            retrieval,
            resolutions,
            focus,
            chunks_of=loaded.index.chunks_of,
            asks=asks,
            first_from_top=bool(within),
        )
        # said in other words, perhaps: the nearest passages of the setting asked, shown as such
        if (
            answer.found is False
            and not answer.cards
            and (nearby := [p for p in retrieval.nearby if fits(scope_of(p), asks.scope)])
        ):
            # the articles naming a clause of theirs cover the question as the clause does, not as found ones
            referring = tuple(self._referring(ranked, nearby, asks, nearest=True)) if asks.figure else ()
            near = replace(retrieval, passages=nearby, found=True, referring=referring)
            nearest = compose(text, near, resolutions, focus, chunks_of=loaded.index.chunks_of, asks=asks)
            # unless a sentence of theirs passes every gate of a first line: it answers, however few
            # of the question's words it shares ("Trường ko có trang web nội bộ, hiệu trưởng …")
            answer = nearest if nearest.short is not None else nearby_only(nearest)
        answer = documents.issuer_line(text, self._defined(question, answer, term, definer), named_docs)
        if about and answer.short is None:
            answer = documents.about_line(answer, named_docs[0])
        answer = documents.no_other_line(text, answer)
        answer = document_dates.own_date_line(text, answer, named_docs)
        answer.directives += mentioned_directives(answer, loaded.registry)
        composed = time.perf_counter()
        timings = {
            "retrieve": round((retrieved - started) * 1000, 1),
            "answer": round((composed - retrieved) * 1000, 1),
        }
        if self.generator is not None:
            generated = self.generator.improve(answer)
            answer = generated.answer
            timings |= {"generate": round(generated.generate_ms, 1), "verify": round(generated.verify_ms, 2)}
        answer.question = question.asked
        answer.timings_ms = timings | {"total": round((time.perf_counter() - started) * 1000, 1)}
        return answer

    def _referring(self, question: str, passages: list[Passage], asks: Asks, nearest: bool = False) -> list[Passage]:
        """The passages that name a clause of the best ones by number and, read with that clause,
        cover the question (`references.referring_passages`) as found passages do, or for the
        `nearest` as well as the best of those they may name a clause of."""
        loaded = self._loaded
        lexical = loaded.retriever.lexical

        def covered(said: str) -> float:
            return lexical.text_coverage(question, said, alternatives=asks.alternatives)

        floor = self.settings.min_coverage
        if nearest and passages:
            floor = min(floor, max(covered(p.text) for p in passages[: references.REFERRED_IN]))
        return references.referring_passages(passages, loaded.index.generation, loaded.index.chunks_of, covered, floor)

    def _answer_article(self, question: Question, asked: Resolution, k: int | None, started: float) -> Answer:
        """A question about one article ("Điều 12 Luật THDCCS quy định gì?"): answered from that
        article, best passages first; an article the document does not have is said so plainly."""
        loaded = self._loaded
        chunks = asked.article_chunks()
        if not chunks:
            answer = compose(question.text, Retrieval([], False, loaded.retriever.lexical), [asked])
            answer.message, answer.cards, answer.found = asked.article_message(), [], False
        else:
            focus = asked_focus(question.text, question.citations, loaded.registry)
            retrieval = Retrieval([], False, loaded.retriever.lexical)
            if focus is not None:  # "… khoản nào nói về thời hạn?"
                retrieval = loaded.retriever.retrieve(question.text, k or len(chunks), set(chunks), focus=focus)
            whole = not retrieval.found
            if whole:  # the article itself, as written: "Điều 12 quy định gì?"
                found = loaded.index.passages(chunks)
                retrieval = Retrieval([found[c] for c in chunks if c in found], True, loaded.retriever.lexical)
            answer = compose(question.text, retrieval, [asked], focus, whole)
            answer.directives += mentioned_directives(answer, loaded.registry)
        answer.question = question.asked
        answer.timings_ms = {"total": round((time.perf_counter() - started) * 1000, 1)}
        return answer
