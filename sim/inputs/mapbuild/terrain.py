"""Terrain classes: hand-drawn boxes for the plain, the hills and the mountains; towns are urban.

Rule (step 4 of the build): the first box of ``TERRAIN_BOXES`` that holds the settlement gives its class,
``urban`` overrides it for ``URBAN_MIN`` people or more (before or after growth), ``open`` otherwise.
"""

from __future__ import annotations

import numpy as np

# (class, (lat_min, lat_max, lon_min, lon_max))
TERRAIN_BOXES = [
    ("plain", (35.38, 35.86, 36.25, 36.43)),  # al-Ghab: the Orontes valley floor
    ("hills", (35.56, 35.83, 36.44, 36.645)),  # Jabal al-Zawiya and Jabal al-Arbaeen
    ("mountain", (35.55, 36.05, 35.95, 36.25)),  # Jabal al-Akrad / Jabal al-Turkman (eastern Latakia hills)
]
URBAN_MIN = 40_000


def terrain_classes(lat: np.ndarray, lon: np.ndarray, town: np.ndarray, grown: np.ndarray) -> list[str]:
    """The terrain class of every settlement."""
    n = len(lat)
    terrain = []
    for i in range(n):
        t = "open"
        for label, (a, b, c, d) in TERRAIN_BOXES:
            if a <= lat[i] <= b and c <= lon[i] <= d:
                t = label
                break
        if grown[i] >= URBAN_MIN or town[i] >= URBAN_MIN:
            t = "urban"
        terrain.append(t)
    return terrain
