"""Tests that keep the docs honest: every command documented and helped, every setting listed,
every linked page present, and `mitra` usable from an empty environment."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperGroup

import mitra
from mitra.interfaces.cli.app import make_app
from mitra.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def all_commands() -> list[tuple[tuple[str, ...], object]]:
    """(name path, click command) for `mitra` and every command and sub-command under it."""
    found: list[tuple[tuple[str, ...], object]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        found.append((path, command))
        if isinstance(command, TyperGroup):
            ctx = typer.Context(command)  # the root lists its commands lazily (app.COMMANDS)
            for name in command.list_commands(ctx):
                walk(command.get_command(ctx, name), (*path, name))

    walk(typer.main.get_command(make_app()), ())
    return found


COMMANDS = all_commands()
COMMAND_IDS = [" ".join(("mitra", *path)) for path, _ in COMMANDS]


def headings(markdown: str) -> set[str]:
    """Heading texts, without the #s and backticks."""
    return {
        m.group(1).replace("`", "").strip()
        for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", markdown, re.MULTILINE)
    }


def relative_links(markdown: str) -> list[str]:
    """Link targets that point into the repository (no scheme, no bare #anchor)."""
    targets = (m.group(1) for m in LINK.finditer(markdown))
    return [t.split("#", 1)[0] for t in targets if not re.match(r"^([a-z][a-z0-9+.-]*:|#)", t)]


def mitra_script() -> list[str]:
    script = Path(sys.executable).with_name("mitra")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mitra"]


def run_in_empty_env(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run with nothing in the environment but PATH (and a HOME that is not the user's)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    return subprocess.run(
        args, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )


# --- the CLI ------------------------------------------------------------------------------------


def test_the_command_tree_holds_the_journal_commands() -> None:
    assert {
        "mitra",
        "mitra log use",
        "mitra products add",
        "mitra meds stop",
        "mitra history",
        "mitra serve",
    } <= set(COMMAND_IDS)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=COMMAND_IDS)
def test_every_command_has_help_text(path: tuple[str, ...], command: object) -> None:
    help_text = getattr(command, "help", None) or getattr(command, "short_help", None)

    assert help_text and help_text.strip(), f"`mitra {' '.join(path)}` has no help text"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=COMMAND_IDS)
def test_every_option_and_argument_has_help_text(path: tuple[str, ...], command: object) -> None:
    params = getattr(command, "params", [])
    missing = [p.name for p in params if not (getattr(p, "help", None) or "").strip()]

    assert missing == [], f"`mitra {' '.join(path)}`: no help for {missing}"


@pytest.mark.parametrize("name", COMMAND_IDS)
def test_every_command_has_a_heading_in_docs_cli_md(name: str) -> None:
    assert name in headings((DOCS / "cli.md").read_text(encoding="utf-8")), (
        f"docs/cli.md has no heading '{name}'; add one with a cog block "
        f"(show_help(...)) and run .venv/bin/cog -r docs/cli.md"
    )


def test_docs_cli_md_embeds_help_for_every_command() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")

    for name in COMMAND_IDS:
        assert f"Usage: {name} [OPTIONS]" in text, f"docs/cli.md lacks `{name} --help` output"


# --- settings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_docs_settings_md_as_its_env_var(field: str) -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")

    assert f"`MITRA_{field.upper()}`" in text


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_has_a_description(field: str) -> None:
    description = Settings.model_fields[field].description

    assert description and description.strip()


def test_docs_settings_md_names_no_setting_that_does_not_exist() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`MITRA_([A-Z_]+)`", text)) - {"TEST_DATABASE_URL"}

    assert named == {field.upper() for field in Settings.model_fields}


# --- links --------------------------------------------------------------------------------------


def test_every_page_linked_from_readme_exists() -> None:
    readme = ROOT / "README.md"
    if not readme.exists():
        pytest.skip("README.md does not exist yet")

    links = relative_links(readme.read_text(encoding="utf-8"))

    missing = [link for link in links if link and not (ROOT / link).exists()]
    assert missing == []


@pytest.mark.parametrize("page", ["cli.md", "settings.md"])
def test_every_page_linked_from_the_cli_and_settings_docs_exists(page: str) -> None:
    links = relative_links((DOCS / page).read_text(encoding="utf-8"))

    missing = [link for link in links if link and not (DOCS / link).exists()]
    assert links
    assert missing == []


def test_relative_links_finds_only_links_into_the_repository() -> None:
    markdown = (
        "See [settings](docs/settings.md), [cli](docs/cli.md#conventions), "
        "[cog](https://cog.readthedocs.io/), [top](#mitra) and [mail](mailto:a@b.c)."
    )

    assert relative_links(markdown) == ["docs/settings.md", "docs/cli.md"]


# --- an empty environment -----------------------------------------------------------------------


def test_import_mitra_works_with_an_empty_environment_and_loads_nothing_heavy(
    tmp_path: Path,
) -> None:
    code = (
        "import sys, mitra; "
        "print(mitra.__version__, sorted(m for m in ('sqlalchemy', 'fastapi', 'typer', 'rich') "
        "if m in sys.modules))"
    )

    result = run_in_empty_env([sys.executable, "-c", code], tmp_path)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"{mitra.__version__} []\n"


@pytest.mark.parametrize("args", [["--help"], ["log", "use", "--help"]], ids=" ".join)
def test_mitra_help_works_with_an_empty_environment(args: list[str], tmp_path: Path) -> None:
    result = run_in_empty_env([*mitra_script(), *args], tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Traceback" not in result.stdout
    assert "Usage: " in result.stdout
    assert not (tmp_path / ".local").exists()  # help writes no journal
