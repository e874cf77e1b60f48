"""The documented scale-out (docs/deployment.md): two `streamlit run app.py` replicas on one
database, behind nginx rendered from deploy/nginx.conf.template. nginx keeps each browser on one
replica (the `amane_node` cookie), carries the websocket, and a pupil's progress written through
one replica is what their teacher sees through the other. nginx also adds the security headers
to every response, so a page on another site cannot frame Amane, keeps Streamlit's metrics
to the machine, gzips what it sends and lets browsers keep Streamlit's hashed files a year.
`make serve` (amane/serve.py) starts N app processes behind that same nginx, and stops them all."""

from __future__ import annotations

import gzip
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPResponse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import select

from amane import serve
from amane.i18n import t
from amane.models.tables import Pupil, StaffUser
from amane.services import classes
from amane.services.permissions import StaffActor
from amane.services.pictures import hash_pictures
from amane.settings import ROOT
from amane.testing.browser import free_port, start_server, stop_server, wait_healthy, wait_idle
from tests.e2e.conftest import PICTURES, _course, close_contexts, seed_class
from tests.e2e.test_journey import click, sign_in_pupil, sign_in_teacher
from tests.e2e.test_rtl import direction_of

pytestmark = pytest.mark.e2e
NODE_COOKIE = "amane_node"
AUTH_COOKIE = "amane_auth"  # views/auth.py COOKIE_NAME
UPSTREAM_HEADER = "X-Amane-Upstream"
SECURITY_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# nginx matches locations on the decoded, merged path, so spelling it otherwise gets no further.
METRICS_PATHS = ("_stcore/metrics", "_stcore/metrics?format=text", "_stcore/%6detrics", "_stcore//metrics")


@dataclass(frozen=True)
class Cluster:
    url: str  # nginx, the only address the browsers use
    replicas: dict[str, str]  # upstream address as nginx reports it -> the replica's own URL


def _start_replicas(database_url: str, tmp_path: Path, count: int) -> list[Future]:
    """`count` servers as the `server` fixture starts them, all at once: each with its own data
    folder, all with the same cookie key. Returns when all have answered or failed."""
    key = secrets.token_urlsafe(48)
    folders = [tmp_path / f"replica-{number}" for number in range(1, count + 1)]
    for folder in folders:
        folder.mkdir()
    with ThreadPoolExecutor(count) as pool:
        return [pool.submit(start_server, database_url, folder, AMANE_COOKIE_KEY=key) for folder in folders]


@pytest.fixture
def cluster(database_url: str, tmp_path: Path) -> Iterator[Cluster]:
    nginx = serve.nginx_binary()  # scripts/test.sh installs it
    started = _start_replicas(database_url, tmp_path, 2)
    nginx_process = None
    try:
        ports = [int(future.result()[1].rsplit(":", 1)[1]) for future in started]
        folder = tmp_path / "nginx"
        folder.mkdir()
        listen = free_port()
        site = serve.render_site(f"127.0.0.1:{listen}", [f"127.0.0.1:{port}" for port in ports], "localhost")
        # As root, workers would run as `nobody`, who cannot enter pytest's private tmp folders.
        config = serve.render_main(folder, site, "root" if os.geteuid() == 0 else None)
        log = folder / "stderr.log"
        with open(log, "w") as handle:
            command = [nginx, "-p", str(folder), "-c", str(config), "-g", "daemon off;"]
            nginx_process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{listen}"
        wait_healthy(url, nginx_process, log, seconds=30)
        yield Cluster(url, {f"127.0.0.1:{port}": f"http://127.0.0.1:{port}" for port in ports})
    finally:
        if nginx_process:
            stop_server(nginx_process)
        for future in started:
            if future.exception() is None:
                stop_server(future.result()[0])


def _get(url: str, cookie: str | None = None) -> HTTPResponse:
    return _fetch(url, {"Cookie": cookie} if cookie else {})[0]


def _fetch(url: str, headers: dict[str, str]) -> tuple[HTTPResponse, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response, response.read()


def _upstream(url: str, node: str) -> str:
    """The replica nginx (at `url`) sends a browser carrying this sticky cookie to."""
    return _get(f"{url}/_stcore/health", f"{NODE_COOKIE}={node}").headers[UPSTREAM_HEADER]


def _nodes_per_replica(url: str, replicas: int) -> dict[str, str]:
    """A sticky-cookie value for each of the `replicas` behind nginx at `url`."""
    found: dict[str, str] = {}
    for number in range(64):
        found.setdefault(_upstream(url, f"probe-{number}"), f"probe-{number}")
        if len(found) == replicas:
            return found
    raise AssertionError(f"64 cookie values all went to {sorted(found)}")


def _connects(replica_url: str) -> int:
    with urllib.request.urlopen(f"{replica_url}/_stcore/metrics", timeout=10) as response:
        text = response.read().decode()
    line = next(line for line in text.splitlines() if line.startswith('session_events_total{type="connect"}'))
    return int(float(line.split()[-1]))


@pytest.fixture
def contexts(browser: Browser, cluster: Cluster, request) -> Iterator[Callable[..., BrowserContext]]:
    """`contexts(node, auth=None)`: a fresh browser pinned to a replica by its sticky cookie,
    optionally carrying a staff sign-in cookie. On failure, screenshots go to screenshots/failures/."""
    opened: list[BrowserContext] = []

    def pinned(node: str, auth: str | None = None) -> BrowserContext:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        opened.append(context)
        cookies = [(NODE_COOKIE, node)] + ([(AUTH_COOKIE, auth)] if auth else [])
        context.add_cookies([{"name": name, "value": value, "url": cluster.url} for name, value in cookies])
        return context

    yield pinned
    close_contexts(request, opened)


def _open(context: BrowserContext, cluster: Cluster, path: str = "") -> tuple[Page, str]:
    """Open a page through nginx; also returns the replica that served it."""
    page = context.pages[0] if context.pages else context.new_page()
    response = page.goto(f"{cluster.url}/{path}")
    wait_idle(page)
    return page, response.headers[UPSTREAM_HEADER.lower()]


def _check_sticky_cookie(cluster: Cluster) -> dict[str, str]:
    """nginx gives a browser without the cookie a random one, once; a value always goes to the
    same replica. Returns a cookie value for each replica."""
    first = _get(f"{cluster.url}/_stcore/health")
    (set_cookie,) = [c for c in first.headers.get_all("Set-Cookie") or [] if c.startswith(f"{NODE_COOKIE}=")]
    node = set_cookie.split(";")[0].removeprefix(f"{NODE_COOKIE}=")
    assert node and set_cookie == f"{NODE_COOKIE}={node}; Path=/; HttpOnly; SameSite=Lax"
    again = _get(f"{cluster.url}/_stcore/health", f"{NODE_COOKIE}={node}")
    assert not [c for c in again.headers.get_all("Set-Cookie") or [] if c.startswith(f"{NODE_COOKIE}=")]
    assert again.headers[UPSTREAM_HEADER] == first.headers[UPSTREAM_HEADER]
    nodes = _nodes_per_replica(cluster.url, len(cluster.replicas))
    assert set(nodes) == set(cluster.replicas)
    for replica, value in nodes.items():
        assert {_upstream(cluster.url, value) for _ in range(5)} == {replica}
    return nodes


def _security_headers(headers) -> dict[str, list[str]]:
    return {name: headers.get_all(name) or [] for name in SECURITY_HEADERS}


def _check_headers_and_metrics(cluster: Cluster) -> None:
    """Every security header exactly once on pages, Streamlit's scripts and our static files;
    Streamlit's session counters are not found through nginx (error pages get the headers too),
    though each replica still gives them to the machine itself."""
    expected = {name: [value] for name, value in SECURITY_HEADERS.items()}
    for path in ("", "staff", "app/static/css/base.css", "_stcore/health"):
        assert _security_headers(_get(f"{cluster.url}/{path}").headers) == expected, path
    for path in METRICS_PATHS:
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(f"{cluster.url}/{path}")
        assert refused.value.code == 404, path
        assert _security_headers(refused.value.headers) == expected, path
    for replica_url in cluster.replicas.values():
        _connects(replica_url)


def _check_compression_and_caching(cluster: Cluster) -> None:
    """A browser that accepts gzip gets the page and Streamlit's scripts gzipped, the same bytes
    the replica sends; the scripts (hashed names under /static/) may be kept a year, the page
    itself is asked for again every time (a new release must reach the browser)."""
    replica = next(iter(cluster.replicas.values()))
    gzipped = {"Accept-Encoding": "gzip"}
    page, body = _fetch(f"{cluster.url}/", gzipped)
    assert page.headers["Content-Encoding"] == "gzip"
    assert page.headers["Cache-Control"] == "no-cache"
    html = gzip.decompress(body).decode()
    chunk = re.search(r'src="\./(static/js/index\.[\w-]+\.js)"', html).group(1)
    script, body = _fetch(f"{cluster.url}/{chunk}", gzipped)
    assert script.headers["Content-Encoding"] == "gzip"
    assert script.headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert script.headers["Vary"] == "Accept-Encoding"  # a shared cache keeps both forms apart
    plain = _fetch(f"{replica}/{chunk}", {})[1]
    assert gzip.decompress(body) == plain and len(body) < len(plain) / 2
    # Files of Amane's own (not hashed) keep Streamlit's caching: none said, so none long.
    css = _fetch(f"{cluster.url}/app/static/css/base.css", gzipped)[0]
    assert "max-age" not in (css.headers["Cache-Control"] or "")


@contextmanager
def _framing_site(page: bytes) -> Iterator[str]:
    """Another origin on this machine (another port) serving `page`. On the loopback like nginx:
    Chromium refuses a public page framing a local one anyway, headers or not."""

    class Framing(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args) -> None:  # no lines in the test's output
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Framing)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{site.server_address[1]}"
    finally:
        site.shutdown()
        site.server_close()


def _check_framing(browser: Browser, cluster: Cluster) -> None:
    """A page of another site that frames Amane gets nothing in its frame; Amane's own origin
    may frame it (its print and scroll buttons are same-origin frames)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    framing = f'<iframe src="{cluster.url}/" width="900" height="600"></iframe>'.encode()
    try:
        page = context.new_page()
        with _framing_site(framing) as other_site:
            page.goto(other_site)
            page.wait_for_load_state("load")
        (frame,) = page.main_frame.child_frames
        assert frame.url.startswith("chrome-error:"), frame.url  # Chromium's page for a refused frame
        # The same frame in a page of Amane's own origin (the browser answers that page itself).
        own_page = f"{cluster.url}/framing.html"
        page.route(own_page, lambda route: route.fulfill(body=framing, content_type="text/html"))
        page.goto(own_page)
        expect(page.frame_locator("iframe").get_by_role("heading", name="Welcome to Amane")).to_be_visible()
    finally:
        context.close()


def _websockets(cluster: Cluster) -> dict[str, int]:
    """How many websocket sessions each replica has accepted so far (Streamlit's own metrics)."""
    return {replica: _connects(url) for replica, url in cluster.replicas.items()}


def _opened_since(cluster: Cluster, before: dict[str, int]) -> dict[str, int]:
    return {replica: count - before[replica] for replica, count in _websockets(cluster).items()}


def _warm_up(cluster: Cluster, contexts: Callable[..., BrowserContext], nodes: list[str]) -> None:
    """A replica's first page is slow (imports, content); let both run it at the same time."""
    pages = [contexts(node).new_page() for node in nodes]
    for page in pages:
        page.goto(cluster.url)
    for page in pages:
        wait_idle(page)
        page.context.close()


def test_two_replicas_behind_nginx_share_the_database_and_the_sign_in_key(cluster, school, contexts, browser):
    _check_headers_and_metrics(cluster)
    _check_compression_and_caching(cluster)
    (replica_a, node_a), (replica_b, node_b) = sorted(_check_sticky_cookie(cluster).items())
    _warm_up(cluster, contexts, [node_a, node_b])
    _check_framing(browser, cluster)  # on warm replicas: a cold first page may take seconds

    # The teacher works through replica B: the pages and their websocket.
    before = _websockets(cluster)
    teacher_context = contexts(node_b)
    teacher, served_by = _open(teacher_context, cluster, "staff")
    assert served_by == replica_b
    sign_in_teacher(teacher)
    opened = _opened_since(cluster, before)
    assert opened[replica_b] >= 1 and opened[replica_a] == 0, opened

    # Yasmine works through replica A and gets one step into the lesson.
    before = _websockets(cluster)
    pupil, served_by = _open(contexts(node_a), cluster)
    assert served_by == replica_a
    sign_in_pupil(pupil, school.join_code, "Yasmine")
    click(pupil, "button", "Start", exact=True)
    expect(pupil.get_by_text("Step 1 of")).to_be_visible()
    click(pupil, "button", "Next", exact=True)
    expect(pupil.get_by_text("Step 2 of")).to_be_visible()
    opened = _opened_since(cluster, before)
    assert opened[replica_a] >= 1 and opened[replica_b] == 0, opened

    # The teacher opens the class dashboard: replica B reads what replica A wrote.
    before = _websockets(cluster)
    teacher, served_by = _open(teacher_context, cluster, "dashboard")
    assert served_by == replica_b
    grid = teacher.get_by_role("table", name="Pupils and lessons")  # the dashboard's progress grid
    expect(grid.locator("tr").filter(has_text="Yasmine")).to_contain_text("◐")  # her lesson in progress
    assert _opened_since(cluster, before)[replica_a] == 0

    # The sign-in cookie made on B opens the teacher's pages on A: both replicas have the key.
    auth = next(c for c in teacher_context.cookies() if c["name"] == AUTH_COOKIE)
    page, served_by = _open(contexts(node_a, auth["value"]), cluster, "progress")
    assert served_by == replica_a
    expect(page.get_by_role("heading", name="Class progress")).to_be_visible()
    expect(page.locator("table tr").filter(has_text="Yasmine")).to_contain_text("◐")

    # What a replica with a key of its own (its generated data/cookie.key) would make is refused.
    claims = jwt.decode(auth["value"], options={"verify_signature": False})
    forged = jwt.encode(claims, secrets.token_urlsafe(48), algorithm="HS256")
    page, served_by = _open(contexts(node_a, forged), cluster, "progress")
    assert served_by == replica_a
    expect(page.get_by_role("heading", name="Welcome to Amane")).to_be_visible()
    expect(page.get_by_role("heading", name="Class progress")).to_have_count(0)


def _add_class(session, name: str, language: str, pupil: str) -> str:
    """Another class of `teacher` (seed_class's school), in `language`, with one pupil whose
    pictures are PICTURES; returns its class code."""
    teacher = StaffActor.of(session.exec(select(StaffUser).where(StaffUser.username == "teacher")).one())
    school_class = classes.create_class(session, teacher, name, "9-11", language, _course())
    (added,) = classes.add_pupils(session, teacher, school_class.id, pupil).added
    session.get(Pupil, added.pupil.id).picture_hash = hash_pictures(PICTURES)
    session.commit()
    return school_class.join_code


def _printed(process: subprocess.Popen, log: Path, text: str) -> None:
    """Wait until the process has written `text` to its log (nginx answers a moment before the
    launcher prints the address), failing if it ends first."""
    while text not in log.read_text():
        assert process.poll() is None, log.read_text()
        time.sleep(0.1)


def _refused(url: str) -> bool:
    try:
        _get(f"{url}/_stcore/health")
    except urllib.error.URLError:
        return True
    return False


def test_make_serve_runs_workers_behind_nginx_and_stops_them_all(
    database_url, session, tmp_path, browser, request
):
    """`make serve WORKERS=2 ADDRESS=127.0.0.1` (python -m amane.serve): nginx routes each browser
    to one of 2 app processes; a pupil of a French class (390 px) and one of an Arabic class (768
    px) sign in, each through another process; Ctrl+C stops nginx and both processes."""
    french = seed_class(session, "CM2 A", "fr", "Yasmine")[0].join_code
    arabic = _add_class(session, "CM2 B", "ar", "Adam")
    port = free_port()
    env = {**os.environ, "AMANE_DATABASE_URL": database_url, "AMANE_DATA_DIR": str(tmp_path / "data")}
    env |= {"AMANE_DEFAULT_LANGUAGE": "en", "AMANE_CONTENT_DIR": str(ROOT), "AMANE_PUBLIC_URL": ""}
    log = tmp_path / "serve.log"
    command = [
        sys.executable,
        "-m",
        "amane.serve",
        "--workers",
        "2",
        "--address",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with open(log, "w") as output:
        launcher = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    contexts: list[BrowserContext] = []
    try:
        wait_healthy(url, launcher, log, seconds=120)
        nodes = _nodes_per_replica(url, 2)
        replicas = [f"http://{address}" for address in nodes]
        assert len(nodes) == 2 and all(not _refused(replica) for replica in replicas), nodes
        _printed(launcher, log, f"\n    {url}\n")  # the address pupils type
        for (lang, width, code, name), node in zip(
            [("fr", 390, french, "Yasmine"), ("ar", 768, arabic, "Adam")], nodes.values(), strict=True
        ):
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
            contexts.append(context)
            context.add_cookies([{"name": NODE_COOKIE, "value": node, "url": url}])
            page = context.new_page()
            page.goto(url)
            wait_idle(page)
            sign_in_pupil(page, code, name, lang)
            expect(page.get_by_role("heading", name=t("My lessons", lang=lang))).to_be_visible()
            assert direction_of(page, '[data-testid="stMain"]') == ("rtl" if lang == "ar" else "ltr")
        close_contexts(request, contexts)
        contexts = []
        launcher.send_signal(signal.SIGINT)  # what Ctrl+C sends the launcher
        assert launcher.wait(timeout=60) == 0
        assert "Stopped: nginx and every app process." in log.read_text()
        assert _refused(url) and all(_refused(replica) for replica in replicas)
    finally:
        close_contexts(request, contexts)
        if launcher.poll() is None:
            stop_server(launcher)


@pytest.mark.parametrize("workers", [1, 4])
def test_make_serve_renders_a_valid_nginx_configuration_for_any_number_of_workers(tmp_path, workers):
    """One `server` line per app process in `upstream amane`, nothing left to substitute, and
    nginx itself accepts the configuration (`nginx -t`), as root or not."""
    replicas = [f"127.0.0.1:{8600 + number}" for number in range(workers)]
    site = serve.render_site(f"127.0.0.1:{free_port()}", replicas)
    upstream = site[site.index("upstream amane {") : site.index("}", site.index("upstream amane {"))]
    assert re.findall(r"^    server (\S+);$", upstream, re.MULTILINE) == replicas
    assert "${" not in site
    config = serve.render_main(tmp_path, site, "root" if os.geteuid() == 0 else None)
    checked = subprocess.run(
        [serve.nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
