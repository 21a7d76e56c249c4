"""Logging for operators: readable text by default, one JSON object per line with LOG_FORMAT=json.

Events (an answer given, an ingestion finished) are logged with `event()`: a
name and flat fields. In text they read "answer found=true latency_ms=120 …";
in JSON each field is a key, so a log shipper (journald, Loki, ELK) can count
and filter them without parsing prose. The JSON formatter is written here
rather than taken from a package (python-json-logger) because it is a dozen
lines and must keep the token redaction the bot puts on every record.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from ingest.settings import Settings

EVENTS = "qcdc.events"  # the logger every event goes to
_NOISY = ("httpx", "chromadb", "sentence_transformers", "transformers", "urllib3", "bm25s", "tornado.access")
# File readers warn about every oddity of a broken file; the loader reports it in one line.
_READERS = ("pypdf", "trafilatura", "htmldate", "courlan", "docx")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, then the event's fields or the message."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "qcdc_fields", None)
        if isinstance(fields, dict):
            entry["event"] = getattr(record, "qcdc_event", record.getMessage())
            entry.update(fields)
        else:
            entry["message"] = record.getMessage()
        if record.exc_info and not record.exc_text:  # a redacting filter may have set exc_text already
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + "; ".join(str(v) for v in value) + "]"
    return str(value)


def event(name: str, **fields: Any) -> None:
    """Log one event (INFO, logger `qcdc.events`) with its fields."""
    text = " ".join(f"{key}={_text(value)}" for key, value in fields.items())
    logging.getLogger(EVENTS).info("%s %s", name, text, extra={"qcdc_event": name, "qcdc_fields": fields})


def configure_logging(settings: Settings) -> None:
    """Logs go to stderr, as text or JSON lines (LOG_FORMAT); chatty libraries are turned down.

    With LOG_FORMAT=json the events are logged whatever LOG_LEVEL says: asking
    for machine-readable logs is asking for them.
    """
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not root.handlers:  # as logging.basicConfig: the first configuration wins (tests configure their own)
        root.addHandler(handler)
        root.setLevel(settings.log_level)
    logging.getLogger(EVENTS).setLevel(logging.INFO if settings.log_format == "json" else logging.NOTSET)
    for noisy in _NOISY:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    for reader in _READERS:
        logging.getLogger(reader).setLevel(logging.ERROR)
