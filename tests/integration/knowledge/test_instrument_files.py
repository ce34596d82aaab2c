"""Contract test over every shipped instrument file, plus known answers scored through the files."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mitra.adapters.knowledge.instruments import get_instrument, load_instruments, parse_instrument
from mitra.adapters.knowledge.loader import read_yaml
from mitra.domain.instruments import Instrument, UnknownInstrumentError, compare, score
from mitra.errors import ConfigurationError

IDS = ("auditc", "gad7", "kud_dsm5", "pcl5", "peg", "phq9", "sds", "sows")
INTERVALS = {"phq9": 14, "gad7": 14, "pcl5": 30, "peg": 7, "sows": None, "sds": 30}
INTERVALS |= {"kud_dsm5": 30, "auditc": 90}


def filled(instrument: Instrument, value: int, **overrides: int | None) -> dict[str, int | None]:
    answers: dict[str, int | None] = dict.fromkeys(instrument.item_ids, value)
    answers.update({f"{instrument.id}.{key}": v for key, v in overrides.items()})
    return answers


# (id, all answers, overrides, sex, expected total, expected band, expected raised flags), source
KNOWN_ANSWERS: list[Any] = [
    pytest.param("phq9", 0, {}, None, 0, "minimal", (), id="phq9-min-camcops_phq9"),
    pytest.param("phq9", 1, {"q9": 0}, None, 8, "mild", (), id="phq9-8-mild-camcops_phq9"),
    pytest.param(
        "phq9", 0, {"q9": 1}, None, 1, "minimal", ("crisis.phq9_item9",), id="phq9-item9-aacn"
    ),
    pytest.param("phq9", 3, {}, None, 27, "severe", ("crisis.phq9_item9",), id="phq9-max"),
    pytest.param("gad7", 0, {}, None, 0, "minimal", (), id="gad7-min-gad7_scoring"),
    pytest.param(
        "gad7",
        2,
        {"q1": 0, "q2": 0},
        None,
        10,
        "moderate",
        ("screen.gad7_further_evaluation",),
        id="gad7-10-moderate-gad7_scoring",
    ),  # fmt: skip
    pytest.param(
        "gad7", 3, {}, None, 21, "severe", ("screen.gad7_further_evaluation",), id="gad7-max"
    ),
    pytest.param("pcl5", 0, {}, None, 0, None, (), id="pcl5-min-pcl5_clusters"),
    pytest.param("pcl5", 4, {}, None, 80, None, ("screen.pcl5_probable_ptsd",), id="pcl5-max"),
    pytest.param("peg", 10, {}, None, 10.0, None, (), id="peg-max-krebs2009"),
    pytest.param("peg", 4, {"p": 7}, None, 5.0, None, (), id="peg-mean-5-krebs2009"),
    pytest.param("sows", 4, {}, None, 64, None, (), id="sows-max-emcdda_sows"),
    pytest.param("sows", 0, {}, None, 0, None, (), id="sows-min-emcdda_sows"),
    pytest.param("sds", 3, {}, None, 15, None, (), id="sds-max-emcdda_sds"),
    pytest.param("sds", 0, {}, None, 0, None, (), id="sds-min-emcdda_sds"),
    pytest.param("auditc", 1, {}, "female", 3, None, ("screen.auditc_positive",), id="auditc-3-f"),
    pytest.param("auditc", 1, {}, "male", 3, None, (), id="auditc-3-male-negative-uscore_auditc"),
    pytest.param("auditc", 4, {}, "male", 12, None, ("screen.auditc_positive",), id="auditc-max"),
    pytest.param("kud_dsm5", 0, {}, None, 0, "below_threshold", (), id="kud-min-dsm5_sud_table"),
    pytest.param(
        "kud_dsm5", 1, {"supervised": 0}, None, 11, "severe", (), id="kud-max-dsm5_sud_table"
    ),
    pytest.param(
        "kud_dsm5",
        0,
        {"c10": 1, "c11": 1, "c1": 1, "supervised": 1},
        None,
        1,
        "below_threshold",
        (),
        id="kud-supervised-excludes-tolerance-withdrawal-dsm5_sud_table",
    ),  # fmt: skip
]


@pytest.mark.parametrize(
    ("instrument_id", "value", "overrides", "sex", "total", "band", "flags"), KNOWN_ANSWERS
)
def test_known_answer_through_the_shipped_file(
    instrument_id: str,
    value: int,
    overrides: dict[str, int],
    sex: str | None,
    total: float,
    band: str | None,
    flags: tuple[str, ...],
) -> None:
    instrument = get_instrument(instrument_id)
    result = score(instrument, filled(instrument, value, **overrides), sex=sex)
    assert result.total == pytest.approx(total)
    assert result.band_code == band
    assert tuple(f.code for f in result.flags if f.status == "raised") == flags


def test_every_instrument_has_a_known_answer_case() -> None:
    covered = {case.values[0] for case in KNOWN_ANSWERS}
    assert covered == set(load_instruments()) == set(IDS)


@pytest.mark.parametrize("instrument_id", IDS)
def test_required_fields_sources_and_as_of(instrument_id: str) -> None:
    instrument = get_instrument(instrument_id)
    for text in (instrument.title, instrument.short_title, instrument.description):
        assert text.strip()
    assert instrument.recall_period and instrument.missing_item_rule.startswith("Project policy")
    assert instrument.licence and instrument.attribution
    assert instrument.items and all(item.options for item in instrument.items)
    assert instrument.sources and all(s.url or s.doi for s in instrument.sources)
    assert instrument.as_of == date(2026, 11, 25)
    assert instrument.default_interval_days == INTERVALS[instrument_id]
    assert instrument.bands or instrument.no_bands_reason
    assert (instrument.loinc.panel and instrument.loinc.total) or instrument.loinc.note


@pytest.mark.parametrize("instrument_id", IDS)
def test_bands_partition_the_score_range(instrument_id: str) -> None:
    instrument = get_instrument(instrument_id)
    covered = [t for band in instrument.bands for t in range(int(band.min), int(band.max) + 1)]
    if instrument.bands:
        low, high = int(instrument.scoring.min), int(instrument.scoring.max)
        assert covered == list(range(low, high + 1))


def test_only_verified_loinc_codes_are_shipped() -> None:
    codes = {i.id: (i.loinc.panel, i.loinc.total) for i in load_instruments().values()}
    assert codes["phq9"] == ("44249-1", "44261-6")
    assert codes["auditc"] == ("72109-2", "75626-2")
    assert codes["gad7"] == (None, "70274-6")
    for instrument_id in ("pcl5", "peg", "sds", "sows", "kud_dsm5"):
        assert codes[instrument_id] == (None, None)


def test_honest_labels_for_sows_sds_and_checklist() -> None:
    assert "opioid withdrawal scale used in kratom research" in get_instrument("sows").description
    assert "No cut-off has been validated for kratom" in get_instrument("sds").description
    kud = get_instrument("kud_dsm5")
    assert kud.description.startswith("Criteria endorsed — not a diagnosis")
    assert all("not a diagnosis" in band.label for band in kud.bands[1:])


def test_unknown_instrument_raises() -> None:
    with pytest.raises(UnknownInstrumentError, match="unknown instrument 'bpi'"):
        get_instrument("bpi")


def good_file() -> dict[str, Any]:
    data = read_yaml("instruments/gad7.yaml")
    assert isinstance(data, dict)
    return dict(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "blue"}, "field colour: unknown field"),
        ({"title": None}, "field title: must be str"),
        ({"as_of": "soon"}, "field as_of: must be date"),
        ({"id": "phq9"}, "field id: 'phq9' does not match the file name"),
        ({"sources": []}, "field sources: must list at least one source"),
        ({"licence_source": "nowhere"}, "field licence_source: source 'nowhere' is not listed"),
        ({"scoring": {"method": "median", "min": 0, "max": 21, "source": "gad7_scoring"}},
         "field scoring.method: must be one of sum, mean, count"),
        ({"bands": [{"code": "a", "label": "A", "min": 0, "max": 9}]},
         "field bands: the last band must end at 21"),
        ({"bands": [{"code": "a", "label": "A", "min": 1, "max": 21}]},
         "field bands: band 'a' must start at 0"),
        ({"items": []}, "field items: must list at least one item"),
        ({"meaningful_change": {"points": 1, "percent": 2, "text": "t", "source": "gad7_scoring"}},
         "field meaningful_change.points: give exactly one of points or percent"),
        ({"meaningful_change": {"points": 1, "text": "t", "source": "gad7_scoring",
                                "applies_to": "worsening"}},
         "field meaningful_change.applies_to: must be either or improvement"),
    ],
)  # fmt: skip
def test_malformed_file_names_file_and_field(change: dict[str, Any], message: str) -> None:
    with pytest.raises(
        ConfigurationError, match=f"knowledge file instruments/gad7.yaml: {message}"
    ):
        parse_instrument({**good_file(), **change}, "instruments/gad7.yaml")


@pytest.mark.parametrize(
    ("earlier", "later", "meaningful"),
    [
        pytest.param(6, 4, True, id="fall-of-a-third-meets-30pct-improvement"),
        pytest.param(6, 5, False, id="fall-of-a-sixth-does-not"),
        pytest.param(6, 8, None, id="rise-of-a-third-gets-no-verdict"),
    ],
)
def test_peg_threshold_is_for_improvement_only(earlier: int, later: int, meaningful: bool) -> None:
    """cdc_checklist_peg speaks of "a 30% improvement" only, so the shipped file says so and a
    rise gets no meaningful verdict (it would be a claim the source does not make)."""
    peg = get_instrument("peg")
    assert peg.meaningful_change is not None
    assert (peg.meaningful_change.percent, peg.meaningful_change.applies_to) == (30, "improvement")
    change = compare(
        peg,
        score(peg, dict.fromkeys(peg.item_ids, earlier)),
        score(peg, dict.fromkeys(peg.item_ids, later)),
    )
    assert change.meaningful is meaningful


def test_points_thresholds_apply_either_way() -> None:
    """PHQ-9 (lowe2004) and PCL-5 (ncptsd_change) state a size of change, not a direction."""
    assert {i: get_instrument(i).meaningful_change.applies_to for i in ("phq9", "pcl5")} == {  # type: ignore[union-attr]
        "phq9": "either",
        "pcl5": "either",
    }
