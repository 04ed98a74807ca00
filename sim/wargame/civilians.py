"""Phase 9: the civilians' day. The battlefield gives the population one day's ``DayInputs`` — the
strikes, which settlements are held by a faction the displaced avoid, how far the fighting and the recent
captures are, whether returns are allowed — and nothing more; ``sim.civilians`` does the rest (danger,
flight, shelter, deaths, returns).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.civilians import DayInputs

if TYPE_CHECKING:
    from sim.wargame.model import IdlibModel


def day_inputs(model: IdlibModel) -> DayInputs:
    """What the civilians learn of the war today."""
    bf = model.battlefield
    cvp = model.params.civilians
    safe = model.safe_lut[bf.controller]
    hostile = ~safe
    if model.scenario.civilians.enter_government_areas:
        hostile = np.zeros_like(hostile)
    recent = (model.day - bf.last_capture_day <= cvp.capture_memory_days) & ~safe
    fighting = model.day - bf.last_fight_day <= cvp.fighting_memory_days
    cf_days = model.timeline.ceasefire_days_held(model.day)
    return DayInputs(
        strikes=model.strikes,
        hostile=hostile,
        km_to_fighting=bf.km_to(fighting),
        km_to_recent_capture=bf.km_to(recent),
        returns_allowed=model.ceasefire_active and cf_days >= cvp.return_after_days,
    )


def move(model: IdlibModel) -> None:
    """Step the population one day (no-op for a run without civilians)."""
    if model.civilians is not None:
        model.civilians.step(day_inputs(model), model.day)
