"""Validated questionnaires: the model, scoring, and change between administrations (pure)."""

from .change import Change, compare
from .model import (
    Band,
    CutPoint,
    Exclusion,
    Flag,
    Instrument,
    InvalidAnswerError,
    Item,
    Loinc,
    MeaningfulChange,
    Option,
    Remission,
    Response,
    Score,
    ScoreFlag,
    Scoring,
    Source,
    Subscale,
    UnknownInstrumentError,
)
from .scoring import score

__all__ = [
    "Band",
    "Change",
    "CutPoint",
    "Exclusion",
    "Flag",
    "Instrument",
    "InvalidAnswerError",
    "Item",
    "Loinc",
    "MeaningfulChange",
    "Option",
    "Remission",
    "Response",
    "Score",
    "ScoreFlag",
    "Scoring",
    "Source",
    "Subscale",
    "UnknownInstrumentError",
    "compare",
    "score",
]
