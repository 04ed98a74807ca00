"""Build the settlement-and-road map of northwestern Syria, reproducibly and offline.

    python -m sim.inputs.mapbuild [--out scenarios/maps/northwest_syria.json]

Prints a one-line summary; exits 2 without the ``mapbuild`` extra (the GeoNames extracts).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.inputs.mapbuild.build import build
from sim.inputs.mapbuild.paths import DEFAULT_OUT


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sim.inputs.mapbuild", description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    try:
        data = build(args.out)
    except ImportError as exc:
        print(f"mapbuild needs the 'mapbuild' extra (pip install -e '.[mapbuild]'): {exc}", file=sys.stderr)
        return 2
    s = data["settlements"]
    pocket = sum(x["population"] for x in s if x["controller"] == "opposition")
    print(
        f"wrote {args.out}: {len(s)} settlements, {len(data['roads'])} roads, "
        f"pocket population {pocket:,}, M5 {len(data['highways']['M5'])} towns, "
        f"M4 {len(data['highways']['M4'])} towns"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
