"""A derived scenario's changes to its parent's orders, named by axis.

A derived scenario (``extends:``) may write ``orders:`` as a list, which replaces the parent's list whole
(as any list does), or as a mapping from the axis of one of the parent's orders to the fields to change in
it, or to null to drop it::

    orders:
      "A5 Jabal al-Zawiya toward the M4": {end: 2020-03-31}
      "A5 al-Ghab toward Jisr al-Shughur": null

Why: a counterfactual that moves one window had to copy every order of the baseline to change one date,
and a later correction of the baseline's orders had to be made in each copy by hand.
"""

from __future__ import annotations

import copy
from typing import Any

from sim.inputs.errors import InputError
from sim.inputs.provenance import rewrite


def apply_order_edits(
    parent: dict[str, Any], edits: dict[Any, Any], origin: dict[tuple, str], file: str
) -> None:
    """Apply ``edits`` (axis -> fields to change, or None to drop) to ``parent["orders"]`` in place, and
    keep ``origin`` (which file wrote each path) true: a changed field is ``file``'s, the rest stay their
    parent file's, renumbered when an order before them is dropped. An axis that names no order of the
    parent, or more than one, is an `InputError` naming ``file`` and the axis."""
    orders = parent.get("orders")
    if not isinstance(orders, list):
        raise InputError(
            file, "orders", "a mapping of changes by axis needs a parent scenario (extends:) with orders"
        )
    dropped: set[int] = set()
    for axis, change in edits.items():
        field = f"orders.{axis}"
        found = [i for i, o in enumerate(orders) if isinstance(o, dict) and o.get("axis") == axis]
        if not found:
            raise InputError(file, field, "no order of the parent scenario has this axis")
        if len(found) > 1:
            raise InputError(file, field, f"{len(found)} orders of the parent scenario have this axis")
        i = found[0]
        if change is None:
            dropped.add(i)
            continue
        if not isinstance(change, dict):
            raise InputError(
                file, field, f"expected the fields to change, or null to drop, found {type(change).__name__}"
            )
        for key, value in change.items():
            orders[i][key] = copy.deepcopy(value)
            rewrite(value, ("orders", i, key), origin, file)
    if not dropped:
        return
    kept = [i for i in range(len(orders)) if i not in dropped]
    renumber = {old: new for new, old in enumerate(kept)}
    moved = {p: f for p, f in origin.items() if len(p) >= 2 and p[0] == "orders" and isinstance(p[1], int)}
    for p in moved:
        del origin[p]
    for p, f in moved.items():
        if p[1] in renumber:
            origin[("orders", renumber[p[1]], *p[2:])] = f
    parent["orders"] = [orders[i] for i in kept]
