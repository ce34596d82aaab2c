"""`mitra measures ...` and `mitra onboard` against a real journal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Cli = Callable[..., Any]


def test_score_json_prints_exactly_the_scripting_shape(cli: Cli) -> None:
    result = cli("measures", "score", "phq9", "--answers", "0,1,2,3,0,1,2,3,0", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "instrument",
        "instrument_version",
        "answers",
        "total",
        "band",
        "band_label",
        "complete",
        "missing_items",
        "flags",
        "subscores",
        "reasons",
    ]
    assert (data["instrument"], data["total"], data["band"], data["complete"]) == (
        "phq9",
        12,
        "moderate",
        True,
    )
    assert (data["missing_items"], data["flags"], data["subscores"]) == ([], [], {})


def test_an_empty_field_is_a_missing_answer_so_the_response_is_incomplete(cli: Cli) -> None:
    result = cli("measures", "score", "phq9", "--answers", "0,1,,3,0,1,2,3,0", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["total"], data["band"], data["complete"]) == (None, None, False)
    assert (data["missing_items"], data["flags"], data["answers"]["phq9.q3"]) == (
        ["phq9.q3"],
        [],
        None,
    )


def test_pcl5_json_carries_its_cluster_subscores(cli: Cli) -> None:
    result = cli("measures", "score", "pcl5", "--answers", ",".join(["2"] * 20), "--json")
    data = json.loads(result.stdout)
    assert (data["total"], data["band"]) == (40, None)
    assert data["subscores"] == {"B": 10, "C": 4, "D": 14, "E": 12}
    assert [f["code"] for f in data["flags"]] == ["screen.pcl5_probable_ptsd"]


def test_item9_prints_crisis_lines_first_and_keeps_stdout_json(cli: Cli) -> None:
    cli("onboard", "--conditions", "depression", "--country", "GB")
    result = cli("measures", "score", "phq9", "--answers", "0,0,0,0,0,0,0,0,1", "--json")
    assert result.exit_code == 0
    assert "Samaritans" in result.stderr
    flags = json.loads(result.stdout)["flags"]
    assert [(f["code"], f["status"]) for f in flags] == [("crisis.phq9_item9", "raised")]


def test_human_output_shows_crisis_lines_before_the_score(cli: Cli) -> None:
    cli("onboard", "--country", "GB")
    result = cli("measures", "score", "phq9", "--answers", "3,3,3,3,3,3,3,3,2")
    assert result.exit_code == 0
    assert result.stdout.index("Samaritans") < result.stdout.index("PHQ-9: 26 — Severe")
    assert "call 999" in result.stdout


def test_invalid_answers_exit_2_naming_the_item_and_value(cli: Cli) -> None:
    result = cli("measures", "score", "phq9", "--answers", "0,1,4,0,0,0,0,0,0")
    assert result.exit_code == 2
    assert "phq9.q3: answer 4 is not one of the allowed values (0, 1, 2, 3)" in result.stderr
    result = cli("measures", "score", "phq9", "--answers", "0,1,x,0,0,0,0,0,0")
    assert "phq9.q3: answer 'x'" in result.stderr
    result = cli("measures", "score", "phq9", "--answers", "0,1")
    assert "answers: phq9 has 9 items; got 2 answers" in result.stderr
    assert cli("measures", "score", "phq10", "--answers", "0").exit_code == 2


def test_save_stores_the_response_and_results_lists_it(cli: Cli) -> None:
    saved = cli("measures", "score", "gad7", "--answers", "1,1,1,1,1,1,1", "--save")
    assert saved.exit_code == 0, saved.output
    assert "GAD-7: 7 — Mild" in saved.stdout
    listed = json.loads(cli("measures", "results", "--json").stdout)
    assert [(r["id"], r["instrument"], r["total"]) for r in listed] == [(1, "gad7", 7)]
    assert "#1" in cli("measures", "results", "gad7").stdout


def test_take_prompts_each_question_and_saves_with_crisis_lines_first(cli: Cli) -> None:
    cli("onboard", "--country", "GB")
    answers = "\n".join(["1", "2", "", "0", "9", "0", "0", "0", "0", "2"]) + "\n"
    result = cli("measures", "take", "phq9", input=answers)
    assert result.exit_code == 0, result.output
    assert "Please type one of: 0, 1, 2, 3" in result.stdout  # the 9 was refused
    out = result.stdout
    assert out.index("Please read this first") < out.index("PHQ-9: incomplete, no total")
    assert "Missing: phq9.q3" in out
    assert "Saved as response #1." in out


def test_onboard_due_schedule_and_list(cli: Cli) -> None:
    onboard = cli("onboard", "--conditions", "anxiety,chronic pain", "--country", "gb")
    assert onboard.exit_code == 0, onboard.output
    assert "Saved: anxiety, chronic_pain; United Kingdom (GB)." in onboard.stdout
    assert "peg: every 7 days (you are managing chronic pain)" in onboard.stdout
    due = cli("measures", "due").stdout
    assert "PHQ-9 (phq9): DUE NOW" in due and "GAD-7 (gad7): DUE NOW" in due
    assert cli("measures", "schedule", "peg", "demand").stdout == "peg: demand.\n"
    assert "PEG (peg): on demand" in cli("measures", "due").stdout
    refused = cli("measures", "schedule", "phq9", "off")
    assert refused.exit_code == 2 and "PHQ-9 stays on" in refused.stderr
    listed = cli("measures", "list").stdout
    assert "gad7  Generalized Anxiety Disorder 7-item scale — 7 items, last 2 weeks" in listed
    assert "auditc" in listed and listed.count("\n") == 8


def test_onboard_refuses_an_unknown_condition(cli: Cli) -> None:
    result = cli("onboard", "--conditions", "boredom")
    assert result.exit_code == 2
    assert "conditions: 'boredom' is not one of" in result.stderr


def test_calendar_writes_an_ics_file_with_crlf_lines(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "mitra.ics"
    cli("onboard", "--conditions", "depression", "--country", "GB")
    result = cli("measures", "calendar", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "1 repeating reminders" in result.stdout
    data = target.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert b"RRULE:FREQ=DAILY;INTERVAL=14\r\n" in data
