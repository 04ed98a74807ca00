"""The places the seeds name: their spellings as aliases, and how many of them the village map locates.

The list of places is the project's own (``scenarios/maps/sources/supplement_wanted.txt``, one row per place
the seeds name, plus five rows that only repeat a place under another spelling, marked "(dup ...)"); the
gazetteer's ``seeds_places_matched.tsv`` proposed a community for most. Every name is accounted for, or the
build stops:

* it is already a name or alias of a node (the 123-town map's settlements, ``current``), or
* ``SEED_PLACES`` gives its community (by P-code, or by the 123-town settlement it is): each entry was
  checked by eye against the seeds' own description of where the place is (the hints in
  ``supplement_wanted.txt``); the seed's spelling becomes a hand alias of that node, or
* ``NOT_LOCATED`` says why it has no node (not in the gazetteer, or the gazetteer's candidates lie
  elsewhere).

The supplement's alternative spellings (``supplement_places.csv``, ``alt_names``) of a located place become
ordinary aliases.
"""

from __future__ import annotations

import csv

from sim.inputs.mapbuild.paths import SOURCES

# seed spelling -> (P-code, or the 123-town settlement it is; why)
SEED_PLACES: dict[str, tuple[str, str]] = {
    "Sarman": ("C3972", "same name; SE of Ma'arrat al-Nu'man, the Surman observation post"),
    "Umm Jalal": ("C4095", "Um Jalal, Tamanaah sub-district: SE Idlib near Abu al-Duhur"),
    "Al-Barsah": ("C3975", "Barsa, E of Ma'arrat al-Nu'man: retaken with Tell Mannas and al-Ghadfah [000]"),
    "Barsah": (
        "C3884",
        "Barissa (Barisa), W of the Abu al-Duhur airbase: '[Barsah] west of the Abu al-Duhur "
        "Military Airbase' [000]; another village than al-Barsah",
    ),
    "Tell Khatra": ("C3883", "Talkhatra, Abul Thohur sub-district: W of Abu al-Duhur"),
    "Al-Sayyadi": ("C4026", "Sayadi, Sanjar sub-district: SE Idlib"),
    "Qatra": ("C4044", "same name, Sanjar sub-district, near Sarman"),
    "Al-Haraki": ("C3969", "Hraki, E of Ma'arrat al-Nu'man"),
    "Abu Makki": ("C3973", "same name, SE of Ma'arrat al-Nu'man"),
    "Tell Sultan": ("C3898", "Tal Sultan, Abul Thohur sub-district"),
    "Maar Hattat": ("C4112", "same name, on the M5 S of Ma'arrat al-Nu'man"),
    "Hantutin": ("C3957", "same name, NW of Ma'arrat al-Nu'man"),
    "Kafr Sijnah": ("C4110", "Kafrsajna, Heish sub-district: S Idlib"),
    "Al-Bara": ("C4304", "Bara, Ehsem sub-district: Jabal al-Zawiya"),
    "Al-Hawash": ("C3195", "Hawash, al-Ghab (not Tell Hawash, 14 km SE)"),
    "Kafr Awid": ("C4062", "Kafr Oweid, Kafr Nobol sub-district: Jabal al-Zawiya"),
    "Sfuhan": ("C4054", "Sfuhen, Jabal al-Zawiya"),
    "Fattirah": ("C4070", "Ftireh, Jabal al-Zawiya"),
    "Sheikh Dames": ("C4107", "same name, Heish sub-district"),
    "Sheikh Mustafa": ("C4055", "same name, Kafr Nobol sub-district"),
    "Maar Tamater": ("C4065", "same name, Kafr Nobol sub-district"),
    "Qastoun": ("C3170", "Qastun, Ziyara sub-district: al-Ghab"),
    "Al-Sirmaniyah": ("C3159", "Sarmaniya, Ziyara sub-district: al-Ghab"),
    "San": ("C3915", "same name, Saraqab sub-district (not As-Saan in Salamiyeh)"),
    "Jobas": ("C3909", "same name, SE of Saraqib"),
    "Tell Dibs": ("C3959", "Tal Dibis, SE of Saraqib, taken with Kafr Battikh and Jobas [000]"),
    "Dadikh": ("C3910", "same name, S of Saraqib"),
    "Kafr Amim": ("C3928", "Kafr Omeim, Saraqab sub-district (not Kafr Omeim in Hama district)"),
    "Kafr Omeim": ("C3928", "the supplement's other spelling of Kafr Amim"),
    "Resafah": ("C3923", "Rasafa, Saraqab sub-district (not Rasafa in Masyaf)"),
    "Jub Kas": ("C1166", "Jeb Kas, Zarbah sub-district: N of Saraqib"),
    "Khan Tuman": ("C1015", "same name, SW of Aleppo"),
    "Rashideen": (
        "C7369",
        "'Al Rahsidin' (misspelt al-Rashidin), the W Aleppo suburb 3 km E of Khan al-Asal",
    ),
    "Mizanaz": ("C6679", "Mezanaz, Atareb sub-district: W Aleppo"),
    "Kafr Jum": (
        "C1040",
        "Western Kafr Jum, N of al-Zarbah towards Base 46 [000]; its eastern half is "
        "Kafr joum sharki (C7337)",
    ),
    "Kafr Naha": ("C1034", "same name, Atareb sub-district"),
    "Urum al-Sughra": ("C1027", "'Little Orm': OCHA translates the name (Lesser Urum), next to Big Orm"),
    "Kafr Nasih": ("C1036", "Kafr Naseh Elatareb, W Aleppo (not Kafr Naseh Tal Refaat)"),
    "Al-Mansura": ("C6754", "Mansourah, Jebel Saman: W Aleppo (the tsv's Mansura is 50 km S)"),
    "Kafr Karmin": ("C1035", "same name, Atareb sub-district"),
    "Taqad": ("C1143", "Tqad, Daret Azza sub-district"),
    "Abzimo": ("C1030", "Abzemo, Atareb sub-district"),
    "Hayan": ("C1127", "Hayyan, Haritan sub-district: N Aleppo"),
    "Bayanoun": ("C1649", "Byanun, Nabul sub-district: N Aleppo"),
    "Babis": ("C6331", "same name, Haritan sub-district"),
    "Tell al-Karamah": ("C4122", "Tal Elkarameh, Dana sub-district: the camps N of Sarmada"),
    "Kafr Aruq": ("C4172", "same name, Qourqeena sub-district"),
    "Hizano": ("C3944", "Hazano, Maaret Tamsrin sub-district: N Idlib"),
    "Killi": ("C3949", "Kelly, Maaret Tamsrin sub-district: N Idlib"),
    "Babisqa": ("C6755", "same name, by Bab al-Hawa"),
    "Azmarin": ("C4143", "same name, on the Orontes"),
    "Millis": ("C4184", "Milis, Armanaz sub-district"),
    "Al-Mastumah": ("C3872", "Mastumeh, S of Idlib city"),
    "Qmenas": ("C3876", "Qminas, SE of Idlib city"),
    "Urum al-Joz": ("C4269", "Orm Eljoz, on the M4 between Ariha and Jisr al-Shughur"),
    "Bsanqul": ("C4322", "same name, on the M4 W of Ariha"),
    "Kafr Shalaya": ("C4289", "same name, on the M4 W of Ariha"),
    "Ibbin Samaan": ("C1026", "Abin Samaan, Atareb sub-district"),
    "Kafr Taal": ("C1037", "same name, Atareb sub-district"),
    "Maarat al-Artiq": ("C1136", "Maaret Elartiq, Haritan sub-district"),
    "Sukayk": ("C4077", "Skik (Sekik), Tamanaah sub-district: SE Idlib"),
    "Babulin": ("C4100", "Babuline, on the M5 S of Ma'arrat al-Nu'man"),
    "Kafr Basin": ("C4111", "Kafrbasin, E of Ma'arrat al-Nu'man"),
    "Sahyan": ("C4104", "same name, Heish sub-district"),
    "Maarrat Mishrin": ("Maarrat Misrin", "the supplement's other spelling"),
    "Al-Atarib": ("Atarib", "the supplement's other spelling"),
    "Maar Dibseh": ("Maardebseh", "the supplement's other spelling"),
}
NOT_LOCATED: dict[str, str] = {
    "Al-Tah": "not in the gazetteer",
    "Abu Jurayf": "not in the gazetteer (its Abu Joura lies E of Abu al-Duhur, the seeds' W of it)",
    "Khirbat Dawud": "not in the gazetteer",
    "Tal Musaytif": "not in the gazetteer",
    "Msheirfeh": "the gazetteer's three Msheirfeh lie in Salqin (NW Idlib), Jablah and Salamiyeh, the "
    "seeds' in SE Idlib: the map's Msheirfeh (Salqin) is a namesake",
    "Umm al-Khalakhil": "not in the gazetteer",
    "Maarat Harmah": "not in the gazetteer (the tsv's Maharim lies E of Saraqib; the seeds' S of Ma'arrat "
    "al-Nu'man)",
    "Maarat Muqas": "not in the gazetteer",
    "Al-Burayj": "the gazetteer's Borj lies 26 km E of Kafr Nabl; the seeds put al-Burayj near Kafr Nabl",
    "Al-Amqiyah": "not in the gazetteer",
    "Al-Ankawi": "not in the gazetteer",
    "Tal Wasit": "the gazetteer's Wassita lies in the S Aleppo countryside, the seeds' Tal Wasit in al-Ghab",
    "Duwayr": "not in the gazetteer",
    "Ma'arat Alia": "not in the gazetteer",
    "Talhiyah": "not in the gazetteer",
    "Tell Hadiyah": "not in the gazetteer (the tsv's Tilaada lies in Dana, N Idlib; the seeds' is by "
    "Al-Eiss)",
    "Al-Salihiyah": "the gazetteer's Salihiyah lie in As-Safira, Azaz and Salamiyeh, none on the M5 S of "
    "Aleppo",
    "Al-Zahraa": "a district of Aleppo city (the 123-town map's Zahraa is the town by Nubl, another place)",
    "Kafr Lusin": "not in the gazetteer",
    "Kafr Yahmul": "the gazetteer's Yahmul lies in Azaz district; the seeds' Kafr Yahmul is N of Idlib city",
    "Jabal al-Arbaeen": "a range of hills, not a settlement (the terrain box 'hills' stands for it)",
    "Tell Aas": "not in the gazetteer (the tsv's Tleisiyeh lies 70 km S)",
    "Kafr Sidrah": "not in the gazetteer",
}


def seed_names() -> tuple[list[str], list[str]]:
    """The seeds' distinct places (``supplement_wanted.txt``, one row each, in file order), and the spellings
    of its "(dup ...)" rows that only repeat one of them."""
    places: list[str] = []
    spellings: list[str] = []
    for line in (SOURCES / "supplement_wanted.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, hints = (p.strip() for p in line.split("|")[:2])
        (spellings if hints.startswith(("(dup", "(duplicate")) else places).append(name)
    places = list(dict.fromkeys(places))
    return places, [d for d in dict.fromkeys(spellings) if d not in places]


def supplement_spellings() -> dict[str, list[str]]:
    """The supplement's alternative ASCII spellings of each place (``supplement_places.csv``)."""
    with open(SOURCES / "supplement_places.csv", encoding="utf-8") as fh:
        return {
            r["name"].strip(): [a.strip() for a in r.get("alt_names", "").split(";") if a.strip().isascii()]
            for r in csv.DictReader(fh)
        }
