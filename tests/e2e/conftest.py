"""A real Streamlit server and Debian's headless Chromium, driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from settings import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[str]:
    """`streamlit run app.py` on a free port against this test's database and the real content."""
    port = _free_port()
    env = {
        **os.environ,
        "AMANE_DATABASE_URL": database_url,
        "AMANE_DATA_DIR": str(tmp_path / "data"),
        "AMANE_LOGIN_SLEEP": "0",
        "AMANE_DEFAULT_LANGUAGE": "en",
        "AMANE_CONTENT_DIR": str(ROOT),
    }
    log = open(tmp_path / "server.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError((tmp_path / "server.log").read_text())
        time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished running the script for the last action, and stays idle:
    a run may be followed by another (st.rerun, st.switch_page), and a click that lands between
    the two hits a button that is about to be replaced."""
    page.wait_for_timeout(150)
    for _ in range(20):
        page.wait_for_selector(IDLE, timeout=30_000)
        page.wait_for_timeout(350)
        if page.locator(IDLE).count():
            return


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.failed_call = report.failed


@pytest.fixture
def new_page(browser: Browser, server: str, request):
    """Opens pages in fresh browser contexts; on failure, screenshots go to screenshots/failures/."""
    contexts = []

    def opener(path: str = "", width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server}/{path}")
        wait_idle(page)
        return page

    yield opener
    if getattr(request.node, "failed_call", False):
        folder = ROOT / "screenshots" / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        for number, context in enumerate(contexts):
            for page in context.pages:
                page.screenshot(path=str(folder / f"{request.node.name}-{number}.png"), full_page=True)
    for context in contexts:
        context.close()
