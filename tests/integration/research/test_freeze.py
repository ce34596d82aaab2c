"""A study, three people donate from their own journals, one withdraws: the next freeze holds two,
and at the study's k = 5 it is refused, saying why. A larger synthetic cohort reaches k >= 5, its
OMOP export opens in DuckDB and Spark, and the cohort statistics match exactly between engines."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from tests.conftest import BACKENDS
from tests.integration.research.cohort import NOW, TODAY, donate_synthetic, write_study

from mitra.adapters.research import columnar
from mitra.adapters.store.engine import Store, build_engine
from mitra.adapters.store.migrate import migrate
from mitra.domain.research.deidentify import Donor
from mitra.domain.research.stats import QUERIES
from mitra.errors import ConflictError, InvalidInputError
from mitra.services import research
from mitra.services.context import Mitra
from mitra.services.demo import seed_demo
from mitra.settings import load_settings


@pytest.fixture(params=BACKENDS)
def journal_urls(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[list[str]]:
    """Three people's own journals, each a database of its own: SQLite files, or three private
    databases on the PostgreSQL server (beside this run's, dropped afterwards)."""
    names = ("ana", "bo", "cy")
    if request.param == "sqlite":
        urls = []
        for name in names:
            (tmp_path / name).mkdir()
            shutil.copy(sqlite_template, tmp_path / name / "mitra.db")
            urls.append(f"sqlite:///{tmp_path / name / 'mitra.db'}")
        yield urls
        return
    server = sa.make_url(request.getfixturevalue("pg_url"))
    databases = [f"{server.database}_{name}" for name in names]
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for database in databases:
            conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    urls = [server.set(database=d).render_as_string(hide_password=False) for d in databases]
    for url in urls:
        engine = build_engine(url)
        migrate(engine)
        engine.dispose()
    yield urls
    with admin.connect() as conn:
        for database in databases:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def journals(tmp_path: Path, journal_urls: list[str]) -> Iterator[list[Mitra]]:
    opened: list[Mitra] = []
    for name, url in zip(("ana", "bo", "cy"), journal_urls, strict=True):
        settings = load_settings(data_dir=tmp_path / name, database_url=url, timezone="UTC")
        journal = Mitra(Store(build_engine(settings.resolved_database_url)), settings, lambda: NOW)
        seed_demo(journal, days=40, seed=len(opened) + 1)
        opened.append(journal)
    yield opened
    for journal in opened:
        journal.close()


def test_three_donate_one_withdraws_so_the_freeze_holds_two_and_k5_is_refused(
    tmp_path: Path, journals: list[Mitra]
) -> None:
    study_dir = tmp_path / "study"
    study = write_study(study_dir, k=5)
    same = Donor(1984, "female", "US-FL")
    participants = [
        research.donate(j, study, same, study_dir / "packages" / f"{n}.zip").participant
        for n, j in enumerate(journals)
    ]
    withdrawn = research.withdraw(journals[1], study.id, study_dir / "withdrawals" / "w.json")
    assert withdrawn.participant == participants[1]

    with pytest.raises(ConflictError) as refused:
        research.freeze(study_dir, tmp_path / "freeze-k5", TODAY)
    assert refused.value.message == (
        "export refused: k = 2 on year_of_birth, sex, state over 2 people is below the "
        "study's k = 5; nothing was written"
    )
    assert not (tmp_path / "freeze-k5").exists()

    write_study(study_dir, k=2)
    frozen = research.freeze(study_dir, tmp_path / "freeze", TODAY)
    assert frozen.members == tuple(sorted([participants[0], participants[2]]))
    assert frozen.withdrawn == (participants[1],)
    counts = columnar.duckdb_tables(tmp_path / "freeze" / "omop.duckdb")
    assert counts["person"] == 2
    assert counts["observation_period"] == 2
    assert "condition_occurrence" not in counts
    report = json.loads((tmp_path / "freeze" / "risk_report.json").read_text())
    assert (report["members"], report["withdrawn_left_out"], report["risk"]["k"]) == (2, 1, 2)


def test_a_second_donation_to_the_same_study_is_refused(
    tmp_path: Path, journals: list[Mitra]
) -> None:
    study = write_study(tmp_path / "study")
    donor = Donor(1990, "male", "US-TX")
    research.donate(journals[0], study, donor, tmp_path / "a.zip")
    with pytest.raises(ConflictError):
        research.donate(journals[0], study, donor, tmp_path / "b.zip")
    assert not (tmp_path / "b.zip").exists()


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cohort")
    study = write_study(folder / "study")
    donate_synthetic(folder / "study", study, people=40)
    research.freeze(folder / "study", folder / "freeze", TODAY)
    return folder / "freeze"


def test_a_cohort_of_forty_is_ten_anonymous_and_opens_in_duckdb(cohort: Path) -> None:
    report = json.loads((cohort / "risk_report.json").read_text())
    assert report["risk"]["k"] == 10
    assert report["risk"]["passes"] is True
    assert report["risk"]["singling_out"] == 0.0
    assert report["risk"]["linkability"] == 0.1
    counts = columnar.duckdb_tables(cohort / "omop.duckdb")
    assert counts["person"] == 40
    assert counts["measurement"] == 0  # every score is an observation; the CDM table is there
    columns = columnar.duckdb_query(
        cohort / "omop", "SELECT COUNT(*) FROM (DESCRIBE SELECT * FROM measurement)"
    )
    assert columns == [(23,)]
    scores = columnar.duckdb_query(
        cohort / "omop",
        "SELECT COUNT(*) FROM observation WHERE observation_source_value = '44261-6'",
    )
    phq9 = columnar.duckdb_query(
        cohort / "native", "SELECT COUNT(*) FROM responses WHERE instrument = 'phq9'"
    )
    assert scores == phq9 and phq9[0][0] > 0
    rows = columnar.duckdb_query(
        cohort / "omop",
        "SELECT COUNT(*) FROM drug_exposure d JOIN concept c "
        "ON c.concept_id = d.drug_source_concept_id WHERE c.concept_id > 2000000000",
    )
    assert rows == [(counts["drug_exposure"],)]
    seven_oh_leaf = columnar.duckdb_query(
        cohort / "native", "SELECT COUNT(*) FROM uses WHERE form = 'seven_oh' AND grams_leaf > 0"
    )
    assert seven_oh_leaf == [(0,)]


@pytest.mark.slow
def test_spark_opens_the_same_export_and_the_statistics_match_exactly(
    cohort: Path, spark: Any
) -> None:
    on_duckdb = research.raw_stats(cohort, "duckdb")
    people = columnar.spark_query(spark, cohort / "omop", "SELECT COUNT(*) FROM person")
    on_spark = {
        name: columnar.spark_query(spark, cohort / "native", sql) for name, sql in QUERIES.items()
    }
    assert people == [(40,)]
    assert on_spark == on_duckdb
    assert sum(row[1] for row in on_duckdb["phq9_change_by_daily_amount"]) == 40


def test_a_package_changed_after_it_was_made_is_refused(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study")
    donate_synthetic(tmp_path / "study", study, people=1, days=10)
    path = tmp_path / "study" / "packages" / "p0000.zip"
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["tables/persons.json"] = members["tables/persons.json"].replace(b"US-FL", b"US-TX")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(InvalidInputError) as refused:
        research.freeze(tmp_path / "study", tmp_path / "freeze", TODAY)
    assert refused.value.message == "package: p0000.zip fails its SHA-256 checksums"
    assert not (tmp_path / "freeze").exists()
