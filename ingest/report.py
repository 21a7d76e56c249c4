"""What an ingestion tells its operator: the counts (`IngestReport`) and the lines
`python -m ingest` prints, in Vietnamese, the administrators' language (HUONG_DAN.md).

The `ingestion` log event (ingest.logs) keeps its English keys for the machines
that read it; these lines are for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.language.normalize import printable
from ingest.registry import Mention


@dataclass
class IngestReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks_embedded: int = 0
    chunks_total: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    directives: int = 0
    unresolved: list[Mention] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, the reason in Vietnamese)
    skipped: int = 0  # files in scanned folders that are not documents (README, images, …)
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (path, key) of front matter not used

    def summary(self) -> str:
        """One line: "tài liệu: 2 mới, 0 thay đổi, 5 không đổi, 0 đã gỡ; đoạn: …"."""
        seconds = f"{self.seconds:.1f}".replace(".", ",")  # the Vietnamese decimal comma
        text = (
            f"tài liệu: {self.new} mới, {self.changed} thay đổi, {self.unchanged} không đổi, "
            f"{self.removed} đã gỡ; đoạn: {self.chunks_embedded} vừa nhúng, "
            f"{self.chunks_total} trong chỉ mục; {seconds} giây"
        )
        text += f"; văn bản được trích dẫn: {self.directives} ({len(self.unresolved)} lượt nhắc chưa xác định)"
        if self.skipped:
            text += f"; bỏ qua {self.skipped} tệp không phải tài liệu"
        if self.ignored:
            keys = sorted({key for _, key in self.ignored})
            text += f"; khóa đầu tệp không dùng: {', '.join(keys)}"
        if self.failures:
            text += f"; {len(self.failures)} tệp lỗi"
        return text


def failure_line(path: str, reason: str) -> str:
    """A file that was not read: its path once, then why."""
    return printable(f"tệp lỗi: {path}: {reason}")


def unresolved_line(mention: Mention) -> str:
    """A short-form mention the library could not tie to a document ("Chỉ thị 99")."""
    return printable(f"chưa xác định: {mention.doc_id}: “{mention.text}” trong “{mention.sentence[:120]}”")
