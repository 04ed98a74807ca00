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
        "daily.csv": "56b430c3e0105b99f297425cbcec19079d71816c6a4c4b5fde6012577c502d0f",
        "captures.csv": "12adeb378b1ee8924f7ddb74b055be0da7289f2ee1bb3a5d563cd3a44561748b",
        "population.csv": "c21ef4fb4452d0aa8542facdc0bb85dfb36eb94884773da043931a2ea7310184",
    },
    "baseline-2": {
        "daily.csv": "ae941b02193f5fbfdacea5adb9aaca2ec7feb03f25381ee281ccc4f57d2ad706",
        "captures.csv": "2dc9d917850f1033cbe62cf18d8241240ef261071c87276b0e26a203726a46ec",
        "population.csv": "a69633a96f9bf5fb015e5da69bb6e4e9aec85ca505248c375e21233bb2b311a6",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "6fb9693d91b5cc1254867b1974cbc3a408c00f40636f2b9f3ef3e46ecb0b8f29",
        "captures.csv": "dd4766b246fae876a7603f6db8cf17f4eca78a22120f5543bd55ac8b7dabcb4b",
        "population.csv": "97587f568050feae968efb6902a814e8a58312bdd35ed35ed7403388fa30f179",
    },
    "contingency_zawiya_m4-1": {
        "daily.csv": "762b10d3c97dcbe4f135511866184d6eca69dec9184475d97400c3263f75e52c",
        "captures.csv": "4c4cc1cd746716332ec0ee2015a7a37f01c03c90e28d05de303abb307aab25ad",
        "population.csv": "c85bb043a778ef40e7c82b0e6b5bfe748ba62aafbca717dfb569b856f6fe3519",
    },
    "early_ceasefire-1": {
        "daily.csv": "201c6eb33189a54f478b00dca85917707f9a831e8b75d3dfac3dcf9c1f6dc8a3",
        "captures.csv": "9f77f2118912a0c17627401f8480d626357c6405cfe0d1cd6f64d09585967891",
        "population.csv": "7f63fd4e68ab03e2fe7bdf5f72df55fc6c837048141a2b0e9ee97a19ae606b1f",
    },
    "escalation_2023_10-1": {
        "daily.csv": "b3f5c05a93cbbb690fad9698bb04fb34e634594248301d2e52ca13f2a6b26489",
        "captures.csv": "e909321f04ceccaac8d3831f0915ac99f24b5453a21f2dc0599dea6d18095477",
        "population.csv": "fe063b03757f04ee3d1b448cc029a69438a164f6b6a41b35630b75833ecbd55a",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "a200721b733a9ffbfbc1956ba17210c791e670bec55187072b5f9e05cdca1a22",
        "captures.csv": "e55a7ac46040129e0403e3fa34c430218b60215be3afaf95cf2c1a48c2bc3ae6",
        "population.csv": "0fede93ab94a90793491fb769202c98143d15684e6e3fb199f560fa5d646eae6",
    },
    "no_russian_air-1": {
        "daily.csv": "a464ae4e7b10b5d81919dd605ae82098ee932ba070bc82c62a4eafd7441023c6",
        "captures.csv": "4a54099264d4623594b07bacc280fcbc1e8b41a22add0678a27aab809a5040aa",
        "population.csv": "31fb04f84a0c0309b184fd5ff8c761ab7ee7acfe8571f779a5fe103ac5ee5454",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "8ed05d049f37efd26b7e2bad29ff0e06f9eac152d495e6d14aeb3ddc650caab5",
        "captures.csv": "55e2b5c45f7a1a5e06600990d9cc46b2476b8eb0d4d7b9542ea6132c5a11b93e",
        "population.csv": "7accce32908a50d8fc5f5a01296979992662d7bcc4d8135d108a50c5e298a016",
    },
    "no_turkish_intervention_no_ceasefire-1": {
        "daily.csv": "df6ee0c594fa7b2a311ad2c7d4f584fc06c526b7434c8fb776a06fbff3177a87",
        "captures.csv": "b8a38792397866173e581f07e599899c0a604f237d83232942dd4f4a77ffdb42",
        "population.csv": "ecf3b25fb29b334819c4dd07970f4611a1bbf253b803a53ffbad925a5e64a367",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "64d173fe36b57deb1fcbb6cd5f1af8c9d4957e5d0e04f8ea28d62c90c01282e8",
        "captures.csv": "f79359e024566fce1b8cdb06f4e449fdd7ac7e92cf07ce74dcd68aaad4ceaa19",
        "population.csv": "1347ffe79529e55f40d8f75766ded5428e54873b4a1d7bf36e806034a513f646",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "08aff2eff0bac3196d190f95457b2d8073ac86fb68e89ddea9808793674b4cab",
        "captures.csv": "735607d4580887e65efddf364d34b49057e8ec49d576f8d2aaa3c3f4f27dc636",
        "population.csv": "2f9b5f719b718dd8632b27f78c242979344dd42b5be37bdef7c3a1b9c6221a56",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "8c566a27dd956188b1ea655ba631e3a441950648b19eed504a28f99d442da1a0",
        "captures.csv": "d2307c6b367494c6303988a1b6b8a9aa76f04f06d3ed79a3e8822cdb96f719db",
        "population.csv": "61d959187a2cfff629681d68fb8387831f9e7b983f668a156d414cbe3354b53c",
    },
    "uncalibrated-1": {
        "daily.csv": "83dc0bebb2847875829d2158d44251b05b826fc659b4c85ef45f4ccf9fbf164e",
        "captures.csv": "c0d5b1145679b175cbed77ca0e2369f685eef36a631648a18e7aeada13bb836e",
        "population.csv": "c7476130171fc9ad00f3bbd75003b00e90aa798f9fff567086212f3987f7907a",
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
