"""Draw Reflect's app icons (static/icons/*.png) once, with Pillow; the PNGs are committed.

    .venv/bin/python deploy/make_icons.py

The mark: a ring (reflection) over a line (writing), white on the site's accent green. The
maskable icon fills its square and keeps the mark inside the central safe circle (40% radius),
so a phone's mask of any shape never cuts it.
"""

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = (0x2F, 0x5D, 0x50, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def draw_mark(draw: ImageDraw.ImageDraw, size: int, scale: float) -> None:
    """The ring and the line, centred, `scale` of the square wide."""
    c, w = size / 2, size * scale
    ring = w * 0.36
    stroke = max(2, round(w * 0.09))
    top = c - w * 0.42
    draw.ellipse((c - ring, top, c + ring, top + 2 * ring), outline=WHITE, width=stroke)
    line_y = top + 2 * ring + w * 0.16
    draw.rounded_rectangle(
        (c - w * 0.42, line_y, c + w * 0.42, line_y + stroke), radius=stroke / 2, fill=WHITE
    )


def icon(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, size, size), fill=ACCENT)
        draw_mark(draw, size, 0.56)
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size * 0.18, fill=ACCENT)
        draw_mark(draw, size, 0.72)
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    icon(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
