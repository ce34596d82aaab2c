"""Password-protecting a PDF report with AES-256 (PDF 2.0 encryption, via pypdf + cryptography)."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader, PdfWriter

from mitra.errors import InvalidInputError

MIN_PASSWORD = 8


def protect_pdf(pdf: bytes, password: str) -> bytes:
    """The same PDF, openable only with `password` (AES-256)."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInputError.one(
            "password", f"use at least {MIN_PASSWORD} characters for a report password"
        )
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
