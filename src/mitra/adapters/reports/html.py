"""The clinician report as one self-contained HTML page (inline CSS, inline SVG, no external
asset), rendered from `templates/report.html`; the same HTML is previewed on the web and printed
to PDF. Templates live in this package (`mitra.adapters.reports:templates`), not in the web
templates folder, because the report is an adapter output used by the CLI as well as the web."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from mitra.adapters.reports.model import FOOTER, SECTIONS, Line, Report
from mitra.domain.dialing import Segment, segments


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("mitra.adapters.reports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals |= {"SECTIONS": SECTIONS, "FOOTER": FOOTER, "aligned": aligned, "counted": counted}
    env.filters["phone_links"] = lambda text, only: dial_markup(segments(text, only=only))
    return env


def dial_markup(found: Sequence[Segment], css: str = "") -> Markup:
    """Segments of text as HTML: numbers as `tel:`/`sms:` links (with `css` as their class),
    everything else escaped. The web pages use it too."""
    cls = Markup(' class="{}"').format(css) if css else Markup("")
    return Markup("").join(
        Markup('<a href="{}"{}>{}</a>').format(s.href, cls, s.text) if s.is_link else escape(s.text)
        for s in found
    )


def aligned(headers: Sequence[str], lines: Sequence[Line]) -> list[str]:
    """A table as fixed-width text lines (header, rule, rows): long appendix tables print fast
    and stay readable in the PDF and the preview alike."""
    rows = [tuple(headers), *(line.cells for line in lines)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers))]

    def text(row: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()

    return [text(rows[0]), "  ".join("-" * w for w in widths), *(text(row) for row in rows[1:])]


def counted(lines: Sequence[Line]) -> list[str]:
    """'severity: title' for alert lines, with a count where one repeats: 'caution: X (3)'."""
    counts = Counter(f"{line.cells[0]}: {line.cells[1]}" for line in lines)
    return [f"{text} ({n})" if n > 1 else text for text, n in counts.items()]


def render(report: Report) -> str:
    generated = report.generated_at.astimezone(ZoneInfo(report.tz)).strftime("%Y-%m-%d %H:%M %Z")
    return environment().get_template("report.html").render(r=report, generated=generated)
