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
    "mechanics-off-in-fit-1": (
        "baseline.yaml",
        1,
        (
            "parameters.combat.occupy_below=16.764",
            "parameters.commander.stand_down=true",
            "parameters.civilians.strike_exposure=0.5",
            "parameters.civilians.open_air_lethality=0.0005",
        ),
    ),
}

# case -> {file: sha256}; regenerate with `python -m tests.test_golden`
GOLDEN: dict[str, dict[str, str]] = {
    "baseline-1": {
        "daily.csv": "f3b67cb2c72861c0898b2ff329beb467776f6a17ac3393b753284458dfdf866e",
        "captures.csv": "a914f062870fbe7fb30a3b0d0d58cf5a6e1ff8f10cefc4845aaba5301c90d02f",
        "population.csv": "c1f1bfb9527b5ce02baf1d5dcc947ec3e599e379ad07ce90a2371b91767cb0e3",
    },
    "baseline-2": {
        "daily.csv": "d17b819cec65a618b35dce132b68a045634c7aeb99dd32907e342b47f814fdf3",
        "captures.csv": "c47ab01633f503e51c06f927e594cdc83c380d8b861876a5715f1ee13d22bf9e",
        "population.csv": "67b031233c6a4b56d9c11b021266a7588177755d2a6449a6ff830697ff89e7d9",
    },
    "ceasefire_5feb-1": {
        "daily.csv": "34f4a9eea1dd7252304d5ac0f749e735186f522f6f9d62746abcda113c3c59c2",
        "captures.csv": "7f50b31380c5b0bb994e94b6db414e086b8411c0821c9e516876c4180c9db312",
        "population.csv": "e0ad1c6acbca9944734f262b9a4f24803580bf322395205a6d22c6eecccdece5",
    },
    "early_ceasefire-1": {
        "daily.csv": "b5827f2b30178d603eceb027ba2fc521044f7c67feead38c470fbfa898a2f0ed",
        "captures.csv": "13f0e5290d3809bd9fdf0a0612bcd6104fdf8c03225443981e841a6feee7ec55",
        "population.csv": "efbd7b0179427ded432550d9f1690e31ecdafeea881270b93ba03da0aeec5038",
    },
    "mechanics-off-in-fit-1": {
        "daily.csv": "b6784115683e0c5f95379f23764509dfd5c1d2803227c25caeaf080b28c12898",
        "captures.csv": "0f406c4c1c06ddea0d71d32b2d3051bd3a8a4019944595a74fc9984b82bdac55",
        "population.csv": "75d16a10722f7ec40e6e14d61f1ce9b6d0437cee1fefe6dbc1a90cc372673801",
    },
    "no_russian_air-1": {
        "daily.csv": "f01ce48430a539ac45a624544ac8f9c543cdae0a56bf88140354e916d1c8959e",
        "captures.csv": "dd5a8f2d4fb8a3f5a279729074ec9c24aeee5cc8c9fe9b20057c151ae73bb18e",
        "population.csv": "eb96a68ed548f02b0171cf98211caae8225328fc025aef574b0ae4e48afc8431",
    },
    "no_turkish_intervention-1": {
        "daily.csv": "1868ae5375d99fa73988a930c17ec302d29ef6dd2200d801b18d3c191492db53",
        "captures.csv": "1a05316285130a39dbf6dd94862e0317dbc94411cdf26124193824fe3ba3b310",
        "population.csv": "78934ce8537ca32db484da980962f8c5cb64a95959058653358cfb2aa9855866",
    },
    "rebel_reinforcement_january-1": {
        "daily.csv": "63b222521f515ae0612639d1df9cc77dc7793cfaf99b94a23cfed329058ce942",
        "captures.csv": "ba50fa574a016add5074dc19fa81ebebef728ba8e0d92d013d2ea00c8ef57958",
        "population.csv": "537f5a77c59d43dfc624c6923f695cf4fd3e053420fc78681b7d26295f567dc8",
    },
    "turkey_after_taftanaz-1": {
        "daily.csv": "46497a423a2bd642b3a9d4b571354a0e6834d4d3447078c7af539e0fccad25d4",
        "captures.csv": "7b82cc50bca641341ec89d89feeb6a85118a006351e532e87ee3ddce3b6056ff",
        "population.csv": "ee2e65425e54201689077356ca8437c1b1bdf05a604e4b57bb00542e54cf04c1",
    },
    "turkey_escalation_rule-1": {
        "daily.csv": "7b56367b67cc4fa48e70e6383cacb029866afd79259a9231265ce9fbecdd537a",
        "captures.csv": "0b91b050ba577a231231d139622ff8df3a732daada8577612fdc62e25cd2ca29",
        "population.csv": "9272afa879a61350c86d12c80a59615641dbfc52cbcf14b9800d2f747bd74c30",
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
