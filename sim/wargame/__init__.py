"""The Mesa model of the offensive: factions, formations, commanders and the day's phases.

* ``model``: ``IdlibModel`` — the build, ``step()`` listing the phases in order, ``run``;
* ``agents``: ``Faction`` and ``Formation`` (with ``Posture``);
* ``battlefield``: who holds what, and the queries the commanders and phases share;
* ``holding``: control changes hands — captures, withdrawals, holding detachments, occupation;
* one module per phase, each a function of the model: ``events`` (1), ``recovery.supply_lines`` (2),
  ``commander`` (3), ``movement`` (4), ``air`` (5), ``battle`` and ``holding.occupy`` (6), ``guarantor`` (7),
  ``recovery`` (8), ``civilians`` (9), ``metrics`` (10);
* ``rules``: the pure numpy kernels (combat, air power, morale, supply, the guarantor's fire), testable alone.
"""
