"""Golden (fingerprint) runs: the SHA-256 of a run's tables, asserted byte for byte.

Why: a change meant to keep behaviour (a refactor, a speed-up) must leave every run as it was. The baseline
on two seeds is the contract; the other cases reach code that the baseline leaves idle (the counterfactual
timelines, the Turkish escalation trigger, and mechanics that are off in the committed fit), so a move
that breaks them shows here too.

When a change is *meant* to alter runs, it lands in its own commit that updates these hashes and says why
(``python -m tests.test_golden`` prints the current table in the form below).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
FILES = ("daily.csv", "captures.csv", "population.csv")

# case -> (scenario file, seed, --set overrides)
CASES: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "baseline-1": ("baseline.yaml", 1, ()),
    "baseline-2": ("baseline.yaml", 2, ()),
    "no_turkish_intervention-1": ("no_turkish_intervention.yaml", 1, ()),
    "early_ceasefire-1": ("early_ceasefire.yaml", 1, ()),
    "turkey_escalation_rule-1": ("turkey_escalation_rule.yaml", 1, ()),
    "rebel_reinforcement_january-1": ("rebel_reinforcement_january.yaml", 1, ()),
    "uncalibrated-1": ("uncalibrated.yaml", 1, ()),
    "no_russian_air-1": ("no_russian_air.yaml", 1, ()),
    "ceasefire_5feb-1": ("ceasefire_5feb.yaml", 1, ()),
    "turkey_after_taftanaz-1": ("turkey_after_taftanaz.yaml", 1, ()),
    "no_turkish_intervention_no_ceasefire-1": ("no_turkish_intervention_no_ceasefire.yaml", 1, ()),
    "escalation_2023_10-1": ("escalation_2023_10.yaml", 1, ()),
    "contingency_zawiya_m4-1": ("contingency_zawiya_m4.yaml", 1, ()),
    "mechanics-off-in-fit-1": (
        "baseline.yaml",
        1,
        (
            "parameters.commander.consolidation_days=0",
            "parameters.commander.stand_down=true",
            "parameters.civilians.strike_exposure=0.5",
            "parameters.civilians.open_air_lethality=0.0005",
        ),
    ),
}

# case -> {file: sha256}; regenerate with `python -m tests.test_golden`
GOLDEN: dict[str, dict[str, str]] = {
    "baseline-1": {
        "daily.csv": "2924c74b580d5e8ef803397dc709263c6ce11cd347c3af3ab07ecc34f526ed4e",
        "captures.csv": "355afa10bc83a96cb3b8262004476983ba9595b7efef5b6d93a6f08ba0cabbe7",
        "population.csv": "fa3474cf2b7f5f12d6a080881e5dd49caa1f2e4d86af5970cf430957a7cd44d7",
    },
    "baseline-2": {
        "daily.csv": "56c13701a37b646cc1e558f851d6a8bab894f93e0e82b6e6db05d1543d55fea0",
        "captures.csv": "bca958dd1a18e771af36312716b7c1bdb32a69f2f602fdc16df57e3377cb98c1",
        "population.csv": "d180a68ea1d79e6c7b75e7fe49fe3e499e353ba56ea1b42f56484f537b63d61c",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "b8648fba34943712e81a56891799c7cadefea398cf63e7f7ced9b64e43be9af0",
        "captures.csv": "908501619e136ec4a0e0e311ec65e0cad495f2864d16707622a2d27e272abbdb",
        "population.csv": "ccf21246a900593bcf5cf6b952cc28ffa0f216091d5c7024f3132441187bd937",
    },
    "contingency_zawiya_m4-1": {
        "daily.csv": "ada4de41a75f570144eecf556ad75d7e8653a3ea9b4601f6051af6f518f4f6c8",
        "captures.csv": "859fbbd471e88ebcaf4c942a5fcbba722ec4a716bcbb0e2f7c6f304933edb6c6",
        "population.csv": "526e5858008b29d3cb6ba6cb56978ffb3ec7c81ad74d3ddddccf64ec52685220",
    },
    "early_ceasefire-1": {
        "daily.csv": "646534cd44df6b1f23ca4d092bbbe7d2ce444e4e3a218629bc97a98b3dca80ed",
        "captures.csv": "4586eda8960938d1c5fd7bef120805be3b0963b3aea66773c1a52f6a88a5a925",
        "population.csv": "1863b02221a9a8ca62696128ea2cfb92d4799f212c353e1e601a474763bd851d",
    },
    "escalation_2023_10-1": {
        "daily.csv": "38df9a6fc6fe08bce13c346fb59efff0476922a21d33fb7664558632ce3c4426",
        "captures.csv": "e909321f04ceccaac8d3831f0915ac99f24b5453a21f2dc0599dea6d18095477",
        "population.csv": "fe063b03757f04ee3d1b448cc029a69438a164f6b6a41b35630b75833ecbd55a",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "09e0128a458166fe23ea88389cd43ee65b1d9196af8fb117c2846d7b7c04d80f",
        "captures.csv": "942f28cee118c0bb8cd4ec268853e9a4ba70ae9fddd0c1c32226f1a196a330c7",
        "population.csv": "f796df23ab0481c88d6c2a9a39052259f92093b5af0e9eb75be443f42b88f5d9",
    },
    "no_russian_air-1": {
        "daily.csv": "a1d193ad756b684bf9818ef646cfca195bc36b58dad0767c27b4b4028d5afb0c",
        "captures.csv": "97699fac9856de4f8f8b604a034cd30533c617272296f78d7c3db32af01c2327",
        "population.csv": "83d3e9e567f72a99972a4efdfc90f16fb9aaf86a48970d23f38394ace765cf9f",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "22250daa0b18b06fb820c3a9430517496c2ca77231c383a369d15b60e3d26512",
        "captures.csv": "8ba1ac20c14c1f113f81bd55d3b9b1d3a52ac9f9e182de3430d69bbac90b0b6a",
        "population.csv": "d43a54e464db7f3a8b4fbd701bb45e44fcdb9cf892a31e80c0e4533ad9b4900e",
    },
    "no_turkish_intervention_no_ceasefire-1": {
        "daily.csv": "35ba87204b8f8dc6a830119d978452757993234a9b8b0ff725e3bf123d9cb544",
        "captures.csv": "83634ed2bc2bd4fa93372d5179da8e02c47f186264ea6330bd4fe547d6921734",
        "population.csv": "60f6e31ebce5ccd4a19b9bf45955b66e7fa1221e8f1c3efaa0828d758d409454",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "04c8427af883120fd7db476933c39e0815902a63a4a0cc7c2eff3f6cdb0b2b1c",
        "captures.csv": "6786ba0a33dfea76618e0065c5c15265ce5eb9de5766c3bc5bc021262edae64f",
        "population.csv": "957012546e910faf00852c8efd7752f0a3548e9557fd57ed2efd3b9563c7c317",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "0fb76d1a0693c99ab211c1178414dcc7c2a201e02b6780df5c576f29ce50b9cf",
        "captures.csv": "829e002a5ce2ab1679d8eb4ca4d0b39bcd808eaf097c949d483919e1ec88d669",
        "population.csv": "74595919594f9ac3274be82f0f9d345e85e98685d8a3deb5e3308ade29a77a2c",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "5d5bfa26186be57580a15f1c1f579b2049e6b127edccd400cdd43694100cc25a",
        "captures.csv": "528714c42ad78d681521ea2918f545ca1e6389673ab3c70d2b928e15be330f1d",
        "population.csv": "2172c464bf0c943674b0a8df039b076ee42fec09e9a1f12d6b0078e9272bddd5",
    },
    "uncalibrated-1": {
        "daily.csv": "7bbdcd76ec316102dd6fa2de28a4c9af808ec33c2346f8884726cdc94b80f838",
        "captures.csv": "ff76d8c2b5ece78a1546e93cb186aa8e3ae05bfe0942e9670c1457493316c977",
        "population.csv": "7beb6e05b840466967379d9e6bdd0c1a77ff08d784628938b1138b3a0afb42e4",
    },
}


def fingerprint(case: str, out: Path) -> dict[str, str]:
    from sim.runs.runner import run_scenario

    scenario, seed, overrides = CASES[case]
    run_scenario(
        SCENARIOS / scenario, seed=seed, out=out, overrides=list(overrides), progress=False, figures=False
    )
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in FILES}


@pytest.mark.parametrize("case", sorted(CASES))
def test_runs_are_byte_for_byte_the_golden_ones(case, tmp_path):
    assert fingerprint(case, tmp_path) == GOLDEN[case]


def test_every_case_has_a_fingerprint():
    assert sorted(GOLDEN) == sorted(CASES)


if __name__ == "__main__":  # print the table of current fingerprints
    import tempfile

    print("GOLDEN: dict[str, dict[str, str]] = {")
    for case in sorted(CASES):
        with tempfile.TemporaryDirectory() as tmp:
            fp = fingerprint(case, Path(tmp))
        print(f"    {case!r}: {{")
        for name in FILES:
            print(f"        {name!r}: {fp[name]!r},")
        print("    },")
    print("}")
    sys.exit(0)
