"""withdrawal.*: SOWS raw rise (no sourced bands) and withdrawal-type effects after a gap."""

from __future__ import annotations

from mitra.domain.journal import Effect
from mitra.domain.safety import Rules

from .helpers import RULES, ago, daily, effect, ids, response, run, snap


def test_a_sows_rise_of_one_point_fires_and_no_rise_does_not() -> None:
    rising = (response("sows", ago(10), 10), response("sows", ago(1), 11))
    alerts = run(snap(responses=rising))
    assert ids(alerts) == ["withdrawal.sows"]
    assert "rose from 10 on 2026-11-15 12:00 to 11 on 2026-11-24 12:00" in alerts[0].because
    assert run(snap(responses=(response("sows", ago(10), 10), response("sows", ago(1), 10)))) == []
    assert run(snap(responses=(response("sows", ago(1), 30),))) == []
    old = (response("sows", ago(40), 1), response("sows", ago(1), 30))
    assert run(snap(responses=old)) == []


def test_withdrawal_effects_24_hours_after_regular_use_fire() -> None:
    uses = daily(range(3, 17))  # daily use at 08:00 from 16 to 3 days ago
    last = ago(3).replace(hour=8)
    sweating = effect(Effect.SWEATING, last.replace(hour=8) + (ago(0) - ago(1)), 6)
    alerts = run(snap(uses=uses, effects=(sweating,)))
    assert ids(alerts) == ["withdrawal.after_gap"]
    assert "24 hours after your last logged use (2026-11-22 08:00)" in alerts[0].because
    assert "use on 14 of the 14 days before" in alerts[0].because


def test_no_alert_before_24_hours_without_regular_use_or_for_other_effects() -> None:
    uses = daily(range(3, 17))
    last = ago(3).replace(hour=8)
    soon = effect(Effect.SWEATING, last + (ago(0) - ago(0, 23)), 6)
    assert run(snap(uses=uses, effects=(soon,))) == []
    few = daily(range(3, 7))
    assert run(snap(uses=few, effects=(effect(Effect.INSOMNIA, ago(1), 6),))) == []
    assert run(snap(uses=uses, effects=(effect(Effect.ITCHING, ago(1), 6),))) == []
    assert run(snap(effects=(effect(Effect.NAUSEA, ago(1), 6),))) == []
    assert run(snap(uses=daily(range(20, 34)), effects=(effect(Effect.NAUSEA, ago(15), 6),))) == []


def test_missing_rules_do_not_run() -> None:
    empty = Rules({}, RULES.classes, RULES.lexicon)
    s = snap(
        uses=daily(range(3, 17)),
        effects=(effect(Effect.NAUSEA, ago(1), 6),),
        responses=(response("sows", ago(10), 1), response("sows", ago(1), 30)),
    )
    assert run(s, empty) == []
