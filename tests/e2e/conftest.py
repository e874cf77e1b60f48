"""A real Streamlit server and Debian's headless Chromium, driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from subprocess import Popen

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from models.tables import SchoolClass
from services import accounts, classes
from services.permissions import PupilActor
from services.pictures import hash_pictures
from settings import ROOT
from tests.conftest import PASSWORD, staff_actor

CHROMIUM = "/usr/bin/chromium"
LESSON = "dont-feed-the-bully-9-11"
PICTURES = ("sun", "cat", "apple")
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(database_url: str, folder: Path, port: int | None = None, **env: str) -> tuple[Popen, str]:
    """`streamlit run app.py` on 127.0.0.1 against this database and the real content; returns the
    process and its address once it answers. Its log is folder/server-<port>.log."""
    port = port or free_port()
    environment = {
        **os.environ,
        "AMANE_DATABASE_URL": database_url,
        "AMANE_DATA_DIR": str(folder / "data"),
        "AMANE_LOGIN_SLEEP": "0",
        "AMANE_DEFAULT_LANGUAGE": "en",
        "AMANE_CONTENT_DIR": str(ROOT),
        **env,
    }
    log_path = folder / f"server-{port}.log"
    with open(log_path, "w") as log:
        process = Popen(
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
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, process, log_path)
    return process, base


def wait_healthy(base: str, process: Popen, log_path: Path, seconds: float = 60) -> None:
    """Wait until Streamlit's health check answers at `base` (directly or through a proxy);
    if the process ends or time runs out, fail with its log."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{base} did not start:\n{log_path.read_text()}")
        time.sleep(0.2)


def stop_server(process: Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def server(database_url, tmp_path) -> Iterator[str]:
    """A server against this test's database."""
    process, base = start_server(database_url, tmp_path)
    yield base
    stop_server(process)


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
    close_contexts(request, contexts)


def close_contexts(request, contexts: list) -> None:
    """Close a test's browser contexts, first keeping screenshots of their pages in
    screenshots/failures/ if the test failed."""
    if getattr(request.node, "failed_call", False):
        folder = ROOT / "screenshots" / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        for number, context in enumerate(contexts):
            for page in context.pages:
                page.screenshot(path=str(folder / f"{request.node.name}-{number}.png"), full_page=True)
    for context in contexts:
        context.close()


def seed_class(session, name: str, language: str, pupils: str) -> tuple[SchoolClass, list[PupilActor]]:
    """A school (admin `direction`, teacher `teacher` M. Alaoui) with one 9-11 class doing LESSON,
    of these pupils (one per line), whose pictures are all PICTURES."""
    admin = staff_actor(accounts.create_school(session, "École", "direction", "Direction", PASSWORD))
    teacher = staff_actor(accounts.create_staff(session, admin, "teacher", "M. Alaoui", PASSWORD))
    school_class = classes.create_class(session, teacher, name, "9-11", language, [LESSON])
    added = classes.add_pupils(session, teacher, school_class.id, pupils)
    actors = []
    for new in added.added:
        new.pupil.picture_hash = hash_pictures(PICTURES)
        session.add(new.pupil)
        pupil = new.pupil
        actors.append(PupilActor(pupil.id, school_class.id, school_class.school_id, pupil.display_name))
    session.commit()
    return school_class, actors


@pytest.fixture
def school(session) -> SchoolClass:
    """The class CM2 A (English) of Yasmine and Adam."""
    return seed_class(session, "CM2 A", "en", "Yasmine\nAdam")[0]
