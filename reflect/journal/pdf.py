"""A journal, or part of it, as a PDF to print or to hand to someone (a coach, a therapist).

Made with ReportLab's page layout (platypus), not a browser's print: the server lays out A4
pages itself, with the person's words, each entry's date, prompt, mood and tags, and
optionally the framing highlights (the phrases behind the reading, by dimension). Fonts are
TrueType fonts embedded in the file (ReportLab embeds the subset used): DejaVu Sans and Serif
when the system has them (Debian's fonts-dejavu-core; PDF_FONT_DIR elsewhere), else the
Bitstream Vera fonts ReportLab ships with, which cover Western European text.

The Markdown of an entry is laid out line by line (headings, lists, quotes, code, paragraphs,
**strong** and *emphasis*), in linear time: no Markdown parser runs here, so no text can
make an export slow. Only live entries are printed (no drafts, nothing from the trash).
"""

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    XPreformatted,
)

from reflect.framing.dimensions import REGISTRY

# (name, file) of the regular, bold, italic and monospaced faces, first choice first.
_FACES = {
    "body": ["DejaVuSerif.ttf", "DejaVuSans.ttf", "Vera.ttf"],
    "bold": ["DejaVuSans-Bold.ttf", "VeraBd.ttf"],
    "italic": ["DejaVuSerif-Italic.ttf", "DejaVuSans-Oblique.ttf", "VeraIt.ttf"],
    "mono": ["DejaVuSansMono.ttf", "VeraMono.ttf", "Vera.ttf"],
}
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|(\d{1,9})[.)])\s+")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def _font_dirs() -> list[Path]:
    import reportlab

    return [Path(settings.PDF_FONT_DIR), Path(reportlab.__file__).parent / "fonts"]


def _register_fonts() -> dict[str, str]:
    """Register the first available file of each face; returns face -> font name."""
    names = {}
    for face, files in _FACES.items():
        for file in files:
            path = next((d / file for d in _font_dirs() if (d / file).is_file()), None)
            if path is not None:
                name = f"Reflect-{path.stem}"
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(name, str(path)))
                names[face] = name
                break
    return names


def _styles(fonts: dict[str, str]) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=fonts["body"], bulletFontName=fonts["body"],
                          fontSize=11, leading=16,
                          spaceAfter=6, textColor=colors.HexColor("#1f2328"))
    return {
        "title": ParagraphStyle("title", parent=body, fontName=fonts["bold"], fontSize=20,
                                leading=26, spaceAfter=4),
        "meta": ParagraphStyle("meta", parent=body, fontSize=9.5, leading=13,
                               textColor=colors.HexColor("#4b5563")),
        "date": ParagraphStyle("date", parent=body, fontName=fonts["bold"], fontSize=13,
                               leading=18, spaceBefore=14, spaceAfter=2),
        "prompt": ParagraphStyle("prompt", parent=body, fontName=fonts["italic"],
                                 textColor=colors.HexColor("#2f5d50"), spaceAfter=4),
        "heading": ParagraphStyle("heading", parent=body, fontName=fonts["bold"],
                                  fontSize=12, spaceBefore=4),
        "body": body,
        "item": ParagraphStyle("item", parent=body, leftIndent=14, bulletIndent=2,
                               spaceAfter=2),
        "quote": ParagraphStyle("quote", parent=body, leftIndent=14, fontName=fonts["italic"],
                                textColor=colors.HexColor("#4b5563")),
        "code": ParagraphStyle("code", parent=body, fontName=fonts["mono"], fontSize=9,
                               leading=12, leftIndent=8),
        "cues": ParagraphStyle("cues", parent=body, fontSize=9.5, leading=13, leftIndent=8,
                               textColor=colors.HexColor("#4b5563")),
    }


def _inline(text: str, fonts: dict[str, str]) -> str:
    """One line of Markdown as ReportLab's paragraph markup: escaped, strong and emphasis."""
    html = escape(text)
    html = _STRONG.sub(lambda m: f'<font name="{fonts["bold"]}">{m.group(1)}</font>', html)
    return _EMPHASIS.sub(lambda m: f'<font name="{fonts["italic"]}">{m.group(1)}</font>', html)


def body_flowables(body: str, styles, fonts) -> list:
    """An entry's Markdown, block by block, as flowables."""
    out, paragraph, code = [], [], None

    def flush():
        if paragraph:
            out.append(Paragraph(" ".join(_inline(line, fonts) for line in paragraph),
                                 styles["body"]))
            paragraph.clear()

    for line in body.replace("\r\n", "\n").split("\n"):
        if code is not None:
            if line.lstrip().startswith(("```", "~~~")):
                out.append(XPreformatted(escape("\n".join(code)), styles["code"]))
                code = None
            else:
                code.append(line)
            continue
        if line.lstrip().startswith(("```", "~~~")):
            flush()
            code = []
        elif not line.strip():
            flush()
        elif heading := _HEADING.match(line):
            flush()
            out.append(Paragraph(_inline(heading.group(2), fonts), styles["heading"]))
        elif item := _LIST_ITEM.match(line):
            flush()
            bullet = f"{item.group(1)}." if item.group(1) else "•"
            out.append(Paragraph(_inline(line[item.end():], fonts), styles["item"],
                                 bulletText=bullet))
        elif line.lstrip().startswith(">"):
            flush()
            out.append(Paragraph(_inline(line.lstrip()[1:].strip(), fonts), styles["quote"]))
        else:
            paragraph.append(line.strip())
    flush()
    if code is not None:
        out.append(XPreformatted(escape("\n".join(code)), styles["code"]))
    return out


def _highlights(entry, styles) -> list:
    """The framing phrases of one entry, by dimension, in the registry's names."""
    by_dimension: dict[str, list[str]] = {}
    for cue in entry.cues.all():
        dimension = REGISTRY.get(cue.dimension)
        if dimension is None:
            continue
        pole = dimension.poles[1] if cue.pole > 0 else dimension.poles[0] or "less"
        by_dimension.setdefault(dimension.name, []).append(f"“{cue.phrase}” ({pole})")
    return [
        Paragraph(f"{escape(name)}: {escape(', '.join(phrases))}", styles["cues"])
        for name, phrases in by_dimension.items()
    ]


def build_pdf(user, entries, *, scope_text: str, highlights: bool) -> bytes:
    """The PDF of `entries` (the person's own, already filtered and ordered)."""
    fonts = _register_fonts()
    styles = _styles(fonts)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm,
        bottomMargin=20 * mm, initialFontName=fonts["body"], creator="Reflect",
        title=f"Reflect journal of {user.display_name or user.email}",
        author=user.display_name or user.email,
    )
    made = date_format(timezone.localtime(timezone.now(), user.tz).date(), "j F Y")
    story = [
        Paragraph(escape(f"Reflect journal of {user.display_name or user.email}"),
                  styles["title"]),
        Paragraph(escape(f"{scope_text}. Made on {made}."), styles["meta"]),
        Spacer(1, 4 * mm),
    ]
    count = 0
    for entry in entries:
        count += 1
        head = [Paragraph(escape(date_format(entry.written_on, "l j F Y")), styles["date"])]
        if entry.prompt_id:
            head.append(Paragraph(escape(entry.prompt.text), styles["prompt"]))
        meta = []
        if entry.mood:
            meta.append(f"How the day felt: {entry.get_mood_display()} ({entry.mood} of 5)")
        tags = [tag.name for tag in entry.tags.all()]
        if tags:
            meta.append("Tags: " + " ".join(f"#{t}" for t in tags))
        if meta:
            head.append(Paragraph(escape(" · ".join(meta)), styles["meta"]))
        body = body_flowables(entry.body, styles, fonts)
        story.append(KeepTogether(head + body[:1]))
        story.extend(body[1:])
        if highlights:
            cues = _highlights(entry, styles)
            if cues:
                story.append(Paragraph("Framing highlights", styles["meta"]))
                story.extend(cues)
    if not count:
        story.append(Paragraph("No entries in this part of your journal.", styles["body"]))

    def number(canvas, doc):
        canvas.setFont(fonts["body"], 8.5)
        canvas.setFillColor(colors.HexColor("#4b5563"))
        canvas.drawRightString(A4[0] - 22 * mm, 12 * mm, f"{doc.page}")

    document.build(story, onFirstPage=number, onLaterPages=number)
    return buffer.getvalue()
