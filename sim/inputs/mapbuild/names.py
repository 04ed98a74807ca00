"""Settlement names: GeoNames transliterations folded to ASCII, and the seeds' spelling for the towns they
name.

The seeds' spelling is what scenario files and users write, so it becomes the map name; the GeoNames
spelling is kept in ``alt_names`` so that a scenario using it gets a "did you mean" hint.
"""

from __future__ import annotations

import unicodedata

# Seed spellings for towns the seeds and users name (GeoNames ASCII name -> map name).
RENAME = {
    "`Ayn al Bayda": "Ayn al-Bayda",
    "Al-Zahraa": "Zahraa",  # the supplement's point is the town by Nubl, not Aleppo's al-Zahraa district
    "Ma`arrat an Nu`man": "Ma'arrat al-Nu'man",
    "Khan Shaykhun": "Khan Shaykhun",
    "Kafranbel": "Kafr Nabl",
    "Jisr ash Shughur": "Jisr al-Shughur",
    "Murak": "Morek",
    "Hamah": "Hama",
    "Al Atarib": "Atarib",
    "Darat `Izzah": "Darat Izza",
    "`Afrin": "Afrin",
    "I`zaz": "Azaz",
    "Harim": "Harem",
    "Ad Dana": "Dana",
    "Ma`arratmisrin": "Maarrat Misrin",
    "Abu az Zuhur": "Abu al-Duhur",
    "Hish": "Hish",
    "At Tamani`ah": "Al-Tamanah",
    "Kafr Zayta": "Kafr Zita",
    "Qal`at al Madiq": "Qalaat al-Madiq",
    "As Suqaylibiyah": "Suqaylabiyah",
    "Maharda": "Mhardeh",
    "Halfaya": "Halfaya",
    "Huraytan": "Haritan",
    "Afis": "Afs",
    "Ariha": "Ariha",
    "Ihsim": "Ihsim",
    "Az Zarbah": "Al-Zarbah",
    "Al Hadir": "Al-Hadir",
    "Tall Rif`at": "Tall Rifaat",
    "Jindayris": "Jindires",
    "Raju": "Raju",
    "Muhambal": "Mhambal",
    "Badama": "Bdama",
    "Al Janudiyah": "Al-Janudiyah",
    "Qurqina": "Qurqina",
    "Lislamin": "Islamin",
    "Az Ziyarah": "Ziyarah",
    "Shathah": "Shathah",
    "Tayyibat al Imam": "Taybat al-Imam",
    "Souran": "Souran",
    "Suran": "Suran",
    "Kafr Takharim": "Kafr Takharim",
    "Al Ma`batli": "Maabatli",
    "Shaykh al Hadid": "Sheikh Hadid",
    "Mari`": "Mare'",
    "Tall ad Daman": "Tell al-Daman",
    "Kafr Saghir": "Kafr Saghir",
    "Al Haffah": "Al-Haffah",
    "Al Bahluliyah": "Al-Bahluliyah",
    "Qastal Ma`af": "Qastal Maaf",
    "Kinnsibba": "Kinsabba",
    "Rabi`ah": "Rabiah",
    "Salinfah": "Salanfah",
    "`Ayn at Tinah": "Ayn al-Tinah",
    "Al Muzayri`ah": "Al-Muzayriah",
    "Jawbat Burghal": "Jawbat Burghal",
    "Kassab": "Kassab",
    "Latakia": "Latakia",
    "Kurnaz": "Kurnaz",
    "Sinjar": "Sinjar",
    "Armanaz": "Armanaz",
    "Darkush": "Darkush",
    "Sharan": "Sharran",
    "Bulbul": "Bulbul",
    "Qentere": "Qentere",
}
# Two GeoNames places are both "Suran" (Hama, on the M5; Aleppo, near Azaz).
SURAN_HAMA_LAT = 35.29


def ascii_name(name: str) -> str:
    """Fold GeoNames transliteration to plain ASCII (keeps ` for ayn so RENAME keys stay readable)."""
    name = name.replace("‘", "`").replace("’", "'").replace("ʿ", "`").replace("ʾ", "'")
    nfkd = unicodedata.normalize("NFKD", name)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).strip()


def map_name(raw: str, lat: float) -> str:
    """The map name of a GeoNames place: the seeds' spelling from ``RENAME``, else its ASCII name without
    ayn marks; the places called Suran are special-cased (see ``SURAN_HAMA_LAT``)."""
    a = ascii_name(raw)
    if a == "Suran":
        return "Suran (Azaz)"
    if a == "Souran" or (a == "Suran" and lat < SURAN_HAMA_LAT + 0.1):
        return "Souran"
    return RENAME.get(a, a.replace("`", ""))
