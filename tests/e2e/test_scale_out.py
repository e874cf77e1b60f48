"""The documented scale-out (docs/deployment.md): two `streamlit run app.py` replicas on one
database, behind nginx rendered from deploy/nginx.conf.template. nginx keeps each browser on one
replica (the `amane_node` cookie), carries the websocket, and a pupil's progress written through
one replica is what their teacher sees through the other. nginx also adds the security headers
to every response, so a page on another site cannot frame Amane, and keeps Streamlit's metrics
to the machine."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from http.client import HTTPResponse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template

import jwt
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from amane.settings import ROOT
from amane.testing.browser import free_port, start_server, stop_server, wait_healthy, wait_idle
from tests.e2e.conftest import close_contexts
from tests.e2e.test_journey import click, sign_in_pupil, sign_in_teacher

pytestmark = pytest.mark.e2e
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
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


def _render_nginx(folder: Path, listen: int, replica_ports: list[int]) -> Path:
    """The deploy template inside a minimal main configuration whose files all stay in `folder`."""
    site = Template(TEMPLATE.read_text()).safe_substitute(
        AMANE_LISTEN=f"127.0.0.1:{listen}",
        AMANE_SERVER_NAME="localhost",
        AMANE_REPLICA_1=f"127.0.0.1:{replica_ports[0]}",
        AMANE_REPLICA_2=f"127.0.0.1:{replica_ports[1]}",
    )
    (folder / "amane.conf").write_text(site)
    temp_paths = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, workers would run as `nobody`, who cannot enter pytest's private tmp folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
        f"events {{ worker_connections 256; }}\n"
        f"http {{\n    access_log {folder / 'access.log'};\n{temp_paths}\n"
        f"    include {folder / 'amane.conf'};\n}}\n"
    )
    return main


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
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if nginx is None:
        pytest.fail("nginx is not installed (scripts/test.sh installs it: apt-get install nginx)")
    started = _start_replicas(database_url, tmp_path, 2)
    nginx_process = None
    try:
        ports = [int(future.result()[1].rsplit(":", 1)[1]) for future in started]
        folder = tmp_path / "nginx"
        folder.mkdir()
        listen = free_port()
        config = _render_nginx(folder, listen, ports)
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
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
        return response


def _upstream(cluster: Cluster, node: str) -> str:
    """The replica nginx sends a browser carrying this sticky cookie to."""
    return _get(f"{cluster.url}/_stcore/health", f"{NODE_COOKIE}={node}").headers[UPSTREAM_HEADER]


def _nodes_per_replica(cluster: Cluster) -> dict[str, str]:
    """A sticky-cookie value for each replica."""
    found: dict[str, str] = {}
    for number in range(64):
        found.setdefault(_upstream(cluster, f"probe-{number}"), f"probe-{number}")
        if len(found) == len(cluster.replicas):
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
    nodes = _nodes_per_replica(cluster)
    assert set(nodes) == set(cluster.replicas)
    for replica, value in nodes.items():
        assert {_upstream(cluster, value) for _ in range(5)} == {replica}
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
    _check_framing(browser, cluster)
    (replica_a, node_a), (replica_b, node_b) = sorted(_check_sticky_cookie(cluster).items())
    _warm_up(cluster, contexts, [node_a, node_b])

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
    heatmap = teacher.locator(".js-plotly-plot").first
    expect(heatmap).to_contain_text("Yasmine")
    expect(heatmap).to_contain_text("◐")  # her lesson in progress; Adam's is "—"
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
