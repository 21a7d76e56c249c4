"""An answer as a Word file (python-docx): the answer itself in bold first, quotations
indented with their source numbers, the cited sources numbered at the end."""

from __future__ import annotations

from pathlib import Path

from bot import wording
from bot.answering.answer import Answer
from bot.render.text import blocks, numbers, source_groups
from ingest.language.normalize import clean_text


def answer_docx(answer: Answer, path: Path) -> None:
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    document.add_heading(clean_text(answer.question), level=1)
    for b in blocks(answer):
        text = clean_text(b.text)  # Word's XML cannot hold control characters
        if b.kind == "short":
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{wording.SHORT_ANSWER}: {text}").bold = True
            paragraph.add_run(f" [{b.n}]")
        elif b.kind == "card":
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{wording.CARD}: ").bold = True
            paragraph.add_run(text + ".")
        elif b.kind in ("relation", "candidate"):
            document.add_paragraph(text, style="List Bullet")
        elif b.kind in ("according", "list", "suggestion"):
            document.add_paragraph().add_run(text).italic = True
        elif b.kind == "quote":
            paragraph = document.add_paragraph(f"{text} [{b.n}]")
            paragraph.paragraph_format.left_indent = Cm(1)
        else:
            document.add_paragraph(text)
    if answer.sources:
        document.add_heading(wording.SOURCES, level=2)
        for group in source_groups(answer.sources):
            document.add_paragraph(clean_text(f"{numbers(group)} {wording.source_line(group[0])}"))
        if answer.related:
            document.add_paragraph(wording.related(answer.related)).runs[0].italic = True
    document.save(str(path))
