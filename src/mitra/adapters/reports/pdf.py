"""HTML -> PDF with WeasyPrint, with no network: the URL fetcher refuses every URL that is not a
`data:` URL, so a report can never reach out (the report's HTML has no external asset anyway).

WeasyPrint is imported on first use, so pages and commands that never print a PDF do not pay for it.
"""

from __future__ import annotations

from typing import Any

from mitra.errors import ForbiddenError


def refuse_network(url: str) -> None:
    """Raise unless `url` is a `data:` URL (the only kind a report may load)."""
    if not url.startswith("data:"):
        raise ForbiddenError(f"the report may not fetch {url.split(':', 1)[0]}: URLs")


def data_only_fetcher() -> Any:
    """A WeasyPrint URLFetcher that serves `data:` URLs and refuses everything else."""
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    class DataOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            refuse_network(url)
            return super().fetch(url, headers)

    return DataOnly(allowed_protocols=("data",), allow_redirects=False)


def render(html_text: str) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    document = HTML(string=html_text, url_fetcher=data_only_fetcher(), base_url=None)
    data = document.write_pdf()
    assert isinstance(data, bytes)
    return data
