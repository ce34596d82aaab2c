"""A questionnaire score as JSON: the one shape the REST API and `mitra measures ... --json` share
(same keys, same order, always)."""

from __future__ import annotations

from typing import Any

from mitra.domain.instruments import Score, ScoreFlag


def flag_json(flag: ScoreFlag) -> dict[str, Any]:
    return {
        "code": flag.code,
        "label": flag.label,
        "status": flag.status,
        "because": flag.because,
        "source": flag.source,
    }


def score_json(scored: Score) -> dict[str, Any]:
    return {
        "instrument": scored.instrument_id,
        "instrument_version": scored.instrument_version,
        "answers": dict(scored.answers),
        "total": scored.total,
        "band": scored.band_code,
        "band_label": scored.band_label,
        "complete": scored.complete,
        "missing_items": list(scored.missing_items),
        "flags": [flag_json(f) for f in scored.flags],
        "subscores": dict(scored.subscores),
        "reasons": list(scored.reasons),
    }
