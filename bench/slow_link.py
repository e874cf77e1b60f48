"""What a pupil's first load costs over a school's slow link, with and without nginx.

    python -m bench.slow_link [--rounds 3] [--rates 2 8] [--latency 50]

The app (`streamlit run app.py` as `make run` serves it, on the class of 30 of bench/seed.py) and
a one-button Streamlit page (bench/browser.py's bare page), each reached directly and through
nginx rendered from deploy/nginx.conf.template as `make serve` runs it (amane/serve.py: gzip,
Streamlit's hashed files cached a year). In Debian's Chromium (a new browser context each time,
empty cache), counted by bench/browser.py's ColdLoad (bytes on the wire: Chromium's encoded
lengths, headers included, and WebSocket messages):
- a pupil's first load: the address opened until the class code field shows (bare: its button);
- the teacher's class dashboard, cold (signed in by the cookie) until a pupil's name shows;
- the pupil's next visit in the same browser (its cache kept);
- the time of a pupil's first load with Chromium throttled to each of --rates Mbit/s (down and
  up) and --latency ms (CDP Network.emulateNetworkConditions), medians of --rounds.
The WebSocket is not throttled by Chromium: its messages (counted above) are a small part.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Locator, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlmodel import Session

from amane import serve
from amane.models.content_loader import load_catalogue
from amane.services import dashboard
from amane.settings import PACKAGE
from amane.testing.browser import CHROMIUM, CHROMIUM_ARGS
from bench.browser import BARE_BUTTON, BARE_SCRIPT, Bench, ColdLoad, Figures, new_page, timed
from bench.common import ROOT, load_average, print_table
from bench.load import server_env, streamlit_server
from bench.seed import School

CLASS_CODE = 'input[aria-label="Class code"]'
TIMEOUT_MS = 120_000  # a 2 Mbit/s load (about 5 s) on a machine shared with other benchmarks
WAYS = ("direct", "nginx")  # `make run` (Streamlit itself) and behind `make serve`'s nginx


class Stalled(RuntimeError):
    """A throttled load whose page did not show within TIMEOUT_MS."""


def throttle(load: ColdLoad, mbit: float | None, latency_ms: float) -> None:
    """Chromium's network emulation on this page: `mbit` Mbit/s each way and `latency_ms` more per
    request (a school's shared ADSL or 4G link); None leaves the network as it is."""
    if mbit is None:
        return
    rate = mbit * 1_000_000 / 8  # bytes per second
    load.cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": latency_ms, "downloadThroughput": rate, "uploadThroughput": rate},
    )


def first_load(
    browser: Browser, url: str, shown: Callable[[Page], Locator], mbit: float | None, latency: float
) -> tuple[float, float, float, BrowserContext]:
    """A new browser (empty cache) opening `url`: (ms until `shown(page)` is visible, kB over HTTP,
    kB of WebSocket messages, the context for a next visit)."""
    context, page = new_page(browser)
    context.set_default_timeout(TIMEOUT_MS)
    load = ColdLoad(context, page)
    throttle(load, mbit, latency)
    unfinished: dict[str, str] = {}
    load.cdp.on(
        "Network.requestWillBeSent", lambda e: unfinished.update({e["requestId"]: e["request"]["url"]})
    )
    load.cdp.on("Network.loadingFinished", lambda e: unfinished.pop(e["requestId"], None))
    try:
        # Until the element shows, not the `load` event (which also waits for the component frames).
        spent = timed(lambda: page.goto(url, wait_until="commit"), shown(page))
    except PlaywrightTimeoutError:
        context.close()
        raise Stalled(
            f"{url} at {mbit} Mbit/s: not shown; unfinished: {sorted(unfinished.values())}"
        ) from None
    return spent, load.http / 1000, load.websocket / 1000, context


def pupil_figures(
    browser: Browser,
    name: str,
    url: str,
    shown: Callable[[Page], Locator],
    args: argparse.Namespace,
    into: Figures,
) -> None:
    """One round of a pupil's first loads: unthrottled (then the next visit), then at each rate."""
    _, http, websocket, context = first_load(browser, url, shown, None, args.latency)
    into[f"{name} first kB"].append(http + websocket)
    into[f"{name} first websocket kB"].append(websocket)
    page = context.new_page()
    load = ColdLoad(context, page)
    timed(lambda: page.goto(url), shown(page))
    into[f"{name} next kB"].append((load.http + load.websocket) / 1000)
    context.close()
    for mbit in args.rates:
        try:
            spent, *_, context = first_load(browser, url, shown, mbit, args.latency)
        except Stalled as stalled:  # seen once in a busy run: reported, and left out of the medians
            print(f"  {stalled}", flush=True)
            into[f"{name} {mbit:g} Mbit/s stalled"].append(1)
            continue
        into[f"{name} {mbit:g} Mbit/s"].append(spent / 1000)
        context.close()


def dashboard_kb(bench: Bench, url: str) -> float:
    context, page = new_page(bench.browser, bench.cookies)
    context.set_default_timeout(TIMEOUT_MS)
    load = ColdLoad(context, page)
    timed(lambda: page.goto(f"{url}/dashboard"), bench.data(page))
    context.close()
    return (load.http + load.websocket) / 1000


def behind_nginx(stack: ExitStack, url: str) -> str:
    """This server also behind an nginx of its own (`make serve`'s template), until `stack` ends."""
    listen = f"127.0.0.1:{serve.free_port()}"
    return stack.enter_context(serve.proxy(listen, [url.removeprefix("http://")], serve.nginx_folder(stack)))[
        0
    ]


def shown_pupil(school: School) -> str:
    """A pupil whose name the dashboard shows in its progress chart (not only among help requests)."""
    with Session(school.engine) as session:
        board = dashboard.class_dashboard(session, school.teacher, 1, school.catalogue)
    helped = {entry.pupil_id for entry in board.needs_help}
    return next(name for pupil_id, name in board.pupils if pupil_id not in helped)


def report(figures: Figures, args: argparse.Namespace) -> None:
    median = {name: statistics.median(values) for name, values in figures.items()}

    def row(label: str, figure: str, unit: str = "kB") -> tuple[str, ...]:
        cells = [median.get(f"{who} {way} {figure}") for who in ("app", "bare") for way in WAYS]
        shown = [
            ("–" if cell is None else f"{cell:,.0f}" if unit == "kB" else f"{cell:.1f}") for cell in cells
        ]
        return (f"{label}, {unit}", *shown)

    rows = [
        row("pupil's first load (sign-in page)", "first kB"),
        row("  of which WebSocket messages", "first websocket kB"),
        row("pupil's next visit, same browser", "next kB"),
        row("teacher's class dashboard, cold", "dashboard kB"),
        *(row(f"pupil's first load at {mbit:g} Mbit/s", f"{mbit:g} Mbit/s", "s") for mbit in args.rates),
    ]
    print_table(
        f"A pupil's first load over a slow link: Chromium, medians of {args.rounds} rounds, "
        f"{args.latency:g} ms added latency when throttled",
        ["figure", "make run", "nginx", "bare page", "bare + nginx"],
        rows,
        "make run: Streamlit itself (uncompressed); nginx: deploy/nginx.conf.template as `make serve` "
        "runs it (gzip, /static/ cached a year); bare page: one st.button."
        + "".join(
            f"\n{name}: {len(values)} load(s) stalled, left out"
            for name, values in figures.items()
            if name.endswith("stalled")
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each figure")
    parser.add_argument("--rates", type=float, nargs="+", default=[2.0, 8.0], help="link speeds, Mbit/s")
    parser.add_argument("--latency", type=float, default=50.0, help="ms added to each request when throttled")
    args = parser.parse_args()
    started = time.perf_counter()
    print(load_average())
    with tempfile.TemporaryDirectory(prefix="amane-bench-link-") as folder, ExitStack() as stack:
        workdir = Path(folder)
        url = f"sqlite:///{workdir / 'school.db'}"
        school = School(url, load_catalogue(ROOT))
        school.create()
        school.grow_to(30)
        (workdir / "bare.py").write_text(BARE_SCRIPT)
        env = server_env(url, workdir)
        app = stack.enter_context(streamlit_server(PACKAGE / "app.py", env, workdir / "app.log", []))
        bare = stack.enter_context(streamlit_server(workdir / "bare.py", env, workdir / "bare.log", []))
        app_nginx, bare_nginx = behind_nginx(stack, app.url), behind_nginx(stack, bare.url)
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        bench = Bench(browser, app.url, bare.url, shown_pupil(school))
        bench.keep_cookies()  # the sign-in cookie is the host's: it opens the dashboard through nginx too
        servers = {
            "app direct": (app.url, lambda page: page.locator(CLASS_CODE)),
            "app nginx": (app_nginx, lambda page: page.locator(CLASS_CODE)),
            "bare direct": (bare.url, lambda page: page.get_by_role("button", name=BARE_BUTTON)),
            "bare nginx": (bare_nginx, lambda page: page.get_by_role("button", name=BARE_BUTTON)),
        }
        figures: Figures = defaultdict(list)
        for number in range(args.rounds + 1):  # a first round to warm the servers up, not kept
            into = figures if number else defaultdict(list)
            for name, (address, shown) in servers.items():
                print(f"round {number}: {name}", flush=True)
                pupil_figures(browser, name, address, shown, args, into)
            for way, address in zip(WAYS, (app.url, app_nginx), strict=True):
                into[f"app {way} dashboard kB"].append(dashboard_kb(bench, address))
        browser.close()
        school.engine.dispose()
    report(figures, args)
    print(f"\n{load_average()}; slow-link bench took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
