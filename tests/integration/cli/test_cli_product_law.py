"""`mitra products` and `mitra products legal`: a 7-OH product against the law where you live;
`mitra legal` prints each entry's dated history."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Cli = Callable[..., Any]


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def add_tabs(cli: Cli) -> None:
    ok(cli("onboard", "--conditions", "anxiety", "--country", "US-FL"))
    ok(
        cli(
            "products",
            "add",
            "Seven Tabs",
            "--form",
            "seven_oh",
            "--7oh-per-unit",
            "15",
            "--serving-unit",
            "tablet",
        )
    )
    ok(cli("products", "add", "Red Bali"))


def test_the_product_list_shows_the_7oh_verdicts_under_a_7oh_product_only(cli: Cli) -> None:
    add_tabs(cli)
    lines = ok(cli("products")).stdout.splitlines()
    assert lines == [
        "#1 Seven Tabs (seven_oh)",
        "  7-OH law — Florida: cannot tell from the label (7-OH banned; emergency rule, "
        "2026-06-22)",
        "  7-OH law — United States (federal): above a limit (7-OH restricted; notice of "
        "intent (not final), 2026-07-01)",
        "#2 Red Bali (leaf_powder)",
    ]


def test_products_legal_prints_each_comparison_and_source(cli: Cli) -> None:
    add_tabs(cli)
    text = ok(cli("products", "legal", "Seven Tabs")).stdout
    assert text.splitlines()[0] == (
        "7-OH law for Seven Tabs — Not legal advice; check current law."
    )
    assert (
        "  7-OH > 1 mg per item or serving (extracts, edibles and other processed products): "
        "above — from the label, 15 mg per item or serving, which is > 1"
    ) in text
    assert "Federal law applies in Florida as well." in text
    data = json.loads(ok(cli("products", "legal", "1", "--json")).stdout)
    assert [(v["code"], v["outcome"]) for v in data["verdicts"]] == [
        ("US-FL", "unknown"),
        ("US", "above"),
    ]


def test_products_legal_for_a_leaf_product_says_no_7oh_limit_applies(cli: Cli) -> None:
    add_tabs(cli)
    text = ok(cli("products", "legal", "Red Bali")).stdout
    assert text.strip() == "Red Bali is not a 7-OH product; no 7-OH limit applies to it."


def test_legal_prints_the_dated_history_and_the_federal_status_for_a_state_without_one(
    cli: Cli,
) -> None:
    text = ok(cli("legal", "US-MI")).stdout
    assert (
        "Mitra has no 7-OH entry for Michigan, so the federal 7-OH status applies: restricted."
        in text
    )
    assert "History of 7-OH law in United States (federal):" in text
    assert "2026-07-01 — notice of intent (not final): DEA announces two notices" in text
    assert "  Restricted: 7-OH > 1 mg per item or serving (extracts, edibles and other " in text
    ohio = ok(cli("legal", "US-OH")).stdout
    assert "2026-06-10 — expiry (7-OH: unclear): The 180-day emergency rule expires." in ohio


def test_a_place_with_a_status_but_no_limits_reads_as_its_status(cli: Cli) -> None:
    ok(cli("onboard", "--conditions", "anxiety", "--country", "GB"))
    ok(cli("products", "add", "Tabs", "--form", "seven_oh"))
    assert ok(cli("products")).stdout.splitlines() == [
        "#1 Tabs (seven_oh)",
        "  7-OH law — United Kingdom: 7-OH banned, no numeric limit recorded",
    ]
