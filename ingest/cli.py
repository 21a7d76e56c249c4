"""`python -m ingest [PATH ...] [--db DIR] [--rebuild]`: build or update the index."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ingest.errors import QcdcError
from ingest.pipeline import ingest
from ingest.settings import Settings, get_settings


def configure_logging(settings: Settings) -> None:
    """Logs go to stderr; chatty libraries are turned down."""
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers", "urllib3", "bm25s"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description=(
            "Build or update the index from the corpus folder (CORPUS_DIR) and any files or "
            "folders given. Unchanged documents are skipped."
        ),
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="extra Markdown files or folders")
    parser.add_argument("--db", type=Path, help="index folder (default: CHROMA_PATH, else data/chroma)")
    parser.add_argument("--rebuild", action="store_true", help="re-embed everything into a fresh index")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
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
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the index still serves its last complete state", file=sys.stderr)
        return 130
    for path, reason in report.failures:
        print(f"failed: {path}: {reason}", file=sys.stderr)
    print(report.summary())
    return 1 if report.failures else 0
