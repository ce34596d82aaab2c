"""Research studies on a server-mode Mitra (#22): a researcher publishes a study, people join
from their own journal and withdraw, and the researcher freezes the donations the server holds.

A study is server-wide (`studies`, migration 0014): the study.yaml as published, with its consent
version. Joining is `research.donate` on the person's journal with the package stored for the
study (`study_donations`) in the same transaction; withdrawing is `research.withdraw`, which marks
the stored package withdrawn in the same transaction, so the next freeze leaves the person out.
A researcher sees only their own studies and only the de-identified packages (never a journal);
a person sees only their own donations. Whatever is not yours is NotFoundError, as an id that
does not exist.

Consent versions (migration 0015): the researcher publishes a new declaration of the same study
with a new consent version (`publish_version`; every version kept in `study_versions`). A person
on an older version reads the new text and agrees (`reconsent`: the package made again under it,
one transaction) or withdraws; until then the next freeze leaves them out and counts them as
awaiting re-consent. Closing a study (`close`) stops new joins; donations already given stay in
the researcher's freezes until each person withdraws (docs/research.md, "On a server").
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from mitra.adapters.research import package
from mitra.adapters.store import tables as t
from mitra.adapters.store.tables import NO_JOURNAL
from mitra.domain.consent import require_researcher
from mitra.domain.research import deidentify as di
from mitra.domain.research import stats as cohort
from mitra.domain.research.study import Study
from mitra.errors import ConflictError, InvalidInputError, NotFoundError
from mitra.services import consent, research
from mitra.services.context import Mitra

NO_STUDY = "no such study"
ENGINES = ("duckdb", "spark")


@dataclass(frozen=True)
class Published:
    id: int
    study: Study
    declaration: str  # the study.yaml as published
    researcher_account_id: int
    published_at: datetime
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def _base(mitra: Mitra) -> Mitra:
    return mitra.for_journal(NO_JOURNAL)


def _published(row: sa.Row[tuple[object, ...]]) -> Published:
    m = row._mapping
    study = package.study_from_yaml(str(m["declaration"]), f"study {m['id']}")
    return Published(
        int(m["id"]),
        study,
        str(m["declaration"]),
        int(m["researcher_account_id"]),
        m["published_at"],
        m["closed_at"],
    )


def publish(mitra: Mitra, researcher_account_id: int, declaration: str) -> Published:
    """Publish a study declaration (the study.yaml text; every problem reported at once)."""
    require_researcher(consent.roles(mitra, researcher_account_id))
    study = package.study_from_yaml(declaration)
    with _base(mitra).store.write() as conn:
        taken = conn.execute(
            sa.select(t.studies.c.id).where(t.studies.c.study_key == study.id)
        ).first()
        if taken is not None:
            raise ConflictError(f"a study with the id {study.id!r} is already published")
        new_id = conn.execute(
            t.studies.insert()
            .values(
                researcher_account_id=researcher_account_id,
                study_key=study.id,
                declaration=declaration,
                consent_version=study.consent_version,
                published_at=mitra.now(),
            )
            .returning(t.studies.c.id)
        ).scalar_one()
        conn.execute(
            t.study_versions.insert().values(
                study_id=new_id,
                consent_version=study.consent_version,
                declaration=declaration,
                published_at=mitra.now(),
            )
        )
        return _published(conn.execute(t.studies.select().where(t.studies.c.id == new_id)).one())


def published(mitra: Mitra) -> list[Published]:
    """Every published study, newest first (what a person on the server may join)."""
    with _base(mitra).store.read() as conn:
        rows = conn.execute(t.studies.select().order_by(t.studies.c.id.desc()))
        return [_published(row) for row in rows]


def get(mitra: Mitra, study_pk: int) -> Published:
    with _base(mitra).store.read() as conn:
        row = conn.execute(t.studies.select().where(t.studies.c.id == study_pk)).first()
    if row is None:
        raise NotFoundError(NO_STUDY)
    return _published(row)


def of_researcher(mitra: Mitra, researcher_account_id: int) -> list[Published]:
    require_researcher(consent.roles(mitra, researcher_account_id))
    return [s for s in published(mitra) if s.researcher_account_id == researcher_account_id]


def own_study(mitra: Mitra, researcher_account_id: int, study_pk: int) -> Published:
    """A researcher's own study; another researcher's is NotFoundError."""
    require_researcher(consent.roles(mitra, researcher_account_id))
    found = get(mitra, study_pk)
    if found.researcher_account_id != researcher_account_id:
        raise NotFoundError(NO_STUDY)
    return found


def publish_version(
    mitra: Mitra, researcher_account_id: int, study_pk: int, declaration: str
) -> Published:
    """A new declaration of the researcher's own open study: the same id, a consent version it
    never had (the other fields may change too). People on an older version are asked again."""
    found = own_study(mitra, researcher_account_id, study_pk)
    study = package.study_from_yaml(declaration)
    if study.id != found.study.id:
        raise InvalidInputError.one("id", f"must stay {found.study.id!r} (this study's id)")
    with _base(mitra).store.write() as conn:
        if conn.execute(
            sa.select(t.studies.c.closed_at).where(t.studies.c.id == study_pk)
        ).scalar_one():
            raise ConflictError("this study is closed; publish a new study instead")
        v = t.study_versions
        used = conn.execute(
            sa.select(v.c.id).where(
                v.c.study_id == study_pk, v.c.consent_version == study.consent_version
            )
        ).first()
        if used is not None:
            raise ConflictError(
                f"consent version {study.consent_version!r} was already published; "
                "give the new consent text a new version"
            )
        now = mitra.now()
        conn.execute(
            v.insert().values(
                study_id=study_pk,
                consent_version=study.consent_version,
                declaration=declaration,
                published_at=now,
            )
        )
        conn.execute(
            t.studies.update()
            .where(t.studies.c.id == study_pk)
            .values(declaration=declaration, consent_version=study.consent_version)
        )
        return _published(conn.execute(t.studies.select().where(t.studies.c.id == study_pk)).one())


@dataclass(frozen=True)
class Version:
    consent_version: str
    consent_text: str
    published_at: datetime


def versions(mitra: Mitra, study_pk: int) -> list[Version]:
    """Every consent version the study was published with, oldest first."""
    v = t.study_versions
    with _base(mitra).store.read() as conn:
        rows = conn.execute(v.select().where(v.c.study_id == study_pk).order_by(v.c.id)).all()
    return [
        Version(
            str(row.consent_version),
            package.study_from_yaml(str(row.declaration)).consent_text,
            row.published_at,
        )
        for row in rows
    ]


def close(mitra: Mitra, researcher_account_id: int, study_pk: int) -> Published:
    """Close the researcher's own study to new people (again: no change). Donations already
    given are kept, and freezes still hold them, until each person withdraws."""
    own_study(mitra, researcher_account_id, study_pk)
    with _base(mitra).store.write() as conn:
        conn.execute(
            t.studies.update()
            .where(t.studies.c.id == study_pk, t.studies.c.closed_at.is_(None))
            .values(closed_at=mitra.now())
        )
        return _published(conn.execute(t.studies.select().where(t.studies.c.id == study_pk)).one())


@dataclass(frozen=True)
class Counts:
    members: int  # in force, on the current consent version
    withdrawn: int
    awaiting_reconsent: int = 0  # in force, on an older consent version


def counts(mitra: Mitra, study_pk: int) -> Counts:
    d, s = t.study_donations, t.studies
    current = d.c.consent_version == s.c.consent_version
    with _base(mitra).store.read() as conn:
        rows = conn.execute(
            sa.select(d.c.withdrawn_at.is_(None), current, sa.func.count())
            .join(s, s.c.id == d.c.study_id)
            .where(d.c.study_id == study_pk)
            .group_by(d.c.withdrawn_at.is_(None), current)
        ).all()
    found = {(bool(active), bool(now)): int(n) for active, now, n in rows}
    withdrawn = found.get((False, True), 0) + found.get((False, False), 0)
    return Counts(found.get((True, True), 0), withdrawn, found.get((True, False), 0))


def join(
    journal: Mitra, person_account_id: int, study_pk: int, donor: di.Donor
) -> research.Donated:
    """The person's journal, de-identified by the study's tier, stored for the study on the
    server in the same transaction that records the donation in the journal."""
    found = get(journal, study_pk)
    if not found.is_open:
        raise ConflictError("this study is closed to new people")

    def send(conn: sa.Connection, done: research.Donated) -> None:
        conn.execute(
            t.study_donations.insert().values(
                study_id=found.id,
                person_account_id=person_account_id,
                participant=done.participant,
                consent_version=found.study.consent_version,
                package=done.data,
                sha256=done.sha256,
                joined_at=journal.now(),
            )
        )

    return research.donate(journal, found.study, donor, send=send)


def reconsent(
    journal: Mitra, person_account_id: int, study_pk: int, donor: di.Donor
) -> research.Donated:
    """Agree to the study's current consent version: the person's package made again under it
    replaces the one the server holds, in the transaction that moves the journal's donation."""
    found = get(journal, study_pk)
    d = t.study_donations

    def send(conn: sa.Connection, done: research.Donated) -> None:
        moved = conn.execute(
            d.update()
            .where(
                d.c.study_id == found.id,
                d.c.person_account_id == person_account_id,
                d.c.participant == done.participant,
                d.c.withdrawn_at.is_(None),
            )
            .values(
                consent_version=found.study.consent_version, package=done.data, sha256=done.sha256
            )
        )
        if moved.rowcount != 1:
            raise NotFoundError("you gave nothing to this study")

    return research.reconsent(journal, found.study, donor, send=send)


def my_package(mitra: Mitra, person_account_id: int, study_pk: int) -> tuple[str, bytes]:
    """The package this person gave the study, exactly as the researcher gets it; anyone
    else's is NotFoundError."""
    d = t.study_donations
    with _base(mitra).store.read() as conn:
        row = conn.execute(
            sa.select(d.c.participant, d.c.package).where(
                d.c.study_id == study_pk, d.c.person_account_id == person_account_id
            )
        ).first()
    if row is None:
        raise NotFoundError("you gave nothing to this study")
    return str(row.participant), bytes(row.package)


def my_studies(mitra: Mitra, person_account_id: int) -> dict[str, int]:
    """The study ids (keys) this person gave to on this server, and each one's number."""
    d, s = t.study_donations, t.studies
    with _base(mitra).store.read() as conn:
        rows = conn.execute(
            sa.select(s.c.study_key, s.c.id)
            .join(d, d.c.study_id == s.c.id)
            .where(d.c.person_account_id == person_account_id)
        ).all()
    return {str(key): int(pk) for key, pk in rows}


def awaiting_reconsent(mitra: Mitra, person_account_id: int) -> list[Published]:
    """The studies this person gave to, has not withdrawn from, whose consent version moved on
    since they agreed: they are asked to agree to the new text or withdraw."""
    d, s = t.study_donations, t.studies
    with _base(mitra).store.read() as conn:
        rows = conn.execute(
            s.select()
            .join(d, d.c.study_id == s.c.id)
            .where(
                d.c.person_account_id == person_account_id,
                d.c.withdrawn_at.is_(None),
                d.c.consent_version != s.c.consent_version,
            )
            .order_by(s.c.id)
        ).all()
    return [_published(row) for row in rows]


def freeze(
    mitra: Mitra, study_pk: int, out: Path, today: date, researcher_account_id: int | None
) -> research.Frozen:
    """Freeze the study's stored donations, withdrawn people left out (`research.freeze_packages`:
    refused when k is below the study's). `researcher_account_id` None is the server's operator
    at the command line (`mitra research freeze --study-id`), who holds the database anyway."""
    if researcher_account_id is None:
        found = get(mitra, study_pk)
    else:
        found = own_study(mitra, researcher_account_id, study_pk)
    d = t.study_donations
    with _base(mitra).store.read() as conn:
        rows = conn.execute(
            sa.select(d.c.participant, d.c.package, d.c.withdrawn_at, d.c.consent_version)
            .where(d.c.study_id == study_pk)
            .order_by(d.c.id)
        ).all()
    current = [row for row in rows if row.consent_version == found.study.consent_version]
    earlier = [row for row in rows if row.consent_version != found.study.consent_version]
    packages = [
        (f"{row.participant}.zip", *package.read_package_bytes(bytes(row.package), row.participant))
        for row in current
    ]
    withdrawn = [str(row.participant) for row in current if row.withdrawn_at is not None]
    awaiting = sum(1 for row in earlier if row.withdrawn_at is None)
    return research.freeze_packages(
        found.study,
        packages,
        withdrawn,
        out,
        today,
        left_out={
            "awaiting_reconsent": awaiting,
            "withdrawn_under_earlier_consent": len(earlier) - awaiting,
        },
    )


@dataclass(frozen=True)
class FrozenStats:
    """The cohort statistics of a freeze made now, with its summary (risk_report.json)."""

    summary: dict[str, Any]
    stats: dict[str, list[cohort.Cell]]


def freeze_stats(
    mitra: Mitra, researcher_account_id: int, study_pk: int, today: date, engine: str
) -> FrozenStats:
    """`freeze` into a folder that is not kept, then `research.stats` on it (cells below the
    study's minimum suppressed), as `mitra research stats` on the same freeze."""
    if engine not in ENGINES:
        raise InvalidInputError.one("engine", " or ".join(ENGINES))
    with tempfile.TemporaryDirectory(prefix="mitra-freeze-") as folder:
        out = Path(folder) / "freeze"
        freeze(mitra, study_pk, out, today, researcher_account_id)
        summary = json.loads((out / "risk_report.json").read_text(encoding="utf-8"))
        return FrozenStats(summary, research.stats(out, engine))


def freeze_archive(
    mitra: Mitra, researcher_account_id: int, study_pk: int, today: date
) -> tuple[research.Frozen, bytes]:
    """`freeze` as one .zip to download (nothing is kept on the server)."""
    with tempfile.TemporaryDirectory(prefix="mitra-freeze-") as folder:
        out = Path(folder) / "freeze"
        frozen = freeze(mitra, study_pk, out, today, researcher_account_id)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(out.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(out).as_posix())
        return frozen, buffer.getvalue()
