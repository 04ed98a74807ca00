"""Rest and refit: a unit broken in battle and withdrawn comes back to the line after a rest."""

from __future__ import annotations

from sim.wargame.agents import Posture
from sim.wargame.model import IdlibModel

from .synthetic import line_theatre, scenario


def _days_to_return(rest_recovery: float, days: int = 20) -> int | None:
    """Days until a broken opposition unit resting deep in its own ground is ready again (None: never)."""
    sc = scenario(orders=[], parameters={"morale": {"recovery": 0.05, "rest_recovery": rest_recovery}})
    m = IdlibModel(sc, line_theatre(), civilians=False, rng=5)
    f = m.formation_by_spec["o1"]
    f.move_to_node(5)
    f.morale, f.cohesion = 0.15, 0.65
    f.posture, f.recover_days = Posture.RECOVER, 3
    for day in range(1, days + 1):
        m.step()
        if f.posture is not Posture.RECOVER:
            return day
    return None


def test_a_broken_unit_returns_after_a_rest():
    fast = _days_to_return(0.15)
    slow = _days_to_return(0.05)
    assert fast is not None and fast <= 8  # morale 0.15 -> 0.45 at 0.15/day of the gap: 6 days
    assert slow is None or slow > 14  # one slow rate: about 18 days out of the war
