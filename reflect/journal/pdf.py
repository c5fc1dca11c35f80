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

Optionally a page of trend charts comes first: each dimension's period values over the range,
drawn with ReportLab's own vector graphics in black and grey with marker shapes (readable
without colour). The values are the trends page's: ``trend_charts`` hands the pooled rows to
``reflect.trends.series.build_periods``; periods with too little writing are left out and
counted under each chart.
"""

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from reportlab.graphics.shapes import Drawing, Line, PolyLine, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
    XPreformatted,
)

from reflect.framing import DIMENSIONS
from reflect.framing.dimensions import REGISTRY, Dimension
from reflect.trends import series as trends

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
        "chart_note": ParagraphStyle("chart_note", parent=body, fontSize=7.5, leading=9.5,
                                     spaceAfter=0, textColor=colors.HexColor("#4b5563")),
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


# Trend charts --------------------------------------------------------------------------

# A range up to about six months is charted by week, a longer one by month (a week chart of
# a year would have 52 points in 8 cm).
WEEKS_UP_TO_DAYS = 186
_MARKERS = ("FilledCircle", "FilledSquare", "FilledDiamond", "FilledTriangle", "Circle",
            "Square", "Diamond")
_INK, _GREY, _LIGHT = colors.black, colors.HexColor("#6b7280"), colors.HexColor("#c4c8cf")
_CHART_W, _CHART_H = 78 * mm, 35 * mm
_PLOT_LEFT, _PLOT_BOTTOM, _PLOT_TOP = 24 * mm, 8 * mm, 28 * mm
_CELL_W = 80.5 * mm  # two cells fill the frame (A4 less margins and the frame's padding)


@dataclass(frozen=True)
class TrendChart:
    """One dimension's periods over the export's range, as the trends page computes them."""

    dimension: Dimension
    periods: list[trends.PeriodValue]

    @property
    def drawn(self) -> list[trends.PeriodValue]:
        """The periods with enough writing: the only ones with a point."""
        return [p for p in self.periods if p.sufficient]


def chart_unit(first: date, last: date) -> str:
    return "week" if (last - first).days <= WEEKS_UP_TO_DAYS else "month"


def chart_span(first: date, last: date) -> tuple[str, date, date]:
    """(unit, first day, last day) of the whole periods that hold the range: a period is
    pooled whole, as on the trends page, so its value there and here is the same."""
    unit = chart_unit(first, last)
    return unit, trends.period_start(first, unit), trends.period_end(
        trends.period_start(last, unit), unit)


def trend_charts(rows, unit: str, first: date, last: date) -> tuple[str, list[TrendChart]]:
    """The charts' data from the pooled rows per period (``Framing...pooled_by``, keyed by
    period start) for the periods of ``first``..``last``: the trends module's own values."""
    starts = trends.period_starts(first, last, unit)
    return unit, [
        TrendChart(REGISTRY[key], trends.build_periods(key, rows, starts, unit))
        for key in DIMENSIONS
    ]


def _chart_drawing(chart: TrendChart, marker: str, fonts: dict[str, str]) -> Drawing:
    """A small vector line chart: the dimension's poles on the y axis, periods on the x axis,
    a marker per period with enough writing, lines only between neighbouring periods."""
    dimension, periods = chart.dimension, chart.periods
    drawing = Drawing(_CHART_W, _CHART_H)
    left, right = _PLOT_LEFT, _CHART_W - 3 * mm
    low, high = dimension.y_min, dimension.y_max

    def x(index: int) -> float:
        return left + (right - left) * (index + 0.5) / max(len(periods), 1)

    def y(value: float) -> float:
        value = min(max(value, low), high)
        return _PLOT_BOTTOM + (_PLOT_TOP - _PLOT_BOTTOM) * (value - low) / (high - low)

    drawing.add(String(0, _CHART_H - 4 * mm, dimension.name, fontName=fonts["bold"],
                       fontSize=9, fillColor=_INK))
    drawing.add(Line(left, _PLOT_BOTTOM, left, _PLOT_TOP, strokeColor=_GREY, strokeWidth=0.6))
    drawing.add(Line(left, _PLOT_BOTTOM, right, _PLOT_BOTTOM, strokeColor=_GREY,
                     strokeWidth=0.6))
    if low < 0 < high:
        drawing.add(Line(left, y(0), right, y(0), strokeColor=_LIGHT, strokeWidth=0.5,
                         strokeDashArray=[2, 2]))
    bottom_pole = dimension.poles[0] or f"no {dimension.poles[1]}"
    for value, text in ((high, dimension.poles[1]), (low, bottom_pole)):
        drawing.add(String(left - 1.5 * mm, y(value) - 2.2, text, fontName=fonts["body"],
                           fontSize=7, fillColor=_GREY, textAnchor="end"))
    step = max(1, -(-len(periods) // 5))  # at most five labels
    for period in periods[::step]:
        drawing.add(Line(x(period.index), _PLOT_BOTTOM, x(period.index), _PLOT_BOTTOM - 1.2 * mm,
                         strokeColor=_GREY, strokeWidth=0.5))
        drawing.add(String(x(period.index), _PLOT_BOTTOM - 4.5 * mm, period.label,
                           fontName=fonts["body"], fontSize=6.5, fillColor=_GREY,
                           textAnchor="middle"))
    drawn = chart.drawn
    for before, after in zip(drawn, drawn[1:], strict=False):
        if after.index == before.index + 1:
            drawing.add(PolyLine([x(before.index), y(before.value), x(after.index),
                                  y(after.value)], strokeColor=_INK, strokeWidth=0.9))
    for period in drawn:
        point = makeMarker(marker, x=x(period.index), y=y(period.value), size=4.2,
                           fillColor=_INK, strokeColor=_INK, strokeWidth=0.6)
        drawing.add(point)
    return drawing


def _chart_note(chart: TrendChart, unit: str) -> str:
    left_out = len(chart.periods) - len(chart.drawn)
    name = unit if len(chart.periods) == 1 else f"{unit}s"
    if not chart.drawn:
        return f"Too little writing in any {unit} to show a point."
    if not left_out:
        return f"All {len(chart.periods)} {name} shown."
    return (f"{left_out} of {len(chart.periods)} {name} left out: too little writing "
            f"(under {trends.RULE.min_words} words or {trends.RULE.min_cues} cues).")


def _chart_cell(chart: TrendChart, unit: str, marker: str, styles, fonts) -> list:
    return [_chart_drawing(chart, marker, fonts), Paragraph(escape(_chart_note(chart, unit)),
                                                          styles["chart_note"])]


def chart_flowables(unit: str, charts: list[TrendChart], styles, fonts) -> list:
    """One page: the framing dimensions two by two, then the feelings apart, then a break."""
    framing = [c for c in charts if not c.dimension.is_feeling]
    feelings = [c for c in charts if c.dimension.is_feeling]
    cells = [_chart_cell(c, unit, _MARKERS[i % len(_MARKERS)], styles, fonts)
             for i, c in enumerate(framing)]
    if len(cells) % 2:
        cells.append("")
    grid = Table([cells[i:i + 2] for i in range(0, len(cells), 2)],
                 colWidths=[_CELL_W] * 2)
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    by = "week (Monday to Sunday)" if unit == "week" else "month"
    story = [
        Paragraph("Trends over these dates", styles["heading"]),
        Paragraph(escape(
            f"How your writing framed your leadership, by {by}, as on the trends page. Each "
            f"{unit} counts whole, so the first and last may hold a few days outside these "
            "dates. A point is left out when its "
            f"{unit} had too little writing to read."), styles["meta"]),
        grid,
    ]
    for chart in feelings:
        story.append(KeepTogether([
            Paragraph("Feelings in your words", styles["heading"]),
            Table([[_chart_cell(chart, unit, "FilledCircle", styles, fonts), ""]],
                  colWidths=[_CELL_W] * 2, style=[("LEFTPADDING", (0, 0), (-1, -1), 0)]),
        ]))
    return [*story, PageBreak()]


def build_pdf(user, entries, *, scope_text: str, highlights: bool,
              charts: tuple[str, list[TrendChart]] | None = None) -> bytes:
    """The PDF of `entries` (the person's own, already filtered and ordered), after a page
    of `charts` (unit, charts) when given."""
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
    if charts is not None:
        story += chart_flowables(*charts, styles, fonts)
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
