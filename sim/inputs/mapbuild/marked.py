"""Marked places: border crossings and the Turkish observation posts that existed on 1 December 2019.

A post that stands at a place the map lacks is put at the nearest mapped settlement, and its note says so.
``OBSERVATION_POSTS`` are the 123-town map's; ``VILLAGE_POSTS`` the village map's, where the gazetteer has
Sarman, Maar Hattat and Ishtabraq (Eshtabraq), so those posts stand at their own villages.
"""

from __future__ import annotations

CROSSINGS = {
    "Bab al-Hawa": "seed [000]: 'Bab al-Hawa Border Crossing'",
    "Azaz": "Bab al-Salama border crossing, 5 km north of Azaz [GK]",
}
OBSERVATION_POSTS = [
    (
        "Surman OP",
        "Jarjnaz",
        "seed [000]/[001]: Sarman (Surman) OP, encircled 22-23 Dec 2019; Sarman is not "
        "in the gazetteer, so the post stands at the nearest mapped settlement",
    ),
    ("Morek OP", "Morek", "Astana post, surrounded in August 2019 [GK]"),
    ("Tell Touqan OP", "Tell Touqan", "Astana post east of Saraqib [GK]"),
    ("Al-Eiss OP", "Al-Eiss", "seed [000]: Al-Eiss 'hosted a Turkish observation post'"),
    (
        "Maar Hattat OP",
        "Hish",
        "seed [000]: M5 south of Maarat taken 'except the Maar Hattat OP'; Maar "
        "Hattat is not in the gazetteer, so the post stands at Hish, the next M5 settlement south",
    ),
    ("Sheikh Aqil OP", "Darat Izza", "Astana post at Sheikh Aqil near Darat Izza [GK]"),
    ("Ishtabraq OP", "Mhambal", "Astana post at Ishtabraq, east of Jisr al-Shughur [GK]"),
]

# The same posts on the village map, at the community each stands at (a name or alias of the village map).
VILLAGE_POSTS = [
    ("Surman OP", "Sarman", "seed [000]/[001]: Sarman (Surman) OP, encircled 22-23 Dec 2019"),
    ("Morek OP", "Morek", "Astana post, surrounded in August 2019 [GK]"),
    ("Tell Touqan OP", "Tell Touqan", "Astana post east of Saraqib [GK]"),
    ("Al-Eiss OP", "Al-Eiss", "seed [000]: Al-Eiss 'hosted a Turkish observation post'"),
    ("Maar Hattat OP", "Maar Hattat", "seed [000]: M5 south of Maarat taken 'except the Maar Hattat OP'"),
    (
        "Sheikh Aqil OP",
        "Darat Izza",
        "Astana post at Sheikh Aqil near Darat Izza [GK]; Sheikh Aqil is not in the gazetteer, so the post "
        "stands at Darat Izza",
    ),
    ("Ishtabraq OP", "Eshtabraq", "Astana post at Ishtabraq (Eshtabraq), east of Jisr al-Shughur [GK]"),
]
