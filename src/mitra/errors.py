"""Typed errors raised by every layer; each knows the HTTP status the web edge renders it with.

The domain raises these in domain words; the CLI prints them on one line and exits with code 2, the
web layer's one handler turns them into JSON (under /api/) or an HTML page.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with one input field: which field, and why, in plain words."""

    field: str
    reason: str


class MitraError(Exception):
    """Base of every error Mitra raises on purpose."""

    status: int = 400
    exit_code: int = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInputError(MitraError):
    """Input that breaks a rule; carries every problem found, each naming its field."""

    status = 422

    def __init__(self, problems: list[FieldProblem] | FieldProblem) -> None:
        self.problems = [problems] if isinstance(problems, FieldProblem) else list(problems)
        super().__init__("; ".join(f"{p.field}: {p.reason}" for p in self.problems))

    @classmethod
    def one(cls, field_name: str, reason: str) -> InvalidInputError:
        return cls(FieldProblem(field_name, reason))


class NotFoundError(MitraError):
    status = 404


class ConflictError(MitraError):
    status = 409


class ForbiddenError(MitraError):
    status = 403


class ConfigurationError(MitraError):
    """Settings that are unsafe or contradictory; refused at start, never worked around."""

    status = 500


class LockedError(MitraError):
    """The journal is encrypted and no passphrase was given: nothing was opened."""

    status = 401


class WrongPassphraseError(LockedError):
    """The passphrase does not open this journal. Nothing was opened or changed."""


class StorageError(MitraError):
    """The store cannot do what was asked (newer schema, unreachable server, disk full...)."""

    status = 503


class DamagedJournalError(StorageError):
    """The journal file fails SQLite's format or integrity checks (not a passphrase problem)."""

    status = 503


@dataclass(frozen=True)
class Problems:
    """Collects field problems during validation, then raises them all at once."""

    items: list[FieldProblem] = field(default_factory=list)

    def add(self, field_name: str, reason: str) -> None:
        self.items.append(FieldProblem(field_name, reason))

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidInputError(self.items)
