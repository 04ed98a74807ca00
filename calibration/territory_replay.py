"""The territory a perfect replay of the seeds' recorded captures would measure on a map.

The territory target ("22 villages and towns including 110 square kilometers", the seeds' 600 km² by 11 Feb)
is a count of ground, while the capture targets name places. How much ground the named places are depends on
the map: on a coarse map a town's cell holds its villages' ground, on a fine one it does not. This script
takes every government capture the seeds record between two dates (``seeds/events.csv``: the place field and
the places named in the quote), keeps the communities the map locates that were opposition-held on the first
day, and sums their cells' area. A capture the seeds do not name ("over 15 towns and villages") is not
counted, so this is a lower bound of what the seeds describe.

    python calibration/territory_replay.py [--map scenarios/maps/idlib_communities.json] [--end 2020-02-11]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

from sim.inputs.geography import Theatre, load_map

ROOT = Path(__file__).resolve().parent.parent


def named_places(theatre: Theatre, text: str) -> set[int]:
    """The communities a place field or a quote names (its comma- or 'and'-separated names)."""
    found = set()
    for part in re.split(r",|;| and |\(|\)|:", text):
        name = part.strip().strip(".").strip()
        name = re.sub(r"^(the )?(towns?|villages?|settlements?)( of)? ", "", name)
        name = re.sub(r"^(including|capturing|captured|recapturing|and) ", "", name)
        if len(name) >= 3 and theatre.knows(name):
            found.add(theatre.id(name))
    return found


def replay(theatre: Theatre, start: str, end: str) -> list[int]:
    events = pd.read_csv(ROOT / "seeds" / "events.csv")
    taken = events[
        (events["kind"] == "capture")
        & (events["episode"] == "dawn_of_idlib_2")
        & events["actor"].str.contains("government", na=False)
        & (events["date"].str[:10] >= start)
        & (events["date"].str[:10] <= end)
    ]
    nodes: set[int] = set()
    for _, row in taken.iterrows():
        nodes |= named_places(theatre, str(row["place"])) | named_places(theatre, str(row["quote"]))
    return sorted(i for i in nodes if theatre.controller0[i] == "opposition")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--map", type=Path, default=ROOT / "scenarios" / "maps" / "idlib_communities.json")
    ap.add_argument("--start", default="2019-12-19")
    ap.add_argument("--end", default="2020-02-11")
    args = ap.parse_args()
    theatre = load_map(args.map)
    nodes = replay(theatre, args.start, args.end)
    print(
        f"{args.map.name}: {len(nodes)} communities named as taken {args.start} to {args.end}, "
        f"{theatre.area_km2[nodes].sum():,.0f} km²: {', '.join(theatre.names_of(nodes))}"
    )


if __name__ == "__main__":
    main()
