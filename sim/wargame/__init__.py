"""The Mesa model of the offensive: factions, formations, commanders and the day's phases."""
