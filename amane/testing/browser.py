"""A real Streamlit server of app.py and Debian's headless Chromium (never a downloaded browser
build), for the browser tests, the screenshots and the load test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from subprocess import Popen

from playwright.sync_api import Page

from amane import serve
from amane.settings import PACKAGE, ROOT

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
                str(PACKAGE / "app.py"),
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
    try:
        serve.wait_healthy(base, process, seconds)
    except serve.ServeError as error:
        process.kill()
        raise RuntimeError(f"{error}:\n{log_path.read_text()}") from None


def stop_server(process: Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()



# Streamlit marks its app element with the script's state. This records, in the page, when that
# state last changed and when the person last clicked or typed, so that waiting for a page to
# settle is waiting on Streamlit itself rather than on fixed sleeps.
_WATCH_SCRIPT = """
(() => {
  const watch = { changed: performance.now(), input: 0 };
  window.__amaneWatch = watch;
  for (const kind of ["pointerdown", "keydown", "input", "change"]) {
    document.addEventListener(kind, () => { watch.input = performance.now(); }, true);
  }
  new MutationObserver(() => { watch.changed = performance.now(); }).observe(document, {
    subtree: true, attributes: true, attributeFilter: ["data-test-script-state"],
  });
  return watch;
})()
"""
SETTLE_MS = 350  # a run that follows another (st.rerun, a component's value) starts well within this


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished every run the last action caused: the app is not running
    and neither its state nor the person's input has changed for SETTLE_MS (a run may be followed
    by another, and a click that lands between the two hits a button about to be replaced).
    A newly loaded document gets the watcher here, and then waits SETTLE_MS from that moment."""
    page.evaluate(f"window.__amaneWatch || {_WATCH_SCRIPT.strip()}")
    page.wait_for_function(
        """(settle) => {
          const app = document.querySelector('[data-testid="stApp"]');
          const watch = window.__amaneWatch;
          if (!app || !watch || app.getAttribute("data-test-script-state") !== "notRunning") return false;
          return performance.now() - Math.max(watch.changed, watch.input) >= settle;
        }""",
        arg=SETTLE_MS,
        timeout=30_000,
    )
