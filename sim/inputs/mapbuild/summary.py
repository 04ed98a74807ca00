"""The village build's summary: the counts and statistics the build prints (and docs/data.md quotes)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np


def degrees(data: dict[str, Any]) -> np.ndarray:
    """Road links per node."""
    deg = np.zeros(len(data["settlements"]), dtype=int)
    for r in data["roads"]:
        deg[r["u"]] += 1
        deg[r["v"]] += 1
    return deg


def summary_lines(data: dict[str, Any]) -> list[str]:
    """Human-readable lines: nodes by governorate and district, population and nodes per controller, cell
    areas, road links and degrees, highways, the seeds' places located."""
    S = data["settlements"]
    b = data["meta"]["build"]
    unnamed = sum(s["name"].startswith("near ") for s in S)
    out = [f"{len(S)} nodes ({unnamed} unnamed communities named 'near ...')"]
    gov = Counter(s["governorate"] for s in S)
    dist = Counter((s["governorate"], s["admin2"]) for s in S)
    for g in sorted(gov):
        parts = ", ".join(f"{d} {k}" for (gg, d), k in sorted(dist.items()) if gg == g)
        out.append(f"  {g}: {gov[g]} ({parts})")
    pop = np.array([s["population"] for s in S])
    ctl = np.array([s["controller"] for s in S])
    for c in sorted(set(ctl)):
        m = ctl == c
        out.append(f"  {c}: {m.sum()} communities, population {int(pop[m].sum()):,}")
    area = np.array([s["area_km2"] for s in S])
    q = np.percentile(area, [5, 25, 50, 75, 95])
    out.append(
        f"cells: median {q[2]:.2f} km2 (quartiles {q[1]:.2f}-{q[3]:.2f}, 5-95% {q[0]:.2f}-{q[4]:.2f}, "
        f"max {area.max():.2f}); theatre {b['theatre_km2']:,.0f} km2 of the polygon's {b['polygon_km2']:,.0f}"
    )
    edges = [0, 2, 5, 10, 15, 20, 30, 50]
    hist = np.histogram(area, bins=[*edges, np.inf])[0]
    out.append(
        "  cells by size (km2): "
        + ", ".join(f"{lo}-{hi}: {k}" for lo, hi, k in zip(edges, [*edges[1:], "inf"], hist, strict=True))
    )
    deg = degrees(data)
    kinds = Counter(r["kind"] for r in data["roads"])
    out.append(
        f"roads: {len(data['roads'])} links ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}); "
        f"degree mean {deg.mean():.2f}, median {np.median(deg):.0f}, min {deg.min()}, max {deg.max()}; "
        f"Gabriel links {b['gabriel_links']} ({b['gabriel_links_over_cap']} over the cap dropped, "
        f"{b['reconnecting_links']} put back to connect)"
    )
    out.append("  degree histogram: " + ", ".join(f"{d}: {k}" for d, k in enumerate(np.bincount(deg)) if k))
    for road, chain in data["highways"].items():
        out.append(f"  {road}: {len(chain)} nodes, {S[chain[0]]['name']} -> {S[chain[-1]]['name']}")
    out.append(
        f"seeds' places located: {b['seed_places_located']} of {b['seed_places']}; not located: "
        + ", ".join(b["seed_places_not_located"])
    )
    out.append(
        "123-town settlements left out (districts outside the theatre): "
        f"{len(b['towns_map_settlements_left_out'])} ({', '.join(b['towns_map_settlements_left_out'])})"
    )
    out.append(
        f"near-duplicates merged: {len(b['near_duplicates_merged'])}; ordinary aliases dropped as ambiguous: "
        f"{b['aliases_dropped_as_ambiguous']}"
    )
    return out
