"""`python -m bot ask ["question"] [--json] [--db DIR] [-k N]`: answers in the terminal.
(The administrator's commands, health, feedback, gaps and stats, are in bot.cli.ops.)

With no question argument, reads one question per line from standard input
and answers each with the model loaded once (how scripts and benchmarks use it).
A line may be a JSON object `{"question": "…", "session": "…"}`: lines of the
same session share a conversation's memory; plain lines stand alone.
`python -m bot chat` is an interactive conversation; `python -m bot sources`
lists what the library holds.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from bot.answering.conversation import Conversation, Conversations
from bot.answering.lookup import lookup_json
from bot.answering.question import Question
from bot.answering.service import QAService
from bot.cli import ops as cli_ops
from bot.render.json import answer_json
from bot.render.text import answer_markdown, render_lookup, render_text
from bot.render.word import answer_docx
from bot.settings import BotSettings, get_settings
from ingest import QcdcError, open_store
from ingest.language.normalize import clean_text
from ingest.language.patterns import slug
from ingest.logs import configure_logging

log = logging.getLogger(__name__)


def _print(text: str, **kwargs: object) -> None:
    """Print what came from the corpus or a model with no control characters:
    an escape sequence in a document must not drive the user's terminal."""
    print(clean_text(text), **kwargs)  # type: ignore[call-overload]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Trợ lý QCDC")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    ask = commands.add_parser("ask", help="answer questions from the corpus, with sources")
    ask.add_argument("question", nargs="?", help="the question; omit to read one per line from stdin")
    ask.add_argument("--json", action="store_true", help="one JSON object per question")
    ask.add_argument("--db", type=Path, help="index folder (default: CHROMA_PATH, else data/chroma)")
    ask.add_argument("-k", type=int, metavar="N", help="passages to retrieve (default: TOP_K)")
    ask.add_argument(
        "--format", choices=("text", "md", "docx"), default="text", help="terminal text (default), Markdown or Word"
    )
    ask.add_argument("-o", "--output", type=Path, help="with --format docx: the file to write (default: answer.docx)")
    chat = commands.add_parser("chat", help="an interactive conversation: follow-up questions keep their context")
    chat.add_argument("--db", type=Path, help="index folder (default: CHROMA_PATH, else data/chroma)")
    sources = commands.add_parser("sources", help="the documents the library holds and the directives it cites")
    sources.add_argument("--db", type=Path, help="index folder (default: CHROMA_PATH, else data/chroma)")
    look = commands.add_parser("lookup", help="a directive's card by number: '120-KL/TW', 'kl 120', '120'")
    look.add_argument("query", help="number and symbol, or part of it, with or without accents")
    look.add_argument("--json", action="store_true", help="one JSON object")
    look.add_argument("--db", type=Path, help="index folder (default: CHROMA_PATH, else data/chroma)")
    brief = commands.add_parser("brief", help="a lecture outline (đề cương) of a law, a directive or a topic")
    brief.add_argument(
        "topic", help="a document number or name ('10/2022/QH15', '120-KL/TW', 'Luật THDCCS') or a topic"
    )
    brief.add_argument(
        "--format", choices=("md", "html", "docx"), default="md", help="Markdown (default), HTML or Word"
    )
    brief.add_argument("-o", "--output", type=Path, help="file to write (Markdown, HTML default: standard output)")
    brief.add_argument("--chapter", metavar="N", help="one chapter of a legal text: 'II' or '2'")
    brief.add_argument("--quiz", type=int, default=0, metavar="N", help="add N review questions with answers")
    brief.add_argument("--db", type=Path, help="index folder (default: CHROMA_PATH, else data/chroma)")
    tg = commands.add_parser("telegram", help="run the Telegram bot (long polling, or a webhook)")
    tg.add_argument("--db", type=Path, help="index folder (default: CHROMA_PATH, else data/chroma)")
    tg.add_argument("--webhook-url", help="public HTTPS address Telegram posts updates to (default: long polling)")
    tg.add_argument(
        "--listen",
        default="127.0.0.1",
        help="webhook mode: address to listen on (default 127.0.0.1, behind a reverse proxy; 0.0.0.0 to face the internet)",
    )
    tg.add_argument("--port", type=int, default=8443, help="webhook mode: port to listen on (default 8443)")
    zalo = commands.add_parser("zalo", help="run the Zalo bot (long polling, or a webhook)")
    zalo.add_argument("--db", type=Path, help="index folder (default: CHROMA_PATH, else data/chroma)")
    zalo.add_argument("--webhook-url", help="public HTTPS address Zalo posts messages to (default: long polling)")
    zalo.add_argument("--listen", default="127.0.0.1", help="webhook mode: address to listen on (default 127.0.0.1)")
    zalo.add_argument("--port", type=int, default=8444, help="webhook mode: port to listen on (default 8444)")
    web = commands.add_parser("web", help="run the web page (ask, look up, library, outlines, administration)")
    web.add_argument("--db", type=Path, help="index folder (default: CHROMA_PATH, else data/chroma)")
    web.add_argument("--listen", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    web.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    cli_ops.add_commands(commands)
    return parser


def _stdin_questions(stream: TextIO) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, question or None when the line is not valid UTF-8, session); blank lines
    skipped. A line that is a JSON object gives its "question" and "session"."""
    for number, raw in enumerate(stream.buffer, start=1):
        try:
            line = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            yield number, None, None
            continue
        if line.startswith("{"):
            try:
                obj = json.loads(line)
            except ValueError:
                obj = None
            if isinstance(obj, dict) and isinstance(obj.get("question"), str):
                session = obj.get("session")
                yield number, obj["question"], str(session) if session is not None else None
                continue
        if line:
            yield number, line, None


def _announce_build(settings: BotSettings, db: Path | None) -> None:
    """Say so before the first answer waits for an index to be built."""
    try:
        ready = open_store(settings, db).is_current()
    except QcdcError:
        return  # an unreachable server: opening the service reports it
    if not ready:
        print(
            f"Chưa có chỉ mục (hoặc chỉ mục của phiên bản cũ): đang xây dựng từ {settings.corpus_dir} "
            "(lần đầu mất chừng một phút)…",
            file=sys.stderr,
        )


def _error(message: str, question: str | None, as_json: bool) -> None:
    if as_json:
        _print(json.dumps({"question": question, "error": message, "found": False}, ensure_ascii=False), flush=True)
    _print(f"Lỗi: {message}", file=sys.stderr, flush=True)


def cmd_ask(args: argparse.Namespace) -> int:
    try:
        settings = get_settings()
    except QcdcError as exc:
        _error(exc.for_user(), None, False)
        return 2
    configure_logging(settings)
    if args.k is not None and not 1 <= args.k <= 50:
        _error("-k phải nằm trong khoảng 1 đến 50.", None, False)
        return 2
    if args.question is not None:
        try:  # refuse bad input before paying for the model
            parsed = Question.parse(args.question, settings.max_question_chars)
        except QcdcError as exc:
            _error(exc.for_user(), args.question, args.json)
            return 2
        questions: Iterator[tuple[int, str | Question | None, str | None]] = iter([(0, parsed, None)])
    elif sys.stdin.isatty():
        _error('hãy nhập câu hỏi, ví dụ: python -m bot ask "Kết luận 120-KL/TW yêu cầu gì?"', None, False)
        return 2
    else:
        questions = _stdin_questions(sys.stdin)

    _announce_build(settings, args.db)
    try:
        service = QAService(settings, args.db)
    except QcdcError as exc:
        _error(exc.for_user(), None, False)
        return 2

    conversations = Conversations(settings.conversation_turns, settings.conversation_ttl_s)
    failed = answered = 0
    for number, question, session in questions:
        if question is None:
            _error(f"dòng {number} không phải văn bản UTF-8 hợp lệ, đã bỏ qua.", None, args.json)
            failed += 1
            continue
        shown = question.asked if isinstance(question, Question) else question
        try:
            conversation = conversations.get(session) if session is not None and settings.conversation_turns else None
            answer = service.ask(question, args.k, conversation=conversation)
        except QcdcError as exc:
            _error(exc.for_user(), shown, args.json)
            failed += 1
            continue
        except Exception as exc:
            log.exception("answering %r failed", shown[:100])
            _error(
                f"không trả lời được câu hỏi này ({type(exc).__name__}); các câu sau vẫn được trả lời.",
                shown,
                args.json,
            )
            failed += 1
            continue
        answered += 1
        if args.json:
            _print(
                json.dumps(answer_json(answer) | ({"session": session} if session else {}), ensure_ascii=False),
                flush=True,
            )
        elif args.format == "docx":
            output = args.output or Path("answer.docx")
            answer_docx(answer, output)
            print(f"Đã ghi {output}")
        elif args.format == "md":
            _print(answer_markdown(answer), flush=True)
        else:
            if number:
                _print(f"❓ {shown}")
            _print(render_text(answer), end="\n\n" if number else "\n", flush=True)
    if failed == 0 and answered == 0:
        _error("không có câu hỏi nào ở đầu vào chuẩn.", None, False)
        return 2
    return 1 if failed else 0


def cmd_chat(args: argparse.Namespace) -> int:
    """Questions typed one after another, follow-ups read in the light of what came before."""
    try:
        settings = get_settings()
        configure_logging(settings)
        _announce_build(settings, args.db)
        service = QAService(settings, args.db)
    except QcdcError as exc:
        _error(exc.for_user(), None, False)
        return 2
    conversation = Conversation(max(settings.conversation_turns, 1), settings.conversation_ttl_s)
    print("Trợ lý QCDC — gõ câu hỏi; Enter trên dòng trống hoặc Ctrl-D để thoát.")
    while True:
        try:
            line = input("❓ ").strip()
        except EOFError:
            print()
            return 0
        if not line:
            return 0
        try:
            answer = service.ask(line, conversation=conversation)
        except QcdcError as exc:
            _error(exc.for_user(), line, False)
            continue
        _print(render_text(answer), end="\n\n", flush=True)


def cmd_sources(args: argparse.Namespace) -> int:
    try:
        settings = get_settings()
        configure_logging(settings)
        _announce_build(settings, args.db)
        _print(QAService(settings, args.db).library_text())
    except QcdcError as exc:
        _error(exc.for_user(), None, False)
        return 2
    return 0


def cmd_lookup(args: argparse.Namespace) -> int:
    try:
        settings = get_settings()
        configure_logging(settings)
        query = Question.parse(args.query, settings.max_question_chars)
        _announce_build(settings, args.db)
        result = QAService(settings, args.db).lookup(query)
    except QcdcError as exc:
        _error(exc.for_user(), args.query, args.json)
        return 2
    if args.json:
        _print(json.dumps(lookup_json(result), ensure_ascii=False))
    else:
        _print(render_lookup(result))
    return 0 if result.found else 1


def cmd_brief(args: argparse.Namespace) -> int:
    from bot.outlines.brief import BriefBuilder, BriefError
    from bot.render.outline import render_html, render_markdown
    from bot.render.outline_docx import render_docx

    if not 0 <= args.quiz <= 50:
        _error("--quiz phải nằm trong khoảng 0 đến 50.", None, False)
        return 2
    try:
        settings = get_settings()
        configure_logging(settings)
        _announce_build(settings, args.db)
        outline = BriefBuilder(QAService(settings, args.db)).build(args.topic, quiz=args.quiz, chapter=args.chapter)
        if args.format == "docx":
            output = args.output or Path(slug(outline.title) + ".docx")
            render_docx(outline, output, settings.brief_template)
            print(f"Đã ghi {output}")
            return 0
    except QcdcError as exc:
        _error(exc.for_user(), args.topic, False)
        return 1 if isinstance(exc, BriefError) else 2
    text = render_html(outline) if args.format == "html" else render_markdown(outline)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"Đã ghi {args.output}")
    else:
        _print(text, end="")
    return 0


def _serve_channel(
    args: argparse.Namespace,
    check_token: Callable[[BotSettings], object],
    *checks: Callable[[BotSettings], object],
    run: Callable[..., None],
) -> int:
    """A chat channel's service: settings, logs, the token checked before anything loads, then serve."""
    try:
        settings = get_settings()
        configure_logging(settings)
        logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))  # a service logs its work
        check_token(settings)  # before loading anything: a missing or refused token is the commonest mistake
        for check in checks:
            check(settings)
        _announce_build(settings, args.db)
        run(settings, args.db, args.webhook_url, args.listen, args.port)
    except QcdcError as exc:
        _error(exc.for_user(), None, False)
        return 2
    return 0


def cmd_telegram(args: argparse.Namespace) -> int:
    from bot.channels.telegram.app import check_token, run

    return _serve_channel(args, check_token, run=run)


def cmd_zalo(args: argparse.Namespace) -> int:
    from bot.channels.zalo.main import check_token, probe, run

    return _serve_channel(args, check_token, probe, run=run)


def cmd_web(args: argparse.Namespace) -> int:
    from bot.channels.web.main import run

    try:
        settings = get_settings()
        configure_logging(settings)
        logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))  # a service logs its work
        _announce_build(settings, args.db)
        run(settings, args.db, args.listen, args.port)
    except QcdcError as exc:
        _error(exc.for_user(), None, False)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        commands = {
            "ask": cmd_ask,
            "chat": cmd_chat,
            "sources": cmd_sources,
            "lookup": cmd_lookup,
            "brief": cmd_brief,
            "telegram": cmd_telegram,
            "zalo": cmd_zalo,
            "web": cmd_web,
            **cli_ops.COMMANDS,
        }
        return commands[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `python -m bot ask … | head`
        return 0
    except Exception as exc:
        log.debug("command failed", exc_info=True)
        _error(
            f"lỗi không mong đợi ({type(exc).__name__}: {str(exc)[:200]}); đặt LOG_LEVEL=DEBUG để xem chi tiết.",
            None,
            False,
        )
        return 2
