"""The `mitra` command end to end through Typer's runner, on SQLite and PostgreSQL.

The CLI opens the journal itself and uses the real clock (not the fixtures' NOW), so every
backfilled time here lies safely in the past and "today" is whatever day the suite runs on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
import typer.main
from typer.core import TyperGroup
from typer.testing import Result

from mitra.interfaces.cli.app import make_app
from mitra.services import entries
from mitra.services.context import Mitra

Cli = Callable[..., Result]

BACKFILL_AT = "2026-11-20 08:30"  # Europe/London is on GMT in November: 08:30Z
BACKFILL_UTC = "2026-11-20T08:30:00+00:00"
RED_BALI = ("products", "add", "Red Bali", "--form", "leaf_powder", "--mg-per-g", "15")
RED_BALI_UNITS = (*RED_BALI, "--units", "scoop=2.5")


def days_since(day: date) -> int:
    """A `--days` value that reaches back to `day` from the real today (at least 14)."""
    return max(14, (datetime.now(UTC).date() - day).days + 2)


def ok(cli: Cli, *args: str, input: str | None = None) -> Result:
    """Run a command that must succeed, showing its stderr when it does not."""
    result = cli(*args, input=input)
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    return result


def as_json(cli: Cli, *args: str) -> Any:
    return json.loads(ok(cli, *args, "--json").stdout)


def counts(mitra: Mitra) -> dict[str, int]:
    """How many entries of each kind the journal holds, read straight from the store."""
    return {name: len(entries.list_all(mitra, kind)) for name, kind in entries.KINDS.items()}


def command_paths() -> list[tuple[str, ...]]:
    """Every command and sub-command name path under `mitra`, from the click tree."""
    paths: list[tuple[str, ...]] = []

    def walk(group: TyperGroup, prefix: tuple[str, ...]) -> None:
        ctx = typer.Context(group)  # the root lists its commands lazily (app.COMMANDS)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            paths.append((*prefix, name))
            if isinstance(command, TyperGroup):
                walk(command, (*prefix, name))

    root = typer.main.get_command(make_app())
    assert isinstance(root, TyperGroup)
    walk(root, ())
    return paths


# --- help ---------------------------------------------------------------------------------------


def test_mitra_help_lists_every_top_level_command(cli: Cli) -> None:
    result = ok(cli, "--help")

    top_level = {path[0] for path in command_paths()}
    journal_commands = {"checkin", "delete", "demo", "edit", "history", "log", "meds"}
    journal_commands |= {"migrate", "products", "serve", "show"}
    assert journal_commands <= top_level
    for name in sorted(top_level):
        assert f" {name} " in result.stdout, name
    assert "Not medical advice." in result.stdout


@pytest.mark.parametrize(
    ("group", "subcommands"),
    [
        ("log", ["effect", "use", "vital"]),
        ("products", ["add", "legal"]),
        ("meds", ["add", "check", "stop"]),
    ],
)
def test_each_command_group_help_lists_its_subcommands(
    cli: Cli, group: str, subcommands: list[str]
) -> None:
    result = ok(cli, group, "--help")

    assert sorted(p[1] for p in command_paths() if len(p) == 2 and p[0] == group) == subcommands
    for name in subcommands:
        assert f" {name} " in result.stdout, name


def test_mitra_without_arguments_shows_help_rather_than_doing_anything(
    cli: Cli, mitra: Mitra
) -> None:
    result = cli()

    assert "Usage: " in result.stdout  # the runner names the program "root", not "mitra"
    assert " checkin " in result.stdout
    assert sum(counts(mitra).values()) == 0


# --- products -----------------------------------------------------------------------------------


def test_products_add_stores_the_label_and_custom_units_and_lists_them_as_json(cli: Cli) -> None:
    added = ok(cli, *RED_BALI_UNITS)

    assert added.stdout == "Saved product #1.\n"
    assert added.stderr == ""
    assert as_json(cli, "products") == [
        {
            "id": 1,
            "name": "Red Bali",
            "form": "leaf_powder",
            "vendor": "",
            "mitragynine_mg_per_g": 15.0,
            "mitragynine_mg_per_unit": None,
            "seven_oh_mg_per_unit": None,
            "serving_unit": None,
            "custom_units": [["scoop", 2.5]],
            "lot": "",
            "coa_url": "",
            "notes": "",
        }
    ]


def test_products_lists_names_with_their_labelled_content_as_text(cli: Cli) -> None:
    ok(cli, *RED_BALI_UNITS)
    ok(cli, "products", "add", "Plain capsules", "--form", "capsule")

    assert ok(cli, "products").stdout == (
        "#1 Red Bali (leaf_powder) — 15 mg mitragynine/g\n#2 Plain capsules (capsule)\n"
    )


def test_products_on_an_empty_journal_says_how_to_add_one(cli: Cli) -> None:
    assert ok(cli, "products").stdout == (
        "No products yet. Add one: mitra products add NAME --form leaf_powder\n"
    )
    assert as_json(cli, "products") == []


# --- logging a use ------------------------------------------------------------------------------


def test_log_use_backfilled_in_grams_stores_grams_of_leaf_and_mg_mitragynine(cli: Cli) -> None:
    ok(cli, *RED_BALI_UNITS)

    logged = ok(cli, "log", "use", "3", "g", "--product", "Red Bali", "--at", BACKFILL_AT)

    assert logged.stdout.startswith("Saved use #1.\n")  # then any safety alerts it raised
    assert as_json(cli, "show", "uses", "1") == {
        "id": 1,
        "product_id": 1,
        "taken_at": BACKFILL_UTC,
        "tz": "Europe/London",
        "amount": 3.0,
        "unit": "g",
        "grams_product": 3.0,
        "grams_leaf": 3.0,
        "mg_mitragynine": 45.0,
        "mg_7oh": None,
        "conversion_note": "",
        "note": "",
    }
    days = as_json(cli, "history", "--days", str(days_since(date(2026, 11, 20))))
    assert days == [
        {
            "day": "2026-11-20",
            "entries": [
                {
                    "kind": "uses",
                    "id": 1,
                    "at": BACKFILL_UTC,
                    "local_time": "08:30",
                    "title": "3 g Red Bali",
                    "detail": "3 g leaf, 45 mg mitragynine",
                }
            ],
        }
    ]


def test_log_use_in_a_custom_unit_converts_through_the_units_gram_weight(cli: Cli) -> None:
    ok(cli, *RED_BALI_UNITS)

    saved = as_json(cli, "log", "use", "2", "scoop", "-p", "Red Bali")

    assert {k: saved[k] for k in ("amount", "unit", "grams_product", "grams_leaf")} == {
        "amount": 2.0,
        "unit": "scoop",
        "grams_product": 5.0,
        "grams_leaf": 5.0,
    }
    assert saved["mg_mitragynine"] == 75.0
    assert saved["conversion_note"] == ""
    taken_at = datetime.fromisoformat(saved["taken_at"])
    assert abs((datetime.now(UTC) - taken_at).total_seconds()) < 60  # "now" by default


def test_log_use_finds_the_product_by_id_and_ignoring_case(cli: Cli) -> None:
    ok(cli, *RED_BALI_UNITS)

    by_id = as_json(cli, "log", "use", "1", "g", "-p", "1")
    by_other_case = as_json(cli, "log", "use", "1", "g", "-p", "red bali")

    assert (by_id["product_id"], by_other_case["product_id"]) == (1, 1)


def test_log_use_of_an_unlabelled_unit_says_it_was_not_converted(cli: Cli) -> None:
    ok(cli, *RED_BALI_UNITS)

    result = ok(cli, "log", "use", "2", "capsule", "-p", "Red Bali")

    assert result.stdout.startswith(
        "Saved use #1.\nNot converted: the weight of one capsule is not known (add it as a "
        "custom unit to convert); the label does not state mitragynine content for this amount.\n"
    )
    saved = as_json(cli, "show", "uses", "1")
    assert (saved["grams_leaf"], saved["mg_mitragynine"]) == (None, None)


# --- check-ins, medications, effects, vitals -----------------------------------------------------


def test_checkin_records_only_the_ratings_given(cli: Cli) -> None:
    saved = as_json(cli, "checkin", "--mood", "6", "--anxiety", "4")

    ratings = ("mood", "anxiety", "pain", "sleep", "craving", "note", "tz")
    assert {k: saved[k] for k in ratings} == {
        "mood": 6,
        "anxiety": 4,
        "pain": None,
        "sleep": None,
        "craving": None,
        "note": "",
        "tz": "Europe/London",
    }


def test_history_filtered_to_checkins_shows_only_checkins(cli: Cli) -> None:
    ok(cli, *RED_BALI_UNITS)
    ok(cli, "log", "use", "3", "g", "-p", "Red Bali")
    ok(cli, "checkin", "--mood", "6", "--anxiety", "4")

    lines = ok(cli, "history", "--kind", "checkins").stdout.splitlines()

    assert len(lines) == 2
    datetime.strptime(lines[0], "%a %d %b %Y")  # the day heading
    assert lines[1].endswith("  Daily check-in — mood 6, anxiety 4  (checkins #1)")
    assert as_json(cli, "history", "--kind", "uses")[0]["entries"][0]["title"] == "3 g Red Bali"


def test_history_of_an_empty_journal_says_nothing_was_logged(cli: Cli) -> None:
    assert ok(cli, "history", "--days", "7").stdout == "Nothing logged in the last 7 day(s).\n"


def test_meds_add_then_stop_then_list_as_json(cli: Cli) -> None:
    added = ok(cli, "meds", "add", "Sertraline", "--dose", "50 mg daily").stdout
    assert added.startswith("Saved medication #1.\n1 safety alert(s):\nCAUTION #1 Serotonergic")
    stopped = ok(cli, "meds", "stop", "1", "--on", "2026-11-01")

    assert stopped.stdout == "Medication #1 stopped on 2026-11-01.\n"
    assert as_json(cli, "meds") == [
        {
            "id": 1,
            "name": "Sertraline",
            "kind": "medication",
            "dose_text": "50 mg daily",
            "schedule": "scheduled",
            "started_on": None,
            "stopped_on": "2026-11-01",
            "note": "",
        }
    ]
    listed = ok(cli, "meds").stdout
    assert listed == "#1 Sertraline 50 mg daily (scheduled, stopped 2026-11-01)\n"


def test_log_effect_stores_the_effect_and_its_severity(cli: Cli) -> None:
    assert ok(cli, "log", "effect", "nausea", "--severity", "3").stdout == "Saved effect #1.\n"

    saved = as_json(cli, "show", "effects", "1")

    assert {k: saved[k] for k in ("effect", "severity", "other_text", "tz")} == {
        "effect": "nausea",
        "severity": 3,
        "other_text": "",
        "tz": "Europe/London",
    }


def test_log_vital_splits_blood_pressure_into_its_two_numbers(cli: Cli) -> None:
    assert ok(cli, "log", "vital", "--hr", "72", "--bp", "120/80").stdout == "Saved vital #1.\n"

    saved = as_json(cli, "show", "vitals", "1")

    assert (saved["heart_rate"], saved["systolic"], saved["diastolic"]) == (72, 120, 80)


# --- edit and delete ----------------------------------------------------------------------------


def test_edit_use_changes_the_amount_and_recomputes_the_conversion(cli: Cli) -> None:
    ok(cli, *RED_BALI_UNITS)
    ok(cli, "log", "use", "3", "g", "--product", "Red Bali", "--at", BACKFILL_AT)

    assert ok(cli, "edit", "uses", "1", "--set", "amount=4").stdout == "Updated uses #1.\n"

    saved = as_json(cli, "show", "uses", "1")
    assert (saved["amount"], saved["grams_leaf"], saved["mg_mitragynine"]) == (4.0, 4.0, 60.0)
    assert (saved["unit"], saved["taken_at"]) == ("g", BACKFILL_UTC)


def test_edit_refuses_a_field_the_kind_does_not_have_and_changes_nothing(
    cli: Cli, mitra: Mitra
) -> None:
    ok(cli, *RED_BALI_UNITS)
    ok(cli, "log", "use", "3", "g", "-p", "Red Bali", "--at", BACKFILL_AT)

    result = cli("edit", "uses", "1", "--set", "colour=red")

    assert result.exit_code == 2
    assert result.stderr.startswith("error: colour: is not a field of uses")
    assert as_json(cli, "show", "uses", "1")["amount"] == 3.0
    assert counts(mitra)["uses"] == 1


def test_delete_with_yes_removes_the_entry(cli: Cli, mitra: Mitra) -> None:
    ok(cli, *RED_BALI_UNITS)
    ok(cli, "log", "use", "3", "g", "-p", "Red Bali", "--at", BACKFILL_AT)

    assert ok(cli, "delete", "uses", "1", "--yes").stdout == "Deleted uses #1.\n"

    assert counts(mitra)["uses"] == 0
    gone = cli("show", "uses", "1")
    assert (gone.exit_code, gone.stderr) == (2, "error: no use event with id 1\n")


def test_delete_asks_first_and_answering_no_deletes_nothing(cli: Cli, mitra: Mitra) -> None:
    ok(cli, *RED_BALI_UNITS)
    ok(cli, "log", "use", "3", "g", "-p", "Red Bali", "--at", BACKFILL_AT)

    result = cli("delete", "uses", "1", input="n\n")

    assert result.exit_code == 1
    assert "Delete uses #1? This cannot be undone [y/N]:" in result.stdout
    assert result.stdout.endswith("Nothing deleted.\n")
    assert counts(mitra)["uses"] == 1


def test_delete_asks_first_and_answering_yes_deletes(cli: Cli, mitra: Mitra) -> None:
    ok(cli, *RED_BALI_UNITS)
    ok(cli, "log", "use", "3", "g", "-p", "Red Bali", "--at", BACKFILL_AT)

    result = ok(cli, "delete", "uses", "1", input="y\n")

    assert result.stdout.endswith("Deleted uses #1.\n")
    assert counts(mitra)["uses"] == 0


def test_delete_refuses_a_product_that_still_has_uses(cli: Cli, mitra: Mitra) -> None:
    ok(cli, *RED_BALI_UNITS)
    ok(cli, "log", "use", "3", "g", "-p", "Red Bali", "--at", BACKFILL_AT)

    result = cli("delete", "products", "1", "--yes")

    assert result.exit_code == 2
    assert result.stderr.startswith("error: product 1 has 1 logged use(s)")
    assert counts(mitra) == {
        "products": 1,
        "uses": 1,
        "checkins": 0,
        "medications": 0,
        "effects": 0,
        "vitals": 0,
    }


# --- demo ---------------------------------------------------------------------------------------


def test_demo_fills_a_fresh_journal_and_then_refuses_to_write_into_it_again(
    cli: Cli, mitra: Mitra
) -> None:
    first = as_json(cli, "demo", "--days", "10", "--seed", "3")

    written = counts(mitra)
    assert (first["products"], first["medications"]) == (4, 1)
    assert first["uses"] > 0
    assert {
        "products": first["products"],
        "uses": first["uses"],
        "checkins": first["checkins"],
        "medications": first["medications"],
        "effects": first["effects"],
        "vitals": first["vitals"],
    } == written
    names = [p["name"] for p in as_json(cli, "products")]
    assert names == ["Red Bali", "Green Maeng Da capsules", "White Borneo", "Extract shot"]

    second = cli("demo", "--days", "10", "--seed", "3", "--json")

    assert second.exit_code == 2
    assert second.stdout == ""
    total = sum(written.values())
    assert second.stderr == (
        f"error: this journal already has {total} entries; demo data "
        "would mix with them. Use a fresh journal, or --force if you really mean it.\n"
    )
    assert counts(mitra) == written


def test_demo_refuses_a_journal_whose_only_entry_is_a_medication(cli: Cli, mitra: Mitra) -> None:
    ok(cli, "meds", "add", "Sertraline", "--dose", "50 mg daily")

    result = cli("demo", "--days", "10", "--seed", "3")

    assert result.exit_code == 2
    assert result.stderr.startswith("error: this journal already has 1 entries;")
    assert counts(mitra) == {
        "products": 0,
        "uses": 0,
        "checkins": 0,
        "medications": 1,
        "effects": 0,
        "vitals": 0,
    }


# --- bad input: exit code 2, one line naming the field, nothing written --------------------------

BAD_INPUT = [
    pytest.param(("log", "use", "-p", "Red Bali", "--", "-1", "g"), "amount", id="negative-amount"),
    pytest.param(("log", "use", "0", "g", "-p", "Red Bali"), "amount", id="zero-amount"),
    pytest.param(("log", "use", "500", "g", "-p", "Red Bali"), "amount", id="absurd-amount"),
    pytest.param(("log", "use", "1", "bucket", "-p", "Red Bali"), "unit", id="unknown-unit"),
    pytest.param(
        ("log", "use", "1", "g", "-p", "Red Bali", "--at", "2099-01-01 08:00"),
        "taken_at",
        id="future-time",
    ),
    pytest.param(
        ("log", "use", "1", "g", "-p", "Red Bali", "--at", "yesterday"), "taken_at", id="bad-time"
    ),
    pytest.param(("log", "use", "1", "g", "-p", "Green Bali"), "product", id="unknown-product"),
    pytest.param(("checkin", "--mood", "11"), "mood", id="checkin-above-10"),
    pytest.param(("checkin", "--anxiety", "-1"), "anxiety", id="checkin-below-0"),
    pytest.param(("checkin",), "mood", id="checkin-without-ratings"),
    pytest.param(("log", "effect", "nausea", "--severity", "11"), "severity", id="severity-11"),
    pytest.param(("log", "effect", "hiccups", "--severity", "2"), "effect", id="unknown-effect"),
    pytest.param(("log", "vital", "--hr", "400"), "heart_rate", id="heart-rate-400"),
    pytest.param(("log", "vital", "--bp", "80/120"), "systolic", id="bp-upside-down"),
    pytest.param(("meds", "add", "Sertraline", "--start", "someday"), "started_on", id="bad-date"),
    pytest.param(("products", "add", "X", "--form", "tea"), "form", id="unknown-form"),
    pytest.param(("products", "add", "X", "--units", "scoop"), "custom_units", id="bad-units"),
    pytest.param(("show", "potions", "1"), "kind", id="unknown-kind-show"),
    pytest.param(("delete", "potions", "1", "--yes"), "kind", id="unknown-kind-delete"),
    pytest.param(("history", "--kind", "potions"), "kind", id="unknown-kind-history"),
    pytest.param(("history", "--days", "0"), "days", id="history-zero-days"),
]


@pytest.mark.parametrize(("args", "field"), BAD_INPUT)
def test_bad_input_exits_2_with_one_line_naming_the_field_and_writes_nothing(
    cli: Cli, mitra: Mitra, args: tuple[str, ...], field: str
) -> None:
    ok(cli, *RED_BALI_UNITS)
    before = counts(mitra)

    result = cli(*args)

    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert field in lines[0]
    assert "Traceback" not in result.stdout + result.stderr
    assert counts(mitra) == before


def test_a_negative_amount_typed_plainly_gets_the_one_line_amount_error(
    cli: Cli, mitra: Mitra
) -> None:
    ok(cli, "products", "add", "Red Bali")

    result = cli("log", "use", "-1", "g", "--product", "Red Bali")

    assert (result.exit_code, result.stderr) == (2, "error: amount: must be more than 0\n")
    assert counts(mitra)["uses"] == 0
