"""`python -m ingest [PATH ...] [--db DIR] [--rebuild]`: build or update the index."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from ingest.errors import QcdcError
from ingest.language.citations import parse_citations
from ingest.language.normalize import printable
from ingest.logs import configure_logging
from ingest.pipeline import ingest
from ingest.report import failure_line, unresolved_line
from ingest.settings import get_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description=(
            "Build or update the index from the corpus folder (CORPUS_DIR) and any files or "
            "folders given. Unchanged documents are skipped. "
            "`python -m ingest citations [--json]` parses document citations in standard input instead."
        ),
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="extra Markdown files or folders")
    parser.add_argument("--db", type=Path, help="index folder (default: CHROMA_PATH, else data/chroma)")
    parser.add_argument("--rebuild", action="store_true", help="re-embed everything into a fresh index")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def citations_main(argv: list[str]) -> int:
    """`python -m ingest citations [--json]`: the document mentions in standard input."""
    parser = argparse.ArgumentParser(
        prog="python -m ingest citations",
        description="Print every document citation (type, number and symbol, date, issuer, term, subject) in the text on standard input.",
    )
    parser.add_argument("--json", action="store_true", help="a JSON list of objects")
    args = parser.parse_args(argv)
    data = sys.stdin.buffer.read()
    text = data.decode("utf-8", errors="replace")
    if "\ufffd" in text and "\ufffd".encode() not in data:
        print("cảnh báo: đầu vào không phải UTF-8 hợp lệ; các byte lỗi đã được thay bằng �", file=sys.stderr)
    cites = parse_citations(text)
    if args.json:
        print(json.dumps([c.to_json() for c in cites], ensure_ascii=False, indent=1))
        return 0
    for c in cites:
        facts = [c.type or "?", c.ref, c.date or "-"]
        if c.issuer:
            facts.append(f"của {c.issuer}" + (f" (khóa {c.term})" if c.term else ""))
        if c.subject:
            facts.append(f"về {c.subject}")
        print(f"{c.start}-{c.end}\t" + "\t".join(facts))
    if not cites:
        print("(không thấy trích dẫn văn bản nào)", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["citations"]:
        return citations_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
        configure_logging(settings)
        report = ingest(
            settings,
            args.paths,
            db=args.db,
            rebuild=args.rebuild,
            progress=not args.quiet and sys.stderr.isatty(),
        )
    except QcdcError as exc:
        logging.getLogger(__name__).info("ingestion stopped: %s", exc)  # the English detail and hint
        print(printable(f"lỗi: {exc.for_user()}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("đã dừng: chỉ mục vẫn phục vụ bản đầy đủ gần nhất", file=sys.stderr)
        return 130
    except Exception as exc:
        logging.getLogger(__name__).debug("ingestion failed", exc_info=True)
        print(
            f"lỗi: cập nhật chỉ mục thất bại ({type(exc).__name__}: {printable(str(exc))[:300]}); "
            "chỉ mục vẫn phục vụ bản đầy đủ gần nhất (LOG_LEVEL=DEBUG cho biết chi tiết)",
            file=sys.stderr,
        )
        return 2
    for mention in report.unresolved:
        print(unresolved_line(mention))
    for path, reason in report.failures:
        print(failure_line(path, reason), file=sys.stderr)
    print(report.summary())
    return 1 if report.failures else 0
