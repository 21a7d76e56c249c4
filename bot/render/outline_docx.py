"""A lecture outline as a Word file in the format Nghị định 30/2020/NĐ-CP sets for
administrative documents: A4; margins top and bottom 20 mm, left 30 mm, right 15 mm;
Times New Roman, 14 pt body; page numbers centred in the top margin from page 2;
headings black and bold; quotations indented, upright, with their reference number.

A unit's own template (`BRIEF_TEMPLATE`, a .docx) replaces all of that: its page setup,
styles and headers are kept and only its body is replaced.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO, Any

from bot.outlines.outline import Outline
from bot.render.outline import outline_blocks
from ingest import QcdcError
from ingest.language.normalize import clean_text

log = logging.getLogger(__name__)

FONT = "Times New Roman"
BODY_PT = 14
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}


class TemplateError(QcdcError):
    """The unit's Word template cannot be opened."""


def render_docx(outline: Outline, path: str | Path | IO[bytes], template: Path | None = None) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    if template is not None:
        try:
            document = docx.Document(str(template))
        except Exception as exc:  # python-docx raises several types for a file that is not a .docx
            raise TemplateError(
                f"cannot open template {template}: {exc}",
                user_message=f"Không mở được mẫu Word “{template}” (BRIEF_TEMPLATE); hãy kiểm tra tệp.",
            ) from exc
        _clear_body(document)
    else:
        document = docx.Document()
        _official_format(document)
    document.core_properties.title = clean_text(f"Đề cương bài giảng: {outline.title}")
    document.core_properties.author = "Trợ lý QCDC"

    def paragraph(text: str = "", style: str | None = None, **fmt: Any) -> Any:
        p = document.add_paragraph(style=_style(document, style))
        if text:
            p.add_run(clean_text(text))  # Word's XML cannot hold control characters
        for name, value in fmt.items():
            setattr(p.paragraph_format, name, value)
        return p

    for b in outline_blocks(outline):
        if b.kind == "title":
            p = paragraph(alignment=WD_ALIGN_PARAGRAPH.CENTER, space_before=Pt(12))
            p.add_run(b.text).bold = True
        elif b.kind == "subtitle":
            p = paragraph(alignment=WD_ALIGN_PARAGRAPH.CENTER)
            p.add_run(clean_text(b.text.upper())).bold = True
        elif b.kind in ("notice", "quiz_note"):
            p = paragraph(alignment=WD_ALIGN_PARAGRAPH.CENTER if b.kind == "notice" else None)
            p.add_run(clean_text(b.text)).italic = True
        elif b.kind == "note":
            p = paragraph()
            p.add_run("Lưu ý: ").bold = True
            p.add_run(clean_text(b.text))
        elif b.kind == "part":
            _heading(document, f"{b.label} {b.text}".strip(), 1)
        elif b.kind in ("section", "subpart"):
            _heading(document, f"{b.label} {b.text}".strip(), 2)
        elif b.kind == "point":
            _heading(document, f"{b.label} {b.text}", 3)
        elif b.kind == "group":
            p = paragraph()
            run = p.add_run(clean_text(b.text))
            run.bold = run.italic = True
        elif b.kind == "quote":
            p = paragraph(b.text, left_indent=Cm(1), alignment=WD_ALIGN_PARAGRAPH.JUSTIFY)
            p.add_run(f" {b.mark}")
        elif b.kind == "question":
            p = paragraph(alignment=WD_ALIGN_PARAGRAPH.JUSTIFY)
            p.add_run(f"{b.label} ").bold = True
            p.add_run(clean_text(b.text))
        elif b.kind == "choice":
            paragraph(f"{b.label} {b.text}", left_indent=Cm(1), space_after=Pt(0))
        elif b.kind == "answer":
            p = paragraph(left_indent=Cm(1))
            p.add_run(clean_text(b.text)).italic = True
            p.add_run(f" {b.mark}")
        elif b.kind in ("reference", "discussion", "line") and b.label:
            paragraph(f"{b.label} {b.text}", left_indent=Cm(0.75), first_line_indent=Cm(-0.75))
        elif b.kind == "line":
            paragraph(f"– {b.text}", left_indent=Cm(0.5))
        else:
            paragraph(b.text, alignment=WD_ALIGN_PARAGRAPH.JUSTIFY)
    document.save(path if not isinstance(path, Path) else str(path))


def _official_format(document: Any) -> None:
    from docx.shared import Mm, Pt, RGBColor

    for section in document.sections:
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.header_distance = Mm(10)
        section.different_first_page_header_footer = True  # no number on the first page
        _page_number(section.header.paragraphs[0])
    normal = document.styles["Normal"]
    _set_font(normal, BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[name]
        _set_font(style, BODY_PT)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(6)


def _set_font(style: Any, size: int) -> None:
    """Times New Roman for every script: the default template's theme fonts (which win over a
    named font) are removed, so Vietnamese letters do not fall back to Calibri."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = FONT
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _page_number(paragraph: Any) -> None:
    """A PAGE field, centred: Word and LibreOffice fill it in on every page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            element = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            element.text = text
        run._r.append(element)


def _heading(document: Any, text: str, level: int) -> None:
    name = f"Heading {level}"
    if _style(document, name):
        document.add_paragraph(clean_text(text), style=name)
    else:  # a template without heading styles
        document.add_paragraph().add_run(clean_text(text)).bold = True


def _style(document: Any, name: str | None) -> str | None:
    if name is None:
        return None
    try:
        document.styles[name]
    except KeyError:
        return None
    return name


def _clear_body(document: Any) -> None:
    """A template's body is replaced; its last section properties (page setup, headers) stay."""
    from docx.oxml.ns import qn

    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
