"""Research use cases (#22): donate a de-identified package to a study, withdraw, freeze a
study's packages into OMOP and native Parquet with a disclosure-risk report, and cohort
statistics on DuckDB or Spark.

`donate`/`withdraw` act on a person's own journal (one transaction each). `freeze` and `stats`
work on a researcher's study folder and need no journal, so a server-mode researcher role can
call them as they are (docs/research.md says what remains for server mode).
"""

from __future__ import annotations

import json
import secrets
import shutil
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from mitra.adapters.files import write_private_text
from mitra.adapters.knowledge.instruments import load_instruments
from mitra.adapters.research import columnar, disclosure, package
from mitra.adapters.store import repositories as repo
from mitra.adapters.store import tables as t
from mitra.adapters.store.responses import responses as response_repo
from mitra.domain.products import is_seven_oh
from mitra.domain.research import deidentify as di
from mitra.domain.research import omop, risk
from mitra.domain.research import stats as cohort
from mitra.domain.research.study import Event, Participation, Study, Tier, members_at
from mitra.errors import ConflictError, InvalidInputError, NotFoundError
from mitra.services.context import Mitra
from mitra.services.outcomes import recorded

QUASI_IDENTIFIERS = {
    Tier.AGGREGATE: ("age", "sex", "state"),
    Tier.REGISTERED: ("year_of_birth", "sex", "state"),
    Tier.CONTROLLED: ("year_of_birth", "sex", "state"),
}
SENSITIVE = ("main_form", "daily_grams_band")


def load_study(path: Path) -> Study:
    return package.load_study(path)


def read_study(text: str, name: str = "study.yaml") -> Study:
    """A study declaration from its YAML text (an uploaded file); every problem at once."""
    return package.study_from_yaml(text, name)


def fields_leaving(study: Study) -> list[di.FieldLeaving]:
    return di.fields_leaving(study)


@dataclass(frozen=True)
class Donated:
    data: bytes  # the package file
    sha256: str
    participant: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Donation:
    """One donation as the person sees it (never the secret date shift)."""

    study_id: str
    participant: str
    consent_version: str
    tier: str
    joined_at: datetime
    withdrawn_at: datetime | None


@dataclass(frozen=True)
class Withdrawn:
    participant: str
    data: bytes  # the withdrawal record to hand to the study


def _source(mitra: Mitra, conn: sa.Connection) -> di.SourceJournal:
    zone = ZoneInfo(mitra.timezone_in(conn))
    products = {p.id: p for p in repo.products.list(conn)}
    uses = []
    for u in repo.uses.list(conn):
        product = products[u.product_id]
        uses.append(
            di.SourceUse(
                at=u.taken_at.astimezone(zone),
                form=product.form.value,
                seven_oh=is_seven_oh(product),
                amount=u.amount,
                unit=u.unit,
                grams_leaf=u.grams_leaf,
                mg_mitragynine=u.mg_mitragynine,
                mg_7oh=u.mg_7oh,
                labelled_mg_per_g=product.mitragynine_mg_per_g,
                labelled_mg_per_unit=product.mitragynine_mg_per_unit,
                serving_unit=product.serving_unit.value if product.serving_unit else None,
            )
        )
    instruments = load_instruments()
    answers = []
    for r in response_repo.list(conn):
        instrument = instruments.get(r.instrument_id)
        loinc = {i.id: i.loinc for i in instrument.items} if instrument else {}
        items = tuple(
            (item, loinc.get(item), None if value is None else float(value))
            for item, value in r.score.answers.items()
        )
        total = None if r.score.total is None else float(r.score.total)
        answers.append(
            di.SourceResponse(
                r.taken_at.astimezone(zone), r.instrument_id, total, r.score.complete, items
            )
        )
    checkins = [
        di.SourceCheckin(c.recorded_at.astimezone(zone), c.ratings())
        for c in repo.checkins.list(conn)
    ]
    return di.SourceJournal(uses, answers, checkins)


def donate(
    mitra: Mitra,
    study: Study,
    donor: di.Donor,
    out: Path | None = None,
    *,
    send: Callable[[sa.Connection, Donated], None] | None = None,
) -> Donated:
    """This journal's de-identified package for `study`, remembering the donation (its random
    participant number and date shift) in one transaction: with `out` the package is written there
    (and its SHA-256 beside it) before the transaction commits, so no record without a file; the
    web page sends `Donated.data` as a download instead. On a server, `send` stores the package
    for the published study in the same transaction (`services.studies.join`)."""

    def work() -> Donated:
        with mitra.store.write() as conn:
            if _donation(conn, study.id) is not None:
                raise ConflictError(
                    f"this journal already donated to {study.id}; a second package would count "
                    "you twice"
                )
            participant = secrets.token_hex(8)
            shift = di.draw_shift(secrets.randbelow(10**9) / 10**9)
            conn.execute(
                t.research_donations.insert().values(
                    study_id=study.id,
                    participant=participant,
                    consent_version=study.consent_version,
                    tier=study.tier.value,
                    shift_weeks=shift,
                    joined_at=mitra.now(),
                )
            )
            done = _package(mitra, conn, study, donor, participant, shift, out)
            if send is not None:
                send(conn, done)
            return done

    return recorded(mitra, "research.donate", work, lambda done: done.counts)


def _package(
    mitra: Mitra,
    conn: sa.Connection,
    study: Study,
    donor: di.Donor,
    participant: str,
    shift: int,
    out: Path | None,
) -> Donated:
    """The journal's de-identified package for `study` under this participant and date shift."""
    today = mitra.now().astimezone(ZoneInfo(mitra.timezone_in(conn))).date()
    tables = di.deidentify(
        study, _source(mitra, conn), donor, person_id=participant, shift_weeks=shift, today=today
    )
    counts = {name: len(rows) for name, rows in tables.items()}
    manifest = {
        "format": package.PACKAGE_FORMAT,
        "format_version": package.FORMAT_VERSION,
        "study_id": study.id,
        "consent_version": study.consent_version,
        "tier": study.tier.value,
        "participant": participant,
        "donated_in": today.year,  # the year only: a day would hint at the date shift
        "fields": [asdict(f) for f in di.fields_leaving(study)],
        "counts": counts,
    }
    data = package.package_bytes(manifest, tables)
    digest = package.write_package(out, data) if out else package.sha256(data)
    return Donated(data, digest, participant, counts)


def reconsent(
    mitra: Mitra,
    study: Study,
    donor: di.Donor,
    *,
    send: Callable[[sa.Connection, Donated], None] | None = None,
) -> Donated:
    """Agree to the study's new consent version: the package made again under it (the same
    participant number and date shift) and the donation moved to it, in one transaction; `send`
    replaces the package a server holds (`services.studies.reconsent`)."""

    def work() -> Donated:
        with mitra.store.write() as conn:
            donation = _donation(conn, study.id)
            if donation is None or donation["withdrawn_at"] is not None:
                raise NotFoundError(f"this journal has no donation to {study.id} in force")
            if donation["consent_version"] == study.consent_version:
                raise ConflictError(f"you already agreed to consent {study.consent_version}")
            conn.execute(
                t.research_donations.update()
                .where(t.research_donations.c.id == donation["id"])
                .values(consent_version=study.consent_version, tier=study.tier.value)
            )
            participant, shift = str(donation["participant"]), int(donation["shift_weeks"])
            done = _package(mitra, conn, study, donor, participant, shift, None)
            if send is not None:
                send(conn, done)
            return done

    return recorded(mitra, "research.reconsent", work, lambda done: done.counts)


def _donation(conn: sa.Connection, study_id: str) -> dict[str, Any] | None:
    query = t.research_donations.select().where(t.research_donations.c.study_id == study_id)
    row = conn.execute(query).mappings().first()
    return None if row is None else dict(row)


def withdraw(mitra: Mitra, study_id: str, out: Path | None = None) -> Withdrawn:
    """Record the withdrawal and make the record to hand to the study (written to `out` inside the
    transaction when given). The record names the study and the participant only: no date (the
    study needs none; docs/research.md)."""

    def work() -> Withdrawn:
        with mitra.store.write() as conn:
            donation = _donation(conn, study_id)
            if donation is None:
                raise NotFoundError(f"this journal never donated to {study_id}")
            when = donation["withdrawn_at"] or mitra.now()
            conn.execute(
                t.research_donations.update()
                .where(t.research_donations.c.id == donation["id"])
                .values(withdrawn_at=when)
            )
            # on a server the package given to a published study leaves its next freeze too
            conn.execute(
                t.study_donations.update()
                .where(t.study_donations.c.participant == donation["participant"])
                .where(t.study_donations.c.withdrawn_at.is_(None))
                .values(withdrawn_at=when)
            )
            data = package.withdrawal_bytes(study_id, donation["participant"])
            if out is not None:
                package.write_withdrawal(out, data)
            return Withdrawn(str(donation["participant"]), data)

    return recorded(mitra, "research.withdraw", work, lambda _done: {})


def donations(mitra: Mitra) -> list[Donation]:
    """This journal's donations, oldest first."""
    with mitra.store.read() as conn:
        query = t.research_donations.select().order_by(t.research_donations.c.id)
        return [
            Donation(
                row.study_id,
                row.participant,
                row.consent_version,
                row.tier,
                row.joined_at,
                row.withdrawn_at,
            )
            for row in conn.execute(query)
        ]


@dataclass(frozen=True)
class Frozen:
    members: tuple[str, ...]
    withdrawn: tuple[str, ...]
    report: risk.RiskReport
    folder: Path
    disclosure: dict[str, Any]


def person_level(native: dict[str, list[di.Row]], tier: Tier) -> list[dict[str, Any]]:
    """One row per person: the quasi-identifiers and the sensitive values the report checks."""
    weekly = native.get("weekly_uses", [])
    rows = []
    for person in native["persons"]:
        mine = [w for w in weekly if w["person_id"] == person["person_id"]]
        forms = Counter[str]()
        for w in mine:
            forms[w["main_form"]] += w["doses"]
        days = sum(w["use_days"] for w in mine)
        grams = sum(w["grams_leaf"] or 0 for w in mine)
        daily = grams / days if days else 0
        band = "none" if not days else "<5" if daily < 5 else "5-10" if daily < 10 else "10+"
        row = {q: person.get(q) for q in QUASI_IDENTIFIERS[tier]}
        row["main_form"] = min(forms, key=lambda f: (-forms[f], f)) if forms else "none"
        row["daily_grams_band"] = band
        rows.append(row)
    return rows


Package = tuple[str, dict[str, Any], dict[str, list[di.Row]]]  # name, manifest, tables


def freeze(study_dir: Path, out: Path, today: date) -> Frozen:
    """Packages in `study_dir/packages/*.zip` and withdrawals in `study_dir/withdrawals/*.json`
    into a freeze at `out`: native Parquet, OMOP Parquet, omop.duckdb and risk_report.json.
    Refused (nothing written) when k is below the study's setting."""
    study = package.load_study(study_dir / "study.yaml")
    packages = [
        (path.name, *package.read_package(path))
        for path in sorted((study_dir / "packages").glob("*.zip"))
    ]
    withdrawn = []
    for path in sorted((study_dir / "withdrawals").glob("*.json")):
        record = package.read_withdrawal(path)
        if record["study_id"] == study.id:  # a record the study holds is in force today
            withdrawn.append(str(record["participant"]))
    return freeze_packages(study, packages, withdrawn, out, today)


def freeze_packages(
    study: Study,
    packages: list[Package],
    withdrawn: list[str],
    out: Path,
    today: date,
    left_out: Mapping[str, int] | None = None,
) -> Frozen:
    """The freeze of `packages` less the `withdrawn` participants (from a study folder, or from
    the donations a server holds for a published study: `services.studies.freeze`). `left_out`
    counts people the caller left out for other reasons (e.g. awaiting re-consent), by reason,
    for the summary."""
    records: list[Participation] = []
    donated: dict[str, dict[str, list[di.Row]]] = {}
    for name, manifest, tables in packages:
        if manifest["study_id"] != study.id or manifest["tier"] != study.tier.value:
            raise InvalidInputError.one("package", f"{name} was made for another study or tier")
        if manifest["consent_version"] != study.consent_version:
            raise InvalidInputError.one(
                "package",
                f"{name} agreed to consent "
                f"{manifest['consent_version']}, not {study.consent_version}",
            )
        on = date(
            int(manifest["donated_in"]), 1, 1
        )  # joined by the start of that year at the latest
        records.append(Participation(manifest["participant"], Event.JOINED, on))
        donated[manifest["participant"]] = tables
    for participant in withdrawn:
        records.append(Participation(participant, Event.WITHDRAWN, today))
    membership = members_at(records, today)
    native: dict[str, list[di.Row]] = {t_.name: [] for t_ in di.tables_for(study)}
    for member in membership.members:
        for name, rows in donated[member].items():
            native[name].extend(rows)
    table = person_level(native, study.tier)
    report = risk.assess(table, QUASI_IDENTIFIERS[study.tier], SENSITIVE, study.k)
    if not report.passes:  # before pyCANON, which cannot measure a table of no one
        raise ConflictError(f"export refused: {report.reason}; nothing was written")
    canon = _pycanon_agrees(table, QUASI_IDENTIFIERS[study.tier], report)
    libraries = _library_report(study, table, canon, today)
    if out.exists():
        raise ConflictError(f"{out} already exists; choose a new folder for this freeze")
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _write_freeze(
            staging, study, native, membership.withdrawn, report, libraries, today, left_out or {}
        )
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # all of a freeze, or nothing
        raise
    return Frozen(
        membership.members, tuple(p for p, _ in membership.withdrawn), report, out, libraries
    )


def _pycanon_agrees(
    table: list[dict[str, Any]], qis: tuple[str, ...], report: risk.RiskReport
) -> disclosure.CanonFigures:
    """pyCANON's k, l and t on the table Mitra judged. Mitra's own k gates the freeze (a pure,
    known-answer rule in the domain); pyCANON must find the same figures: a difference is a bug
    in one of them, so it raises rather than freeze on a figure two implementations dispute."""
    canon = disclosure.pycanon_figures(table, qis, SENSITIVE)
    if (canon.k, canon.l_diversity) != (report.k, report.l_diversity) or any(
        abs(canon.t_closeness[s] - report.t_closeness[s]) > 1e-6 for s in SENSITIVE
    ):
        mine = (report.k, report.l_diversity, report.t_closeness)
        raise RuntimeError(f"pyCANON found {canon}, Mitra k, l, t = {mine}: a bug, not a freeze")
    return canon


def _library_report(
    study: Study, table: list[dict[str, Any]], canon: disclosure.CanonFigures, today: date
) -> dict[str, Any]:
    """pyCANON's figures and anonymeter's attacks on the person-level table. The freeze releases
    the packages as donated, so the table as Mitra holds it is both the original and the released
    one; the control half is held out with a seed from the study id and the freeze date."""
    qis = QUASI_IDENTIFIERS[study.tier]
    attacks = disclosure.anonymeter_attacks(
        table, table, qis, SENSITIVE, disclosure.split_seed(study.id, today)
    )
    return {
        "versions": disclosure.library_versions(),
        "pycanon": asdict(canon),
        "anonymeter": {**asdict(attacks), "confidence_level": disclosure.CONFIDENCE},
    }


def _write_freeze(
    folder: Path,
    study: Study,
    native: dict[str, list[di.Row]],
    withdrawn: tuple[tuple[str, date], ...],
    report: risk.RiskReport,
    libraries: dict[str, Any],
    today: date,
    left_out: Mapping[str, int],
) -> None:
    columnar.write_parquet(folder / "native", native)
    columnar.write_parquet(folder / "omop", omop.to_omop(study, native, today))
    columnar.write_duckdb(folder / "omop.duckdb", folder / "omop")
    summary = {
        "study_id": study.id,
        "tier": study.tier.value,
        "frozen_on": today.isoformat(),
        "members": len(native["persons"]),
        "withdrawn_left_out": len(withdrawn),
        **left_out,
        "min_cell": study.min_cell,
        "risk": {**asdict(report), "passes": report.passes, "reason": report.reason},
        **libraries,
    }
    write_private_text(folder / "risk_report.json", json.dumps(summary, indent=2) + "\n")


def stats(freeze_dir: Path, engine: str = "duckdb") -> dict[str, list[cohort.Cell]]:
    """Every cohort query on one engine over the freeze's native Parquet, cells below the
    study's minimum suppressed."""
    summary = json.loads((freeze_dir / "risk_report.json").read_text(encoding="utf-8"))
    rows = raw_stats(freeze_dir, engine)
    return {name: cohort.summarise(r, summary["min_cell"]) for name, r in rows.items()}


def raw_stats(freeze_dir: Path, engine: str) -> dict[str, list[tuple[Any, ...]]]:
    folder = freeze_dir / "native"
    if engine == "duckdb":
        return {n: columnar.duckdb_query(folder, sql) for n, sql in cohort.QUERIES.items()}
    if engine == "spark":
        with columnar.spark_session() as spark:
            return {
                n: columnar.spark_query(spark, folder, sql) for n, sql in cohort.QUERIES.items()
            }
    raise InvalidInputError.one("engine", "duckdb or spark")
