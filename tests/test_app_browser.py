"""The app in a real browser: headless Chromium drives the page as an analyst would.

The server (``idlib-sim app``) is started on a free localhost port in its own process group and stopped
after the module; the browser is Debian's ``chromium`` driven through its ``chromedriver`` by selenium, so
nothing is downloaded while the tests run (``.ci/run`` installs the two packages when they are missing).
Without the ``app`` extra, selenium or the browser, the test is skipped with the reason. Screenshots of
each stage are saved in the test's temporary folder.

Solara pages render in the browser after a websocket handshake, so the test waits for the page, not for a
timer: it polls the page's text until the controls are there, and the map's image until it changes.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, SCENARIOS

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# without the networking of a desktop browser (updates, sync, field trials): the machine may be offline
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1600,1200",
]

pytest.importorskip("solara", reason="the app extra is not installed: pip install -e '.[app]'")
pytest.importorskip("selenium", reason="selenium is not installed: pip install -e '.[dev]'")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        f"no browser: {CHROMIUM} and {CHROMEDRIVER} come with Debian's chromium and chromium-driver "
        "(.ci/run installs them)",
        allow_module_level=True,
    )

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim", "app", "--port", str(port), "--scenarios", str(SCENARIOS)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with everything it started
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"idlib-sim app exited with {proc.returncode}:\n{log.read_text()}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"idlib-sim app did not listen on port {port}:\n{log.read_text()}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tmp_path_factory.mktemp("chromium-profile")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def page_text(browser: Any) -> str:
    return str(browser.execute_script("return document.body.innerText"))


def wait_for(browser: Any, condition: Callable[[], Any], what: str, timeout: float, shot: Path) -> Any:
    """Poll ``condition`` until it is true; on timeout save a screenshot and fail with the page's text."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    browser.save_screenshot(str(shot))
    pytest.fail(f"waited {timeout:.0f} s for {what}; the page says:\n{page_text(browser)[:2000]}")


def button(browser: Any, label: str) -> Any:
    found = [
        b for b in browser.find_elements(By.TAG_NAME, "button") if b.text.strip().upper() == label.upper()
    ]
    assert found, f"no button {label!r}"
    return found[0]


def type_into(field: Any, text: str) -> None:
    """Replace a text field's value and press Enter. The pause lets the field send what was typed before
    Enter asks the page to read it (selenium types far faster than anyone)."""
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(text)
    time.sleep(0.5)
    field.send_keys(Keys.ENTER)


def image(browser: Any, css: str) -> str:
    found = browser.find_elements(By.CSS_SELECTOR, f"img.{css}, .{css} img")
    return str(found[0].get_attribute("src")) if found else ""


def slide(browser: Any, css: str, *keys: str) -> Any:
    """Press keys on the slider inside ``css`` (a slider's thumb takes keys once it has the focus)."""
    thumb = browser.find_element(By.CSS_SELECTOR, f".{css} [role=slider]")
    browser.execute_script("arguments[0].focus()", thumb)
    ActionChains(browser).send_keys(*keys).perform()
    return thumb


def test_run_move_the_day_and_compare_in_chromium(server: str, browser: Any, tmp_path: Path) -> None:
    fail = tmp_path / "failure.png"
    browser.get(server)
    wait_for(
        browser,
        lambda: "Levers" in (t := page_text(browser)) and "Loading" not in t and "RUN" in t.upper(),
        "the page and its controls",
        90,
        fail,
    )
    browser.save_screenshot(str(tmp_path / "1_levers.png"))
    # offline: everything the page loaded came from the app's server (no tiles, fonts or scripts elsewhere)
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(url.startswith((server, "data:", "blob:")) for url in loaded), loaded

    # a bad value: one line naming the lever, not a traceback
    seed = next(e for e in browser.find_elements(By.TAG_NAME, "input") if e.get_attribute("value") == "1")
    type_into(seed, "one")
    text = wait_for(browser, lambda: "whole number" in (t := page_text(browser)) and t, "the error", 30, fail)
    assert "seed: one: expected a whole number" in text and "Traceback" not in text, text
    browser.save_screenshot(str(tmp_path / "2_bad_value.png"))
    type_into(seed, "1")
    wait_for(browser, lambda: "whole number" not in page_text(browser), "the error to clear", 30, fail)

    # the baseline, run
    button(browser, "Run").click()
    wait_for(browser, lambda: image(browser, "idlib-map"), "the run's map", 180, fail)
    assert "idlib-sim run scenarios/baseline.yaml --seed 1" in page_text(browser)
    browser.save_screenshot(str(tmp_path / "3_run_first_day.png"))

    # the day slider moves the map (and the marker on the time series)
    first_map, first_series = image(browser, "idlib-map"), image(browser, "idlib-series")
    thumb = slide(browser, "idlib-day", Keys.END)
    wait_for(browser, lambda: image(browser, "idlib-map") != first_map, "the map to change", 30, fail)
    assert thumb.get_attribute("aria-valuenow") == thumb.get_attribute("aria-valuemax")
    assert image(browser, "idlib-series") != first_series
    assert "31 Mar 2020" in page_text(browser)
    browser.save_screenshot(str(tmp_path / "4_run_last_day.png"))

    # the compare view: the baseline without Spring Shield against the baseline, 2 runs each
    checkbox = browser.find_element(
        By.XPATH, "//label[contains(., 'Spring Shield')]/preceding-sibling::div//input"
    )
    browser.execute_script("arguments[0].click()", checkbox)
    slide(browser, "idlib-runs", Keys.HOME)
    button(browser, "Compare with the baseline").click()
    text = wait_for(
        browser, lambda: "paired difference" in (t := page_text(browser)) and t, "the comparison", 600, fail
    )
    assert "baseline with the levers against baseline: 2 runs each" in text
    assert "--set events.spring_shield=null" in text
    assert len(browser.find_elements(By.CSS_SELECTOR, "img.idlib-probability, .idlib-probability img")) == 2
    assert image(browser, "idlib-fans")
    browser.set_window_size(1600, 3400)
    time.sleep(1)
    browser.save_screenshot(str(tmp_path / "5_compare.png"))
