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
        "daily.csv": "f6198db275536397d972c60e5bb1f72a3216c78c84758840b18862c55b6197ec",
        "captures.csv": "c7a6c84e26311ffe69783e348a72d521e6e7ea52381d5ebcf3eb14273f41b414",
        "population.csv": "72ad36640db7e13847ef050a53b8bfb2c803c6a3ea91fd4e06c6757bf3c845ca",
    },
    "baseline-2": {
        "daily.csv": "c7fd8f0422ed1daf18edda840d2473a131a66ce1c466e028f48ab039e81e2016",
        "captures.csv": "b328edca99bbf67c504f764bb55d32bd41a5f35c63535f8137941e5dbef0e279",
        "population.csv": "7af9fa0aa9cf7b7190da342cb8ee19bbdc5a84f8b6929a22b38fed7b49729212",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "a268e5797b6fd022eb2ddb0b91c8bc0127c5cd11b82df9977e435458828a2ca0",
        "captures.csv": "d4f21170a82337448e01c91edb7a090d2484eb3460f3ef8c8d46f2e0adb5d5bc",
        "population.csv": "6ff7628be3180c2d8fe25e8d9fde20175374a82bc97ac9b7e0d9ed595b251298",
    },
    "contingency_zawiya_m4-1": {
        "daily.csv": "ad1bb7c188577d53eb003860cab8da49f641a7e90b18225cd7b5cf0dcd8f50b5",
        "captures.csv": "a584b884e7485ff70ee2279cb6531bd511d9468168df48dd54583dd723a2b9ae",
        "population.csv": "acf5f78e460d56d459c59541a65c29a7df4bdaca8e10d0dc1895313a751d2b17",
    },
    "early_ceasefire-1": {
        "daily.csv": "661b886a923134148de52959bd1f892ff91a8d4a66ed4896dbb784e6b72abcae",
        "captures.csv": "5baeafce1ef6a20e3401f55a37772ece0e847f1720ca4c27d32f7c65f9888585",
        "population.csv": "3984e068398ca8908cba1dbc0164401e196a7909766376d571504d045c2fc45b",
    },
    "escalation_2023_10-1": {
        "daily.csv": "b3f5c05a93cbbb690fad9698bb04fb34e634594248301d2e52ca13f2a6b26489",
        "captures.csv": "e909321f04ceccaac8d3831f0915ac99f24b5453a21f2dc0599dea6d18095477",
        "population.csv": "fe063b03757f04ee3d1b448cc029a69438a164f6b6a41b35630b75833ecbd55a",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "6d3c27ce59b2876694df53717e524c63962af4bd0a2501ff47dfb797889c366f",
        "captures.csv": "9fb3eaae74ec29e66b44cfb510c789e008a8bd7db9a2c283be0abd0575be3960",
        "population.csv": "b44a8fb2a12858075ee305adfcbe117ee38d02c8f01e66c531a6f04f057027c7",
    },
    "no_russian_air-1": {
        "daily.csv": "ef367e66270c553edd6ec250940dedb0bed0ce40bb4e1dad3f5b971b2fbd90db",
        "captures.csv": "3910a182161eed1b50ce7444272ce01b660ee7ce3aafe3e96a81a153267208b3",
        "population.csv": "4e6808497488fa28b666407261f281f64c501bfe4ee77ade8a663461f1989896",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "f3178e0ab48d5d24a9a605b4306ed28bdaff76a5ede03fde61e402333642aabb",
        "captures.csv": "2cd9d06ace08c26d96a7abe15681b8a00d71278882d1b15c6646a439ff4a07d9",
        "population.csv": "ba8e003b1cbbccf5048ff9a21e6b38edd10afafef986ef90ab86929345909097",
    },
    "no_turkish_intervention_no_ceasefire-1": {
        "daily.csv": "b379c09ecbd10ef59e31dbf2c19df1c19325875bbae8fbb5a79fb68fc26b0025",
        "captures.csv": "077f6060e76c9957df1006d53a7514dcb617bd3b7f5365434112fabf03aed408",
        "population.csv": "9b4cd7c3ffe39500793309f3c5906bfcaeb20f9b3fc8df1ede3017df8ab1cd01",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "99f260bf2568ddfbc78b1658ac4c8e82a649c3021cc61461d226142a550ef055",
        "captures.csv": "83afd7cab1b12b1a6a44dea1954bcf735e77d638807e366699103338810c8e18",
        "population.csv": "d34605446b9b20ac3cc544c239e9e215e2da23c9b6d2a4bf631010b5587afcf8",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "05d44f0ad9383ce58cb61aaf2b3d476055797de85b5a8e4b1893d3a54ba8a29c",
        "captures.csv": "a6c25ff7e72f6072a73ed699d8dab5f7643c96b79cc77e11d89d6f101133d55b",
        "population.csv": "90ef2abb070e2a995f0bd92b5725d73d152cede4cf73fd0cc52efe3ea0585511",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "5ceb6ecfdd59a314fc2875d4c9d6f6ce8e2a8b8c69ab778964c2b7abf75bb1d2",
        "captures.csv": "0d487d80f2f485dda402e531142fda75c59802a0e67f3f6f39f1bb1ab3460f0a",
        "population.csv": "9c2d4e41905522e18a2f310bfb58b6904a36ade01ff0d0cf5f7a99d3e89364e4",
    },
    "uncalibrated-1": {
        "daily.csv": "68128acfc01ef2fa8230000e6465c77426950a5875c204475a5f33a710775ceb",
        "captures.csv": "f1a0361f84c48e890949c93133f5b2fdf07fbce7caf539aea69a9dba83ecefeb",
        "population.csv": "94ad7c8b45b72dfa24cd41f9bad45e96d4256ea9498e5c5a02af46cb9228b43c",
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
