"""Counterfactual scenario files that must stay in step with the baseline they vary."""

from __future__ import annotations

from sim.inputs.loader import load_scenario

from .conftest import ROOT


def test_the_no_ceasefire_variant_copies_the_baselines_orders_but_the_two_a5_windows():
    """A derived file replaces a list whole, so the variant carries its own copy of the orders: it must
    stay the baseline's, with only the Jabal al-Zawiya and al-Ghab windows run on to 31 March."""
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml").scenario.orders
    variant = load_scenario(ROOT / "scenarios" / "no_turkish_intervention_no_ceasefire.yaml").scenario.orders
    assert len(variant) == len(base)
    changed = [b.axis for b, v in zip(base, variant, strict=True) if b != v]
    assert changed == ["A5 Jabal al-Zawiya toward the M4", "A5 al-Ghab toward Jisr al-Shughur"]
    for b, v in zip(base, variant, strict=True):
        assert v.model_copy(update={"end": b.end}) == b
