"""The administrator's commands: `python -m bot health | feedback | gaps | stats`.

They read the journal (FEEDBACK_DB, else feedback.sqlite3 beside the index) while the bot
runs: SQLite's WAL lets a reader in beside the writer.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.operations.journal import Journal, JournalError, parse_day
from bot.settings import BotSettings, feedback_path, get_settings
from ingest import QcdcError
from ingest.language.normalize import clean_text
from ingest.logs import configure_logging

if TYPE_CHECKING:
    from bot.operations.gaps import Topic

_DB_HELP = "index folder (default: CHROMA_PATH); the journal is beside it unless FEEDBACK_DB is set"


def add_commands(commands: Any) -> None:
    """The subcommands, on `python -m bot`'s parser."""
    health = commands.add_parser("health", help="check the index, the model, the feedback database, the Bot API")
    health.add_argument("--db", type=Path, help=_DB_HELP)
    feedback = commands.add_parser("feedback", help="export the feedback on answers (CSV or JSON lines)")
    feedback.add_argument("--since", metavar="DATE", help="only from this day on (YYYY-MM-DD)")
    feedback.add_argument("--format", choices=("csv", "json"), default="csv", help="CSV (default) or JSON lines")
    feedback.add_argument("--negative", action="store_true", help="only 👎")
    feedback.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    feedback.add_argument("--db", type=Path, help=_DB_HELP)
    gaps = commands.add_parser("gaps", help="what the library is missing: documents asked for, unanswered topics")
    gaps.add_argument("--since", metavar="DATE", help="only from this day on (YYYY-MM-DD)")
    gaps.add_argument("--json", action="store_true", help="one JSON object")
    gaps.add_argument("--db", type=Path, help=_DB_HELP)
    stats = commands.add_parser("stats", help="questions answered and not, feedback, per week")
    stats.add_argument("--db", type=Path, help=_DB_HELP)


def _settings() -> BotSettings:
    settings = get_settings()
    configure_logging(settings)
    return settings


def _journal(settings: BotSettings, db: Path | None) -> Journal:
    path = feedback_path(settings, db)
    if not path.exists():
        raise JournalError(
            f"no feedback database at {path}",
            user_message=f"chưa có cơ sở dữ liệu phản hồi ở {path} (bot tạo khi chạy; FEEDBACK_DB đặt chỗ khác).",
        )
    return Journal(path, repair=False)


def _since(text: str | None) -> datetime | None:
    return parse_day(text) if text else None


def _fail(exc: QcdcError) -> int:
    print(f"Lỗi: {exc.for_user()}", file=sys.stderr)
    return 2


def cmd_health(args: argparse.Namespace) -> int:
    from bot.channels.telegram.health import check_bot_api  # python-telegram-bot loads only for this command
    from bot.operations.health import run_checks

    try:
        settings = _settings()
    except QcdcError as exc:
        print(f"LỖI  Cấu hình: {exc.for_user()}")
        return 1
    checks = [*run_checks(settings, args.db), check_bot_api(settings)]
    for check in checks:
        print(clean_text(check.line()), flush=True)
    return 1 if any(c.ok is False for c in checks) else 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from bot.operations.reports import write_feedback

    try:
        settings = _settings()
        entries = _journal(settings, args.db).feedback(since=_since(args.since), negative=args.negative)
    except QcdcError as exc:
        return _fail(exc)
    if args.output:
        with args.output.open("w", encoding="utf-8", newline="") as stream:
            write_feedback(entries, stream, args.format)
        print(f"Đã ghi {len(entries)} phản hồi vào {args.output}", file=sys.stderr)
    else:  # UTF-8 whatever the locale (systemd-run's may be C), and no newline translation inside CSV
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
        try:
            write_feedback(entries, stream, args.format)
        finally:
            stream.detach()  # leave sys.stdout open
    return 0


def cmd_gaps(args: argparse.Namespace) -> int:
    from bot.operations.gaps import gap_report
    from bot.operations.reports import gaps_report

    try:
        settings = _settings()
        report = gap_report(_journal(settings, args.db), _since(args.since))
    except QcdcError as exc:
        return _fail(exc)
    if args.json:
        data = {
            "documents": [asdict(d) for d in report.documents],
            "topics": [_topic_json(t) for t in report.topics],
            "questions": report.questions,
            "wrong": [_topic_json(t) | {"comments": t.comments} for t in report.wrong],
            "wrong_questions": report.wrong_questions,
        }
        print(json.dumps(data, ensure_ascii=False, default=str, indent=1))
    else:
        print(clean_text(gaps_report(report).text()))
    return 0


def _topic_json(t: Topic) -> dict[str, Any]:
    return {
        "question": t.question,
        "asked": t.asked,
        "users": len(t.users),
        "last": t.last,
        "variants": t.variants(),
        "words": sorted(t.words),
    }


def cmd_stats(args: argparse.Namespace) -> int:
    from bot.operations.reports import stats_report

    try:
        settings = _settings()
        stats = _journal(settings, args.db).stats()
    except QcdcError as exc:
        return _fail(exc)
    print(clean_text(stats_report(stats).text()))
    return 0


COMMANDS = {"health": cmd_health, "feedback": cmd_feedback, "gaps": cmd_gaps, "stats": cmd_stats}
