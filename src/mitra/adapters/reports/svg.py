"""A tiny SVG builder: every attribute and text node is XML-escaped, numbers are written with a
fixed precision, and attributes keep the order given, so the same input gives identical bytes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

Attr = str | int | float | None


def num(value: float) -> str:
    """A coordinate with one decimal and no '-0.0'."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _attr(value: Attr) -> str:
    if isinstance(value, float):
        return quoteattr(num(value))
    return quoteattr(str(value))


def el(tag: str, attrs: Mapping[str, Attr] | None = None, children: Iterable[str] = ()) -> str:
    """`<tag a="…">children</tag>`; attributes whose value is None are left out."""
    pairs = "".join(
        f" {name}={_attr(value)}" for name, value in (attrs or {}).items() if value is not None
    )
    inner = "".join(children)
    return f"<{tag}{pairs}>{inner}</{tag}>" if inner else f"<{tag}{pairs}/>"


def text(tag: str, content: str, attrs: Mapping[str, Attr] | None = None) -> str:
    """An element holding escaped text."""
    return el(tag, attrs, [escape(content)])
