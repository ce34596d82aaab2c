"""The schema, as SQLAlchemy Core tables. Change it only together with a migration."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.interfaces import ExecutionContext

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = sa.MetaData(naming_convention=NAMING)


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC; hands back aware UTC datetimes on both databases."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: journal times carry a zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def _rating(name: str, *, nullable: bool = True) -> sa.Column[int]:
    check = sa.CheckConstraint(f"{name} BETWEEN 0 AND 10", name=f"{name}_0_10")
    return sa.Column(name, sa.SmallInteger, check, nullable=nullable)


def _created() -> sa.Column[datetime]:
    return sa.Column("created_at", UTCDateTime, nullable=False)


def _id() -> sa.Column[int]:
    """An id that is never reused (migration 0005): an identity column on PostgreSQL; on SQLite
    the table is AUTOINCREMENT (`NEVER_REUSED`), so a deleted entry's id is not handed out again."""
    return sa.Column("id", sa.Integer, sa.Identity(), primary_key=True)


def _client_id() -> sa.Column[str]:
    """The id a browser gave an entry it queued offline (migration 0006): stored once per
    journal (migration 0008: `_per_journal`), so one person's ids never collide with another's."""
    return sa.Column("client_id", sa.String(64), nullable=True)


def _version() -> sa.Column[int]:
    """Raised by every edit; a stale edit or delete form (an older version) is refused."""
    return sa.Column("version", sa.Integer, nullable=False, server_default="1")


NEVER_REUSED: dict[str, Any] = {"sqlite_autoincrement": True}

PERSONAL_JOURNAL = 1  # the one journal of personal mode (migration 0008 puts existing rows in it)
JOURNAL_OPTION = "mitra_journal_id"  # the execution option naming a connection's journal
NO_JOURNAL = 0  # a transaction for no journal (accounts): journal tables show it nothing
# SQLite: False when the transaction found that every journal of the store is its own, so the
# journal filter has nothing to hide (see `engine.Store._decide_filter`); absent means filter.
FILTER_OPTION = "mitra_journal_filter"


def current_journal(context: ExecutionContext) -> int:
    """The journal a row is written to: the one its transaction was opened for (`Store`).

    Outside a `Store` transaction (a tool on the bare engine) rows go to the personal journal;
    a transaction opened for no journal may not write journal rows at all."""
    journal_id = context.execution_options.get(JOURNAL_OPTION, PERSONAL_JOURNAL)
    if journal_id == NO_JOURNAL:
        raise ValueError("a journal row written outside any journal's transaction")
    return int(journal_id)


journals = sa.Table(
    "journals",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("label", sa.String(200), nullable=False, server_default=""),
    sa.Column("created_at", UTCDateTime, nullable=False),
    **NEVER_REUSED,
)


def _journal_id(*, primary_key: bool = False) -> sa.Column[int]:
    """The journal a row belongs to (migration 0008), stamped from the transaction's journal.
    On PostgreSQL row-level security also limits every query to it (see `engine.Store`)."""
    return sa.Column(
        "journal_id",
        sa.Integer,
        sa.ForeignKey("journals.id", ondelete="CASCADE"),
        nullable=False,
        index=not primary_key,
        primary_key=primary_key,
        default=current_journal,
    )


def data_columns(table: sa.Table) -> list[sa.Column[Any]]:
    """The columns holding the person's data: all but which journal a row is in (a storage
    matter, never exported, backed up or imported: a row always goes to the journal at hand)."""
    return [column for column in table.columns if column.name != "journal_id"]


def _per_journal(name: str, column: str) -> sa.Index:
    """One `column` value per journal (two journals may each hold it)."""
    return sa.Index(f"ix_{name}_journal_{column}", "journal_id", column, unique=True)


preferences = sa.Table(
    "preferences",
    metadata,
    _journal_id(primary_key=True),
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

products = sa.Table(
    "products",
    metadata,
    _id(),
    _journal_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("vendor", sa.String(200), nullable=False, server_default=""),
    sa.Column("form", sa.String(20), nullable=False),
    sa.Column("mitragynine_mg_per_g", sa.Float),
    sa.Column("mitragynine_mg_per_unit", sa.Float),
    sa.Column("seven_oh_mg_per_unit", sa.Float),
    sa.Column("serving_unit", sa.String(10)),
    sa.Column("custom_units", sa.JSON, nullable=False),
    sa.Column("lot", sa.String(200), nullable=False, server_default=""),
    sa.Column("coa_url", sa.String(500), nullable=False, server_default=""),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    _created(),
    _version(),
    **NEVER_REUSED,
)

use_events = sa.Table(
    "use_events",
    metadata,
    _id(),
    _journal_id(),
    sa.Column(
        "product_id", sa.Integer, sa.ForeignKey("products.id", ondelete="RESTRICT"), nullable=False
    ),
    sa.Column("taken_at", UTCDateTime, nullable=False, index=True),
    sa.Column("tz", sa.String(64), nullable=False),
    sa.Column(
        "amount", sa.Float, sa.CheckConstraint("amount > 0", name="amount_positive"), nullable=False
    ),
    sa.Column("unit", sa.String(30), nullable=False),
    sa.Column("grams_product", sa.Float),
    sa.Column("grams_leaf", sa.Float),
    sa.Column("mg_mitragynine", sa.Float),
    sa.Column("mg_7oh", sa.Float),
    sa.Column("conversion_note", sa.Text, nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    _created(),
    _version(),
    _client_id(),
    _per_journal("use_events", "client_id"),
    **NEVER_REUSED,
)

checkins = sa.Table(
    "checkins",
    metadata,
    _id(),
    _journal_id(),
    sa.Column("recorded_at", UTCDateTime, nullable=False, index=True),
    sa.Column("tz", sa.String(64), nullable=False),
    _rating("mood"),
    _rating("anxiety"),
    _rating("pain"),
    _rating("sleep"),
    _rating("craving"),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    _created(),
    _version(),
    _client_id(),
    _per_journal("checkins", "client_id"),
    **NEVER_REUSED,
)

medications = sa.Table(
    "medications",
    metadata,
    _id(),
    _journal_id(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("dose_text", sa.String(200), nullable=False, server_default=""),
    sa.Column("schedule", sa.String(20), nullable=False),
    sa.Column("started_on", sa.Date),
    sa.Column("stopped_on", sa.Date),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    _created(),
    _version(),
    **NEVER_REUSED,
)

adverse_effects = sa.Table(
    "adverse_effects",
    metadata,
    _id(),
    _journal_id(),
    sa.Column("occurred_at", UTCDateTime, nullable=False, index=True),
    sa.Column("tz", sa.String(64), nullable=False),
    sa.Column("effect", sa.String(30), nullable=False),
    sa.Column("other_text", sa.String(200), nullable=False, server_default=""),
    _rating("severity", nullable=False),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    _created(),
    _version(),
    **NEVER_REUSED,
)

vitals = sa.Table(
    "vitals",
    metadata,
    _id(),
    _journal_id(),
    sa.Column("measured_at", UTCDateTime, nullable=False, index=True),
    sa.Column("tz", sa.String(64), nullable=False),
    sa.Column("heart_rate", sa.SmallInteger),
    sa.Column("systolic", sa.SmallInteger),
    sa.Column("diastolic", sa.SmallInteger),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    _created(),
    _version(),
    **NEVER_REUSED,
)

questionnaire_responses = sa.Table(
    "questionnaire_responses",
    metadata,
    _id(),
    _journal_id(),
    sa.Column("instrument_id", sa.String(32), nullable=False, index=True),
    sa.Column("instrument_version", sa.String(200), nullable=False),
    sa.Column("taken_at", UTCDateTime, nullable=False, index=True),
    sa.Column("tz", sa.String(64), nullable=False),
    sa.Column("answers", sa.JSON, nullable=False),
    sa.Column("total", sa.Float),
    sa.Column("band_code", sa.String(40)),
    sa.Column("band_label", sa.String(200)),
    sa.Column("subscores", sa.JSON, nullable=False),
    sa.Column("complete", sa.Boolean, nullable=False),
    sa.Column("missing_items", sa.JSON, nullable=False),
    sa.Column("flags", sa.JSON, nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False),
    sa.Column("sex", sa.String(10)),
    _created(),
    **NEVER_REUSED,
)


activity = sa.Table(
    "activity",
    metadata,
    _id(),
    _journal_id(),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Column("counts", sa.JSON, nullable=False),
    **NEVER_REUSED,
)

alerts = sa.Table(
    "alerts",
    metadata,
    _id(),
    _journal_id(),
    sa.Column("rule_id", sa.String(60), nullable=False),
    sa.Column("key", sa.String(300), nullable=False),
    sa.Column("severity", sa.String(10), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("because", sa.Text, nullable=False),
    sa.Column("what_to_do", sa.Text, nullable=False),
    sa.Column("sources", sa.JSON, nullable=False),
    sa.Column("evidence_at", UTCDateTime),
    sa.Column("first_seen", UTCDateTime, nullable=False),
    sa.Column("last_seen", UTCDateTime, nullable=False),
    sa.Column("acknowledged_at", UTCDateTime),
    sa.Column("resolved_at", UTCDateTime),
    sa.Column("times_raised", sa.Integer, nullable=False, server_default="1"),
    _per_journal("alerts", "key"),
    **NEVER_REUSED,
)

taper_plans = sa.Table(
    "taper_plans",
    metadata,
    _id(),
    _journal_id(),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("tz", sa.String(64), nullable=False),
    sa.Column("pace_id", sa.String(40), nullable=False),
    sa.Column("pace_name", sa.String(200), nullable=False),
    sa.Column("pace_kind", sa.String(20), nullable=False),
    sa.Column("percent", sa.Float),
    sa.Column("grams", sa.Float),
    sa.Column("every_days", sa.Integer, nullable=False),
    sa.Column("ceiling_percent", sa.Float, nullable=False),
    sa.Column("unit", sa.Float, nullable=False),
    sa.Column("capsules", sa.Boolean, nullable=False),
    sa.Column("axis", sa.String(20), nullable=False),
    sa.Column("min_doses", sa.SmallInteger, nullable=False),
    sa.Column("stop_from", sa.Float),
    sa.Column("baseline_grams", sa.Float, nullable=False),
    sa.Column("baseline_doses", sa.Float, nullable=False),
    sa.Column("baseline_mg", sa.Float),
    sa.Column("baseline_first", sa.Date, nullable=False),
    sa.Column("baseline_last", sa.Date, nullable=False),
    sa.Column("baseline_detail", sa.JSON, nullable=False),
    **NEVER_REUSED,
)

taper_events = sa.Table(
    "taper_events",
    metadata,
    _id(),
    _journal_id(),
    sa.Column(
        "plan_id",
        sa.Integer,
        sa.ForeignKey("taper_plans.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("by", sa.String(20), nullable=False),
    sa.Column("why", sa.Text, nullable=False, server_default=""),
    sa.Column("every_days", sa.Integer),
    sa.Column("clinician", sa.String(200), nullable=False, server_default=""),
    sa.Column("agreed_on", sa.Date),
    sa.Column("step_index", sa.Integer),
    **NEVER_REUSED,
)

research_donations = sa.Table(
    "research_donations",
    metadata,
    _id(),
    _journal_id(),
    sa.Column("study_id", sa.String(63), nullable=False),
    sa.Column("participant", sa.String(40), nullable=False, unique=True),
    sa.Column("consent_version", sa.String(200), nullable=False),
    sa.Column("tier", sa.String(20), nullable=False),
    sa.Column("shift_weeks", sa.Integer, nullable=False),
    sa.Column("joined_at", UTCDateTime, nullable=False),
    sa.Column("withdrawn_at", UTCDateTime),
    **NEVER_REUSED,
)

JOURNAL_TABLES = (
    use_events,
    checkins,
    adverse_effects,
    vitals,
    medications,
    products,
    questionnaire_responses,
    activity,
    alerts,
    taper_plans,
    taper_events,
    research_donations,
)
PER_JOURNAL = "per_journal"  # table.info key: the table's rows belong to one journal each
for _table in (*JOURNAL_TABLES, preferences):
    _table.info[PER_JOURNAL] = True


# --- server mode (migration 0009): accounts, their sessions, API tokens and invitations --------
# Not journal tables: they are read before any journal is chosen (a login) and hold no journal
# content. Secrets are stored only as SHA-256 digests (sessions, tokens, invitations) or argon2id
# hashes (passwords).


def _server_table(name: str, *columns: sa.Column[Any] | sa.Constraint) -> sa.Table:
    """A server-wide table (not a journal's): an id that is never reused, then `columns`."""
    return sa.Table(name, metadata, _id(), *columns, **NEVER_REUSED)


def _account_ref(name: str, *, nullable: bool = False) -> sa.Column[int]:
    """An account the row belongs to; the row goes with the account."""
    return sa.Column(
        name,
        sa.Integer,
        sa.ForeignKey("accounts.id", ondelete="CASCADE"),
        nullable=nullable,
        index=True,
    )


def _consent_ref() -> sa.Column[int]:
    """The consent the row was made under; the row goes with the consent."""
    return sa.Column(
        "consent_id", sa.Integer, sa.ForeignKey("consents.id", ondelete="CASCADE"), nullable=False
    )


accounts = _server_table(
    "accounts",
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("totp_secret", sa.String(64)),
    sa.Column(
        "journal_id",
        sa.Integer,
        sa.ForeignKey("journals.id", ondelete="RESTRICT"),
        nullable=False,
        unique=True,
    ),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("disabled_at", UTCDateTime),
    # migration 0012 (issue #21): space-separated roles beyond "person" (domain.consent.Role)
    sa.Column("roles", sa.String(100), nullable=False, server_default="person"),
    # migration 0016: the time step of the last sign-in code accepted (each step once)
    sa.Column("totp_last_step", sa.BigInteger),
)

sessions = _server_table(
    "sessions",
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    _account_ref("account_id"),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_seen", UTCDateTime, nullable=False),
)

api_tokens = _server_table(
    "api_tokens",
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    _account_ref("account_id"),
    sa.Column("label", sa.String(100), nullable=False, server_default=""),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_used", UTCDateTime),
)

invitations = _server_table(
    "invitations",
    sa.Column("digest", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("used_at", UTCDateTime),
)


# --- clinician in the loop (migration 0012, issue #21) ----------------------------------------
# Not journal tables either: a consent joins two accounts, and the audit chain spans journals.
# What a clinician sees of a journal is read through that journal's own scope (`Store`).


consents = _server_table(
    "consents",
    _account_ref("person_account_id"),
    _account_ref("clinician_account_id", nullable=True),
    sa.Column("code_digest", sa.String(64), unique=True),  # the invitation code (until used)
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("state", sa.String(10), nullable=False),  # pending, active, revoked
    sa.Column("kinds", sa.String(200), nullable=False),
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("since", sa.Date),
    sa.Column("days", sa.Integer),
    sa.Column("until", sa.Date, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

consent_versions = sa.Table(
    "consent_versions",
    metadata,
    sa.Column(
        "consent_id",
        sa.Integer,
        sa.ForeignKey("consents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("terms", sa.Text, nullable=False),  # the scope and its plain words, as JSON
    sa.Column("changed_by", sa.Integer, nullable=False),  # the account that made the change
    sa.Column("change", sa.String(40), nullable=False),  # offered, accepted, revoked
    sa.Column("recorded_at", UTCDateTime, nullable=False),
)

audit_events = _server_table(
    "audit_events",
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.Column("actor_account_id", sa.Integer, nullable=False),
    sa.Column("actor_name", sa.String(64), nullable=False),
    sa.Column("actor_role", sa.String(20), nullable=False),
    sa.Column("subject_account_id", sa.Integer, nullable=False, index=True),
    sa.Column("subject_name", sa.String(64), nullable=False),
    sa.Column("action", sa.String(2), nullable=False),
    sa.Column("what", sa.String(40), nullable=False),
    sa.Column("kinds", sa.String(200), nullable=False),
    sa.Column("period", sa.String(200), nullable=False),
    sa.Column("source", sa.String(100), nullable=False),
    sa.Column("previous_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

questionnaire_requests = _server_table(
    "questionnaire_requests",
    _consent_ref(),
    _account_ref("person_account_id"),
    sa.Column("instrument_id", sa.String(20), nullable=False),
    sa.Column("requested_at", UTCDateTime, nullable=False),
    sa.Column("answered_at", UTCDateTime),
)


# migration 0013 (issue #21): a clinician's invitation code for a person (the other direction:
# the person enters it and chooses the scope).
clinic_invitations = _server_table(
    "clinic_invitations",
    _account_ref("clinician_account_id"),
    sa.Column("code_digest", sa.String(64), nullable=False, unique=True),
    sa.Column("made_at", UTCDateTime, nullable=False),
    sa.Column("used_at", UTCDateTime),
)

# migration 0013 (issue #21): a clinician's comment on, approval of, or proposed change to a
# person's taper plan, and the person's answer (accepted / declined / seen).
taper_reviews = _server_table(
    "taper_reviews",
    _consent_ref(),
    _account_ref("person_account_id"),
    sa.Column("plan_id", sa.Integer, nullable=False),
    sa.Column("clinician_name", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("every_days", sa.Integer),
    sa.Column("text", sa.String(500), nullable=False),
    sa.Column("made_at", UTCDateTime, nullable=False),
    sa.Column("answer", sa.String(10)),
    sa.Column("answered_at", UTCDateTime),
)

# migration 0014 (issue #22): studies published on a server-mode Mitra, and the de-identified
# packages people give them. Not journal tables: a study is server-wide, and a donation holds only
# what the study's tier lets leave (the secret date shift stays in the journal's
# research_donations row of the same participant).
studies = sa.Table(
    "studies",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    _account_ref("researcher_account_id"),
    sa.Column("study_key", sa.String(63), nullable=False, unique=True),  # the declaration's id
    sa.Column("declaration", sa.Text, nullable=False),  # the study.yaml as published
    sa.Column("consent_version", sa.String(200), nullable=False),
    sa.Column("published_at", UTCDateTime, nullable=False),
    sa.Column("closed_at", UTCDateTime),  # 0015: closed to new people (donations are kept)
    **NEVER_REUSED,
)

# migration 0015: every declaration a study was published with, one per consent version, so what
# each person agreed to stays readable after a new consent text (`studies` holds the current one).
study_versions = sa.Table(
    "study_versions",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column(
        "study_id", sa.Integer, sa.ForeignKey("studies.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("consent_version", sa.String(200), nullable=False),
    sa.Column("declaration", sa.Text, nullable=False),
    sa.Column("published_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("study_id", "consent_version"),
    **NEVER_REUSED,
)

study_donations = sa.Table(
    "study_donations",
    metadata,
    sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column(
        "study_id", sa.Integer, sa.ForeignKey("studies.id", ondelete="CASCADE"), nullable=False
    ),
    _account_ref("person_account_id"),
    sa.Column("participant", sa.String(40), nullable=False, unique=True),
    sa.Column("consent_version", sa.String(200), nullable=False),
    sa.Column("package", sa.LargeBinary, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("joined_at", UTCDateTime, nullable=False),
    sa.Column("withdrawn_at", UTCDateTime),
    sa.UniqueConstraint("study_id", "person_account_id"),
    **NEVER_REUSED,
)
