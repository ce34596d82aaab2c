"""The safety CLI: alerts printed after "Saved", `mitra alerts [--all] [--json]`, `ack`,
`mitra safety check`, `mitra meds check` and `mitra check-interactions`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Cli = Callable[..., Any]


def test_adding_oxycodone_prints_the_alert_after_saved_and_lists_it(cli: Cli) -> None:
    added = cli("meds", "add", "Oxycodone")
    assert added.exit_code == 0, added.output
    lines = added.output.splitlines()
    assert lines[0].startswith("Saved medication #")
    assert "URGENT" in added.output and "Why: 'Oxycodone'" in added.output
    assert "Sources:" in added.output
    listed = json.loads(cli("alerts", "--json").output)
    assert [a["rule_id"] for a in listed] == ["interaction.opioids"]
    first = listed[0]
    assert {"rule_id", "severity", "because", "what_to_do", "sources", "status"} <= set(first)
    assert first["status"] == "open" and first["sources"][0]["link"].startswith("http")
    acked = cli("alerts", "ack", str(first["id"]))
    assert acked.exit_code == 0 and "acknowledged" in acked.output
    assert "No open safety alerts." in cli("alerts").output
    everything = json.loads(cli("alerts", "--all", "--json").output)
    assert [a["status"] for a in everything] == ["acknowledged"]
    assert "No open safety alerts." in cli("safety", "check").output
    assert cli("alerts", "ack", "999").exit_code == 2


def test_a_crisis_questionnaire_prints_the_crisis_alert(cli: Cli) -> None:
    answers = "\n".join(["0"] * 8 + ["2"]) + "\n"
    taken = cli("measures", "take", "phq9", input=answers)
    assert taken.exit_code == 0, taken.output
    assert "CRISIS" in taken.output
    listed = cli("alerts")
    assert "crisis.phq9_item9" not in listed.output  # the title, not the id, is shown
    assert listed.output.splitlines()[0].startswith("CRISIS")


def test_meds_check_and_check_interactions(cli: Cli) -> None:
    known = cli("meds", "check", "xanaxx")
    assert known.exit_code == 0
    assert "read as 'xanax'" in known.output and "dangerous" in known.output
    unknown = cli("check-interactions", "Zorblaxin", "--json")
    assert json.loads(unknown.output) == [
        {
            "name": "Zorblaxin",
            "state": "unknown_name",
            "checked": False,
            "matched": None,
            "ingredients": [],
            "read_with_typo_allowance": False,
            "severity": None,
            "classes": [],
        }
    ]
    assert "not checked: unknown name" in cli("check-interactions", "Zorblaxin").output
    no_data = cli("check-interactions", "prazosin").output
    assert no_data.startswith("prazosin: recognised — no interaction data (not the same as safe).")
    combo = cli("check-interactions", "acetaminophen/hydrocodone").output
    assert combo.startswith(
        "acetaminophen/hydrocodone (read as 'acetaminophen + hydrocodone'): URGENT"
    )
    as_json = json.loads(cli("meds", "check", "tramadol", "--json").output)
    assert {c["id"] for c in as_json[0]["classes"]} >= {"opioids", "serotonergic"}
