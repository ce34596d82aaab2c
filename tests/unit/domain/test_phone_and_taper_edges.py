"""Edges of the phone-first and taper domain code with a known answer each: the refused theme,
a label read back from a stored product, the discreet calendar event, the unit a use defaults
to, and a completion undone by a later relapse."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mitra.domain.appearance import Theme, parse_appearance
from mitra.domain.labels import label_of
from mitra.domain.products import Product, ProductForm, ServingUnit
from mitra.domain.schedule import Due, to_ical
from mitra.domain.taper import Actor, Event, EventKind, completed_on
from mitra.domain.units import default_unit
from mitra.errors import InvalidInputError


def test_an_unknown_theme_is_refused_naming_the_choices() -> None:
    assert parse_appearance("dark", "on").theme is Theme.DARK
    with pytest.raises(InvalidInputError, match="'neon' is not one of: auto, light, dark"):
        parse_appearance("neon", None)


def test_a_stored_label_is_shown_as_the_form_took_it() -> None:
    per_g = Product("Leaf", ProductForm.LEAF_POWDER, mitragynine_mg_per_g=15.0)
    per_capsule = Product(
        "Caps", ProductForm.CAPSULE, mitragynine_mg_per_unit=9.5, serving_unit=ServingUnit.CAPSULE
    )
    assert label_of(per_g) == ("15", "mg_per_g")
    assert label_of(per_capsule) == ("9.5", "mg_per_capsule")
    assert label_of(Product("Plain", ProductForm.LEAF_POWDER)) == ("", "")


def test_a_discreet_calendar_event_names_no_questionnaire() -> None:
    due = Due("sows", 1, None, date(2026, 12, 8), False, "your taper plan")
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    text = to_ical(
        [due], {"sows": "Subjective Opiate Withdrawal Scale"}, date(2026, 12, 7), now, discreet=True
    )
    assert "SUMMARY:Journal: check-in" in text
    assert "DESCRIPTION:Open your journal for a check-in\\; every 1 days." in text
    assert "sows" not in text.lower() and "withdrawal" not in text.lower()


@pytest.mark.parametrize(
    ("product", "unit"),
    [
        (Product("Shot", ProductForm.TINCTURE, serving_unit=ServingUnit.ML), "ml"),
        (Product("Caps", ProductForm.CAPSULE), "capsule"),
        (Product("Tincture", ProductForm.TINCTURE), "ml"),
        (Product("Tabs", ProductForm.SEVEN_OH), "tablet"),
        (Product("Leaf", ProductForm.LEAF_POWDER), "g"),
    ],
)
def test_a_use_defaults_to_the_unit_the_product_comes_in(product: Product, unit: str) -> None:
    assert default_unit(product) == unit


def test_a_relapse_after_completion_means_the_plan_is_no_longer_completed() -> None:
    done = Event(EventKind.COMPLETE, datetime(2026, 11, 1, 10, tzinfo=UTC), Actor.PERSON)
    again = Event(EventKind.RELAPSE, datetime(2026, 11, 10, 10, tzinfo=UTC), Actor.PERSON)
    assert completed_on([done], "Europe/London") == date(2026, 11, 1)
    assert completed_on([done, again], "Europe/London") is None
