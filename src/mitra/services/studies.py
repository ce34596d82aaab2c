"""Research studies on a server-mode Mitra (#22): a researcher publishes a study, people join
from their own journal and withdraw, and the researcher freezes the donations the server holds.

A study is server-wide (`studies`, migration 0014): the study.yaml as published, with its consent
version. Joining is `research.donate` on the person's journal with the package stored for the
study (`study_donations`) in the same transaction; withdrawing is `research.withdraw`, which marks
the stored package withdrawn in the same transaction, so the next freeze leaves the person out.
A researcher sees only their own studies and only the de-identified packages (never a journal);
a person sees only their own donations. Whatever is not yours is NotFoundError, as an id that
does not exist.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from mitra.adapters.research import package
from mitra.adapters.store import tables as t
from mitra.adapters.store.tables import NO_JOURNAL
from mitra.domain.consent import require_researcher
from mitra.domain.research import deidentify as di
from mitra.domain.research.study import Study
from mitra.errors import ConflictError, NotFoundError
from mitra.services import consent, research
from mitra.services.context import Mitra

NO_STUDY = "no such study"


@dataclass(frozen=True)
class Published:
    id: int
    study: Study
    declaration: str  # the study.yaml as published
    researcher_account_id: int
    published_at: datetime


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


@dataclass(frozen=True)
class Counts:
    members: int
    withdrawn: int


def counts(mitra: Mitra, study_pk: int) -> Counts:
    d = t.study_donations
    with _base(mitra).store.read() as conn:
        rows = conn.execute(
            sa.select(d.c.withdrawn_at.is_(None), sa.func.count())
            .where(d.c.study_id == study_pk)
            .group_by(d.c.withdrawn_at.is_(None))
        ).all()
    found = {bool(active): int(n) for active, n in rows}
    return Counts(found.get(True, 0), found.get(False, 0))


def join(
    journal: Mitra, person_account_id: int, study_pk: int, donor: di.Donor
) -> research.Donated:
    """The person's journal, de-identified by the study's tier, stored for the study on the
    server in the same transaction that records the donation in the journal."""
    found = get(journal, study_pk)

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
            sa.select(d.c.participant, d.c.package, d.c.withdrawn_at)
            .where(d.c.study_id == study_pk)
            .order_by(d.c.id)
        ).all()
    packages = [
        (f"{row.participant}.zip", *package.read_package_bytes(bytes(row.package), row.participant))
        for row in rows
    ]
    withdrawn = [str(row.participant) for row in rows if row.withdrawn_at is not None]
    return research.freeze_packages(found.study, packages, withdrawn, out, today)


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
