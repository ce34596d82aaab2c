"""Settings refuse bad or unsafe values loudly, naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from mitra.errors import ConfigurationError
from mitra.settings import is_loopback_host, load_settings, unknown_variables


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"timezone": "Mars/Base"},
            "MITRA_TIMEZONE: unknown time zone 'Mars/Base' (use e.g. Europe/London)",
        ),
        (
            {"log_level": "LOUD"},
            "MITRA_LOG_LEVEL: unknown log level 'LOUD' (use DEBUG, INFO, WARNING or ERROR)",
        ),
        ({"host": "0.0.0.0"}, "refusing to bind to 0.0.0.0: the journal would be reachable"),
        (
            {"database_url": "postgresql+psycopg://u:changeme@db/mitra"},
            "MITRA_DATABASE_URL uses a placeholder password",
        ),
        ({"port": 0}, "MITRA_PORT: Input should be greater than or equal to 1"),
    ],
)
def test_bad_settings_are_refused_naming_the_variable(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings(**overrides)
    assert message in caught.value.message


def test_remote_binding_needs_explicit_permission_and_lists_extra_hosts(tmp_path: Path) -> None:
    settings = load_settings(
        data_dir=tmp_path,
        host="0.0.0.0",
        allow_remote=True,
        allowed_hosts="Mitra.lan, clinic.example",
    )
    assert settings.extra_hosts == frozenset({"mitra.lan", "clinic.example"})
    assert load_settings(data_dir=tmp_path, allowed_hosts="x").extra_hosts == frozenset()
    assert settings.log_level == "WARNING"
    assert load_settings(data_dir=tmp_path, log_level="debug").log_level == "DEBUG"


def test_default_store_is_a_sqlite_file_in_the_data_folder(tmp_path: Path) -> None:
    assert (
        load_settings(data_dir=tmp_path).resolved_database_url == f"sqlite:///{tmp_path}/mitra.db"
    )


def test_misspelled_variables_are_reported_not_ignored() -> None:
    environ = {
        "MITRA_TIMEZON": "UTC",
        "MITRA_PORT": "1",
        "MITRA_TEST_DATABASE_URL": "x",
        "PATH": "/bin",
    }
    assert unknown_variables(environ) == ["MITRA_TIMEZON"]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.2", True),
        ("[::1]", True),
        ("::1", True),
        ("10.0.0.1", False),
        ("example.com", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback
