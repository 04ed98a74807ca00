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
        "daily.csv": "118bf55ca112a9e9a4b4d056e3d898b98c4ced3b6d488945118f6f9f0927d1c5",
        "captures.csv": "35c9a9f5df6f3bbfb524b24c28f2f8702c05a63cf521d4b4b87f8b59594e09ca",
        "population.csv": "e43e7d54a3344b657699808bc4164ce1a75aea58cf990a8ec152d94b6301ec8d",
    },
    "baseline-2": {
        "daily.csv": "6ddc018caaade51ed67b9846409decc0c363f2538ecd839ffba7d7177adb2269",
        "captures.csv": "30ea85b789703c58fb4cced07f8d238f8c083aee1dad7f756e37c636a134fb4c",
        "population.csv": "b12db71125eb12daeaace94fd53272c43a32b2084c1a5dfd536f103813c43b11",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "a404c3217c7fe081bf6fe005fd68b91086c5e16bfc5498f51895eabef3e1fda3",
        "captures.csv": "41c433cc2ebb93ce865dd16921b2d71bc8363fceed5f2fa22ba7bd5c4f24e91d",
        "population.csv": "640bbc9b6113555f069119f034751967c3d5437df855c5d99bb34ef776924e19",
    },
    "contingency_zawiya_m4-1": {
        "daily.csv": "6cb5ca05c222e005f7e047ab18846fa0d9a576d972b56ed626daa84501f61faf",
        "captures.csv": "8b2cefba12925d7ba83154803a7f26b0e35fb09399b688f64b028c668740c702",
        "population.csv": "50afbe14971e13204d9a11d8b2b905ac68ab36d715b8c904dbbf75248b6f518c",
    },
    "early_ceasefire-1": {
        "daily.csv": "7703e2dca88f34941f20e3a5e83006f67663bdab27b8012068eecb54671a4e66",
        "captures.csv": "98a98c835eda81f34e49570a3172f0c0cff8e7877f2f45d9cc861aeb85cad642",
        "population.csv": "d1755d10e53b98a3e7961a4fc91b390708a25b78dd8277ecaf1811074bf6ed97",
    },
    "escalation_2023_10-1": {
        "daily.csv": "b3f5c05a93cbbb690fad9698bb04fb34e634594248301d2e52ca13f2a6b26489",
        "captures.csv": "e909321f04ceccaac8d3831f0915ac99f24b5453a21f2dc0599dea6d18095477",
        "population.csv": "fe063b03757f04ee3d1b448cc029a69438a164f6b6a41b35630b75833ecbd55a",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "0fd819481f206760aa315d476d1306f73ec400fc5867465d8f4e069ea6c76236",
        "captures.csv": "ecd3decb664af069ca4bc77d823b17b1b0e615338363510d08308836c42b4ca6",
        "population.csv": "dc6976ca5d53a900d543cd72d1ed12917758e8f788d6d51b68f85ad995d0a3a1",
    },
    "no_russian_air-1": {
        "daily.csv": "53a245d042a88413f39d116aba38c4b8ad24fe3a06c28de4f5e5b17543eb3e02",
        "captures.csv": "b4675ec43de781c41cdf501310121b28c29d51a07d86177f054b1a95c3c3f72f",
        "population.csv": "a9e249b8653b64869a265beb714dc335a195826c323cd44e5a16c297a0922fbc",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "317ee158a0ccf101ee4aa317f63585ca77fccb39c112e1f5af5d4dd414fb89f4",
        "captures.csv": "b104d992785fec62e42c10cf693f6e664118f7c7dadbc5e7b7fb004f00cdf5bd",
        "population.csv": "80366540d2849601ba599e4e78cdf154c14e1d98cfc7603097a1bfff09a41d53",
    },
    "no_turkish_intervention_no_ceasefire-1": {
        "daily.csv": "c12ec9b8b83c0daf77d1b50390ef2e033a3e2adaf31bca6a372e4086c15490d9",
        "captures.csv": "264f7ed97e25ef2a7202430dbde2e3d3ed8b36854512a6026730ae16a704753f",
        "population.csv": "4cf96bf360a11b5f7f22cea529b38b5461022643ada818fc3b7be92bd21df338",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "81c7c1a1544def6dcb0cdf29aeb5ba40484bc76bbb93a48b8d70736d0eb1ca81",
        "captures.csv": "e3ea4e1677952f1868815590e41402c73150377101e1b385173f491dd64bc48d",
        "population.csv": "cee7637e1670409fa2448f71b560fbe7014ce08535ac6d014a925da4e47f4a15",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "eb62dfa2b7e6eaa692b2b49f2a03e2b2148fd2fe5479cf8e3543ac0a8bd9d65e",
        "captures.csv": "4f53c1f547d5403cbf03f663f7f125b5e11b445445ee1bdbe0ad37154401ab10",
        "population.csv": "35545cc25e3ec3896103ce07dc204e632e53c704bef65fc310ffda51582b3ef4",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "10367f11da0c7435906888fbdb76a239a74016295edbde8325004b19278c4654",
        "captures.csv": "8f27849dd7e1fb066ba591e1104447c436c1c324335e9aa56b116739a239d744",
        "population.csv": "696c5671c6aeebdbff2ff69f8017b0f86f9e679f83422dd520616f3160eef8c9",
    },
    "uncalibrated-1": {
        "daily.csv": "9efb0c7b03f653143a3cf524fb5580de4f981b56326b32ce9e3a75b06ab1aa51",
        "captures.csv": "7072ac3fa786774040a63cb6d598116623b0f8f7c7fe8fb14233c6672296d459",
        "population.csv": "704001a98f4e9dc801968a5f2ff48db4f5028471e41046b7d08b190a5c9f1332",
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
