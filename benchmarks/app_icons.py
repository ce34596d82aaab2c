"""The web app's home-screen icons (`make icons`): Mitra's (a leaf on green) and discreet mode's
neutral one (lines of a notebook on grey), as SVG and as 192 and 512 px PNGs (Pillow), into
src/mitra/interfaces/web/static/icons. Drawn from the same few shapes so SVG and PNG agree."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "src/mitra/interfaces/web/static/icons"
ICONS = {"mitra": "#0b5f4a", "neutral": "#4a5560"}


def svg(name: str, colour: str) -> str:
    if name == "mitra":
        mark = (
            '<path d="M256 96 C160 176 144 288 256 416 C368 288 352 176 256 96 Z" fill="#fff"/>'
            '<path d="M256 150 L256 380" stroke="#0b5f4a" stroke-width="14"/>'
        )
    else:
        mark = "".join(
            f'<rect x="136" y="{y}" width="240" height="28" rx="14" fill="#fff"/>'
            for y in (150, 230, 310)
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        f'<rect width="512" height="512" rx="96" fill="{colour}"/>{mark}</svg>\n'
    )


def png(name: str, colour: str, size: int) -> Image.Image:
    scale = size / 512
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=int(96 * scale), fill=colour)
    if name == "mitra":
        leaf = [(256, 96), (170, 200), (175, 300), (256, 416), (337, 300), (342, 200)]
        draw.polygon([(x * scale, y * scale) for x, y in leaf], fill="#ffffff")
        draw.line(
            (256 * scale, 150 * scale, 256 * scale, 380 * scale),
            fill=colour,
            width=max(2, int(14 * scale)),
        )
    else:
        for y in (150, 230, 310):
            box = (136 * scale, y * scale, 376 * scale, (y + 28) * scale)
            draw.rounded_rectangle(box, radius=int(14 * scale), fill="#ffffff")
    return image


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, colour in ICONS.items():
        (OUT / f"{name}.svg").write_text(svg(name, colour), encoding="utf-8")
        for size in (192, 512):
            png(name, colour, size).save(OUT / f"{name}-{size}.png", optimize=True)
    print(f"Wrote icons into {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
