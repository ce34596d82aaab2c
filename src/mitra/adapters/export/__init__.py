"""Formats the journal leaves in: Mitra's JSON and CSV, FHIR R4, and KratomTracker CSV (import)."""
