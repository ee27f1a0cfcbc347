"""`trainer coach --serve` in headless Chromium: log in, open a member, see the trend, assign.

Debian's chromium and chromium-driver are driven by selenium; nothing is
downloaded. The terminal is drawn on a canvas, so what the page shows is read
from the websocket frames the browser received (Chrome's performance log), and
a screenshot is saved as an artifact (``tests/fleet/artifacts/``) to look at.
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fleet_helpers import FleetServer, seed_member

from trainer import paths
from trainer.fleet.packs import publish

pytestmark = [pytest.mark.postgres, pytest.mark.browser]

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).parent / "artifacts"
PASSWORD = "correct horse battery"
#: Colour and cursor escapes between the characters the dashboard draws.
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def coach_server(fleet: FleetServer, tmp_path: Path) -> Iterator[str]:
    seed_member(
        fleet,
        "Blake",
        [
            (20 - day, [("aslr", result, None), ("knee-pain", "even", pain)])
            for day, (result, pain) in enumerate(
                [
                    ("even", 1),
                    ("even", 1),
                    ("even", 2),
                    ("left-tighter", 3),
                    ("left-tighter", 5),
                    ("left-tighter", 6),
                ]
            )
        ],
    )
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n")
    port = free_port()
    coach_dsn = fleet.add("coach")
    with psycopg.connect(coach_dsn) as connection:
        publish(connection, paths.BUNDLED_ROUTINES_DIR)  # what the routine picker offers
    environment = {**os.environ, "TRAINER_FLEET_DSN": coach_dsn}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trainer",
            "coach",
            "--serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--password-file",
            str(password_file),
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/login", timeout=2).close()
            break
        except OSError:
            assert server.poll() is None, "the coach server exited"
            assert time.monotonic() < deadline, "the coach server did not start"
            time.sleep(0.1)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = (
            "Debian's chromium and chromium-driver are needed (scripts/setup.sh installs them)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not reach out
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1400,900",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def screen_text(driver: object) -> str:
    """Everything the dashboard sent to the page over its websocket so far, as text."""
    received = []
    for entry in driver.get_log("performance"):  # type: ignore[attr-defined]
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.webSocketFrameReceived":
            response = message["params"]["response"]
            payload = response["payloadData"]
            if response.get("opcode") == 2:
                payload = base64.b64decode(payload).decode("utf-8", "replace")
            received.append(payload)
    return ANSI.sub("", "".join(received))


def sign_in(driver: object, url: str, password: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(url + "/")  # type: ignore[attr-defined]
    field = driver.find_element(By.ID, "password")  # type: ignore[attr-defined]
    field.send_keys(password)
    driver.find_element(By.ID, "sign-in").click()  # type: ignore[attr-defined]


def test_wrong_password_sees_nothing(coach_server: str, browser: object) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    sign_in(browser, coach_server, "not the password")
    # The answer comes after the wrong-password delay: wait for the new page. The
    # login page's own #error goes stale when the answer replaces that page, which
    # can happen between finding it and reading it: look again at the next poll.
    WebDriverWait(  # type: ignore[arg-type]
        browser, 30, ignored_exceptions=(StaleElementReferenceException,)
    ).until(lambda driver: "Wrong password" in driver.find_element(By.ID, "error").text)
    assert browser.current_url.endswith("/login")  # type: ignore[attr-defined]
    browser.get(coach_server + "/")  # type: ignore[attr-defined]
    assert browser.current_url.endswith("/login")  # type: ignore[attr-defined]
    assert "Blake" not in browser.page_source and screen_text(browser) == ""  # type: ignore[attr-defined]
    for path in ("/ws", "/static/js/textual.js"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(coach_server + path, timeout=5)
        assert refused.value.code == 401


def test_sign_in_open_a_member_see_the_trend_and_assign(
    coach_server: str, browser: object, fleet: FleetServer
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sign_in(browser, coach_server, PASSWORD)
    text = ""
    deadline = time.monotonic() + 60
    while "Blake" not in text:
        assert time.monotonic() < deadline, "the dashboard never showed the member list"
        time.sleep(0.25)
        text += screen_text(browser)
    ActionChains(browser).send_keys(Keys.ENTER).perform()  # open the highlighted member
    while not ("= = = L L L" in text and "asymmetry worsening" in text):
        if time.monotonic() > deadline:
            ARTIFACTS.mkdir(exist_ok=True)
            (ARTIFACTS / "coach-browser-stream.txt").write_text(text)
        assert time.monotonic() < deadline, "the member's trend never appeared"
        time.sleep(0.25)
        text += screen_text(browser)
    # The routine picker: tick the highlighted routine, Tab to the button, press it.
    # xterm.js reads keys from its hidden text area.
    keys = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")  # type: ignore[attr-defined]
    keys.send_keys("a")
    time.sleep(0.5)
    keys.send_keys(Keys.SPACE)
    deadline = time.monotonic() + 30
    while "Assign the ticked routines" not in text:
        assert time.monotonic() < deadline, "the routine picker never appeared"
        time.sleep(0.25)
        text += screen_text(browser)
    time.sleep(1.0)  # let the canvas paint before the picture
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "coach-browser-picker.png"))  # type: ignore[attr-defined]
    keys.send_keys(Keys.TAB)
    time.sleep(0.5)
    keys.send_keys(Keys.ENTER)
    while not fleet.rows("SELECT routine_id FROM fleet.assignments"):
        assert time.monotonic() < deadline, "the assignment never reached the server"
        time.sleep(0.25)
    (assigned,) = fleet.rows("SELECT routine_id FROM fleet.assignments")
    assert assigned[0] in {path.stem for path in paths.BUNDLED_ROUTINES_DIR.glob("*.yaml")}
    shot = ARTIFACTS / "coach-browser.png"
    browser.save_screenshot(str(shot))  # type: ignore[attr-defined]
    assert shot.stat().st_size > 10_000
