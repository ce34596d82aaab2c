"""overdose.signs: overdose signs after 7-OH, a large amount or any recent kratom use are urgent on
their own; the alert names the use it followed and carries the naloxone advice."""

from __future__ import annotations

from mitra.domain.journal import Effect
from mitra.domain.products import Product, ProductForm
from mitra.domain.safety import Rules, Severity

from .helpers import LEAF, RULES, ago, effect, ids, run, snap, use

SEVEN = Product("Seven Tabs", ProductForm.SEVEN_OH, coa_url="https://x", id=2)
HISTORY = tuple(use(ago(days=d), grams=3.0) for d in (8, 7, 6, 5, 4))
SIGN = effect(Effect.OTHER, ago(hours=1), other="Slow breathing")


def overdose(alerts: list) -> list:  # type: ignore[type-arg]
    return [a for a in alerts if a.rule_id == "overdose.signs"]


def test_slow_breathing_after_7oh_is_urgent_with_nothing_else_listed() -> None:
    s = snap(products=(LEAF, SEVEN), uses=(use(ago(hours=3), product_id=2),), effects=(SIGN,))
    [alert] = overdose(run(s))
    assert alert.severity is Severity.URGENT
    assert alert.because == (
        "You logged 'Slow breathing' on 2026-11-25 11:00, 2 hours after taking 'Seven Tabs', "
        "a concentrated 7-OH product (2026-11-25 09:00)."
    )
    assert alert.key == "overdose.signs"
    assert alert.evidence_at == ago(hours=1)
    assert "Emergency: call your local emergency number." in alert.what_to_do
    assert alert.what_to_do.endswith(
        "Ask a pharmacist where you live how to get naloxone, and keep it where the people around "
        "you can find it."
    )
    assert "lacdph-7oh-alert-2025" in alert.sources


def test_a_large_amount_is_named_with_its_ratio_to_the_usual_median() -> None:
    uses = (*HISTORY, use(ago(hours=2), grams=12.0))
    [alert] = overdose(run(snap(uses=uses, effects=(SIGN,))))
    assert "after taking 12 g of 'Red Bali', 4.0 times your usual amount" in alert.because


def test_a_usual_amount_still_raises_it_and_says_only_what_was_taken() -> None:
    uses = (*HISTORY, use(ago(hours=2), grams=3.0))
    [alert] = overdose(run(snap(uses=uses, effects=(SIGN,))))
    assert "after taking 3 g of 'Red Bali' (2026-11-25 10:00)." in alert.because


def test_the_7oh_use_is_named_before_a_later_leaf_use() -> None:
    uses = (use(ago(hours=5), product_id=2), use(ago(hours=2), grams=2.0))
    s = snap(products=(LEAF, SEVEN), uses=uses, effects=(SIGN,))
    assert "'Seven Tabs', a concentrated 7-OH product" in overdose(run(s))[0].because


def test_a_use_of_an_unknown_product_is_named_by_its_id() -> None:
    s = snap(uses=(use(ago(hours=2), product_id=9),), effects=(SIGN,))
    assert "of 'product 9'" in overdose(run(s))[0].because


def test_no_alert_without_a_use_in_the_24_hours_before_or_outside_the_window() -> None:
    assert overdose(run(snap(effects=(SIGN,)))) == []
    assert overdose(run(snap(uses=(use(ago(hours=30)),), effects=(SIGN,)))) == []
    old = effect(Effect.OTHER, ago(days=15), other="slow breathing")
    assert overdose(run(snap(uses=(use(ago(days=15, hours=1)),), effects=(old,)))) == []


def test_only_named_signs_count_as_whole_words() -> None:
    recent = (use(ago(hours=2)),)
    for text in ("breathing exercises", "pinpointed the problem", "blue mood"):
        assert (
            overdose(run(snap(uses=recent, effects=(effect(Effect.OTHER, ago(1), other=text),))))
            == []
        )
    dizzy = effect(Effect.DIZZINESS, ago(hours=1), severity=10)
    assert overdose(run(snap(uses=recent, effects=(dizzy,)))) == []
    for text in ("couldn’t wake him", "BLUE LIPS", "pinpoint pupils", "can't breathe"):
        s = snap(uses=recent, effects=(effect(Effect.OTHER, ago(hours=1), other=text),))
        assert ids(overdose(run(s))) == ["overdose.signs"], text


def test_two_signs_make_one_alert_naming_both() -> None:
    second = effect(Effect.OTHER, ago(hours=2), other="blue lips")
    [alert] = overdose(run(snap(uses=(use(ago(hours=4)),), effects=(SIGN, second))))
    assert "'blue lips' on 2026-11-25 10:00" in alert.because
    assert "'Slow breathing' on 2026-11-25 11:00" in alert.because
    assert alert.evidence_at == ago(hours=1)


def test_without_its_rule_data_nothing_is_raised() -> None:
    rules = Rules(
        {k: v for k, v in RULES.specs.items() if k != "overdose.signs"},
        RULES.classes,
        RULES.lexicon,
    )
    assert overdose(run(snap(uses=(use(ago(hours=2)),), effects=(SIGN,)), rules)) == []


def test_the_rule_reads_its_thresholds_from_the_shipped_file() -> None:
    spec = RULES.specs["overdose.signs"]
    assert dict(spec.params) == {
        "window_days": 14,
        "hours_before": 24,
        "large_ratio": 2,
        "min_doses": 5,
    }
