"""Names of the village map: one unique primary name per node, and aliases that name exactly one node.

Rules (the build's step "names"):

1. **Primary name** = the gazetteer's name (OCHA/IOM spelling, ``communities.fold``-ed). An unnamed
   community that is a settlement of the 123-town map takes that settlement's name (Tell Touqan,
   Maardebseh, ...); the airbase keeps its name. Any other unnamed community is called
   ``near <nearest named node> (OCHA <n>)``, where n is its record number in the OCHA points file: unique,
   and it says where the place is.
2. **Unique.** Nodes sharing a name (case-blind) are told apart by their sub-district, except the one the
   name is a *hand alias* of (below: the names the scenarios and targets use win), which keeps it; so is a
   node whose name is another node's hand alias. The suffix is the sub-district:
   ``Suran (Suran - Aleppo)``; if that is still shared, by P-code (or OCHA record): ``Mansura (Ziyara,
   C3160)``. The bare name then becomes an ordinary alias (kept only if it names one node).
3. **Hand aliases** are the names the project already uses: each 123-town settlement's name (for the
   community it is, ``current``) and the seeds' spellings (``seeds``). Two nodes with the same hand alias
   stop the build.
4. **Ordinary aliases**: the gazetteer's ``alt_names``, names merged from near-duplicates, the 123-town
   map's ``alt_names`` and the bare name of a disambiguated node. One that would name two nodes, or that is
   another node's primary name or hand alias, is dropped (it cannot say which place is meant). Spellings
   that differ only in case are kept once (the hand alias's spelling, else the first in sorted order).
5. **Check.** Every primary name and alias, compared case-blind, names exactly one node, or the build
   stops (``check_unique``); ``Theatre.id`` resolves either.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from sim.inputs.mapbuild.communities import xy_km


def _key(name: str) -> str:
    return name.casefold()


def primary_names(nodes: pd.DataFrame, given: dict[int, str], hand: dict[str, int]) -> list[str]:
    """Rules 1 and 2: the primary name of every node (``given``: names for unnamed nodes, by node)."""
    n = len(nodes)
    base = [nodes["name"].iloc[i] or given.get(i, "") for i in range(n)]
    named = np.array([b != "" for b in base])
    xy = xy_km(nodes["lat"].to_numpy(), nodes["lon"].to_numpy())
    if (~named).any():
        _, k = cKDTree(xy[named]).query(xy[~named])
        anchor = np.flatnonzero(named)[k]
        for i, a in zip(np.flatnonzero(~named), anchor, strict=True):
            base[i] = f"near {base[a]} ({_record(nodes, i)})"
    names = list(base)
    for level in (1, 2):
        groups: dict[str, list[int]] = defaultdict(list)
        for i, nm in enumerate(names):
            groups[_key(nm)].append(i)
        clash = [
            i
            for i, nm in enumerate(names)
            if hand.get(_key(nm)) != i and (len(groups[_key(nm)]) > 1 or _key(nm) in hand)
        ]
        for i in clash:
            a3 = nodes["admin3"].iloc[i]
            names[i] = (
                f"{base[i]} ({a3})"
                if level == 1
                else f"{base[i]} ({a3}, {nodes['pcode'].iloc[i] or _record(nodes, i)})"
            )
    return names


def _record(nodes: pd.DataFrame, i: int) -> str:
    r = int(nodes["ocha"].iloc[i])
    return f"OCHA {r}" if r >= 0 else f"node {i}"


def hand_alias_index(pairs: list[tuple[str, int, str]]) -> dict[str, int]:
    """Rule 3: (alias, node, where from) -> alias key -> node; an alias given to two nodes is an error."""
    index: dict[str, int] = {}
    origin: dict[str, str] = {}
    for alias, node, why in pairs:
        k = _key(alias)
        if k in index and index[k] != node:
            raise ValueError(f"hand alias '{alias}' ({why}) names two nodes (also {origin[k]})")
        index[k] = node
        origin[k] = why
    return index


def assemble_aliases(
    names: list[str], hand: list[tuple[str, int, str]], ordinary: list[list[str]]
) -> tuple[list[list[str]], list[str]]:
    """Rules 3-4: the aliases of every node, and the ordinary aliases dropped as ambiguous."""
    primary = {_key(nm): i for i, nm in enumerate(names)}
    hand_index = hand_alias_index(hand)
    holders: dict[str, set[int]] = defaultdict(set)
    for i, alts in enumerate(ordinary):
        for a in alts:
            holders[_key(a)].add(i)
    # one spelling per case-blind key: the hand alias's, else the first in sorted order
    out: list[dict[str, str]] = [{_key(nm): nm} for nm in names]
    for alias, node, _ in hand:
        out[node].setdefault(_key(alias), alias)
    dropped = set()
    for i, alts in enumerate(ordinary):
        for a in sorted(alts):
            k = _key(a)
            taken = primary.get(k, i) != i or hand_index.get(k, i) != i or len(holders[k]) > 1
            if taken:
                dropped.add(a)
            elif a:
                out[i].setdefault(k, a)
    aliases = [sorted(a for k, a in d.items() if k != _key(names[i])) for i, d in enumerate(out)]
    check_unique(names, aliases)
    return aliases, sorted(dropped)


def check_unique(names: list[str], aliases: list[list[str]]) -> None:
    """Rule 5: every name and alias (case-blind) names one node."""
    seen: dict[str, int] = {}
    for i, nm in enumerate(names):
        for a in [nm, *aliases[i]]:
            k = _key(a)
            if seen.get(k, i) != i:
                raise ValueError(f"'{a}' names two nodes: {names[seen[k]]} and {names[i]}")
            seen[k] = i


def resolver(names: list[str], aliases: list[list[str]]) -> dict[str, int]:
    """Case-blind name or alias -> node (after ``check_unique``)."""
    return {_key(a): i for i, nm in enumerate(names) for a in [nm, *aliases[i]]}
