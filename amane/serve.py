"""`make serve WORKERS=4` (`python -m amane.serve --workers 4`): a school server that uses all its
cores. Starts that many app processes (`amane run`, on free ports of 127.0.0.1, one database and
one cookie key) and Debian's nginx in front of them, rendered from deploy/nginx.conf.template
(sticky sessions, gzip, security headers), with its configuration and working files in a
temporary folder: no system service, as root or as a normal user. nginx listens on this
machine's address on the school network (as `make classroom` finds it, or ADDRESS), which is
printed with a QR code. Ctrl+C (or SIGTERM) stops nginx and every app process; so does any of
them ending on its own.

Python runs one script at a time per process: one process is one core's worth of pupils
(bench/load.py --workers 1 2 measures it); each process also holds its own copy of the course
in memory."""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from string import Template

from amane.settings import ROOT

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
_REPLICA_LINE = re.compile(r"^ *server \$\{AMANE_REPLICA_\d\};\n", re.MULTILINE)
START_TIMEOUT = 90.0  # seconds for an app process to answer its health check (a busy machine)
STOP_TIMEOUT = 10.0


class ServeError(RuntimeError):
    """Something the operator must fix (no nginx, a process that did not start)."""


def render_site(listen: str, replicas: list[str], server_name: str = "_") -> str:
    """deploy/nginx.conf.template for nginx listening on `listen`, with one `server` line per
    replica address in `upstream amane` (the template's two placeholders become these lines)."""
    lines = "".join(f"    server {replica};\n" for replica in replicas)
    text = TEMPLATE.read_text()
    placeholders = _REPLICA_LINE.findall(text)
    if not placeholders or not replicas:
        raise ServeError("deploy/nginx.conf.template has no `server ${AMANE_REPLICA_1};` line")
    text = text.replace(placeholders[0], lines, 1)
    for line in placeholders[1:]:
        text = text.replace(line, "", 1)
    return Template(text).safe_substitute(AMANE_LISTEN=listen, AMANE_SERVER_NAME=server_name)


def render_main(folder: Path, site: str, user: str | None, logs: bool = True, workers: int = 1) -> Path:
    """A main nginx configuration around `site` whose files all stay in `folder` (pid, temporary
    files, and the logs if `logs`; else errors go to stderr and nothing is logged per request).
    `user`: what nginx's workers run as when nginx is started by root."""
    (folder / "amane.conf").write_text(site)
    temp_paths = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    error_log = folder / "error.log" if logs else "stderr"
    access_log = folder / "access.log" if logs else "off"
    main = folder / "nginx.conf"
    main.write_text(
        (f"user {user};\n" if user else "")
        + f"worker_processes {workers};\npid {folder / 'nginx.pid'};\nerror_log {error_log};\n"
        + "events { worker_connections 1024; }\n"
        + f"http {{\n    access_log {access_log};\n{temp_paths}\n    include {folder / 'amane.conf'};\n}}\n"
    )
    return main


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise ServeError("nginx is not installed: sudo apt-get install nginx")
    return found


def unprivileged_user() -> str:
    """`nobody` and its group, for nginx's workers when root starts it (never root itself)."""
    nobody = pwd.getpwnam("nobody")
    return f"nobody {grp.getgrgid(nobody.pw_gid).gr_name}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, process: subprocess.Popen, seconds: float = START_TIMEOUT) -> None:
    """Until Streamlit's health check answers at `base` (directly or through nginx)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None:
            raise ServeError(f"{base}: the process ended (exit code {process.returncode})")
        if time.monotonic() > deadline:
            raise ServeError(f"{base} did not answer within {seconds:.0f} s")
        time.sleep(0.2)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM (Streamlit ends its sessions; nginx closes at once, websockets included), then
    SIGKILL if it has not ended within STOP_TIMEOUT."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def started(command: list[str], env: Mapping[str, str], output: Path | None) -> Iterator[subprocess.Popen]:
    """A child in a session of its own, so that Ctrl+C reaches the launcher only, which then stops
    the children in order; stopped on leaving."""
    with ExitStack() as files:
        # Without a file: errors to the terminal, not Streamlit's "You can now view..." with an
        # address the tablets cannot use.
        log = files.enter_context(open(output, "w")) if output else None
        stdout = log if output else subprocess.DEVNULL
        process = subprocess.Popen(
            command, cwd=ROOT, env=dict(env), stdout=stdout, stderr=log, start_new_session=True
        )
    try:
        yield process
    finally:
        stop(process)


@dataclass(frozen=True)
class Cluster:
    url: str  # nginx: the only address browsers use
    replicas: list[str]  # the app processes' own addresses, http://127.0.0.1:port
    processes: list[subprocess.Popen]  # the app processes, then nginx


@contextmanager
def proxy(
    listen: str,
    replicas: list[str],
    folder: Path,
    logs: bool = False,
    workers: int = 1,
    user: str | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """nginx from the deploy template on `listen` (host:port) in front of these replica addresses
    (host:port), its files in `folder`; yields its URL and process once it answers. As root, its
    workers run as `user` (default nobody), who must be able to write in `folder`."""
    if os.geteuid() == 0:
        user = user or unprivileged_user()
    config = render_main(
        folder, render_site(listen, replicas), user if os.geteuid() == 0 else None, logs, workers
    )
    command = [nginx_binary(), "-p", str(folder), "-c", str(config), "-g", "daemon off;"]
    with started(command, os.environ, folder / "nginx.log" if logs else None) as nginx:
        url = f"http://{listen}"
        wait_healthy(url, nginx, 30)
        yield url, nginx


@contextmanager
def cluster(
    workers: int,
    listen: str,
    env: Mapping[str, str],
    folder: Path,
    logs: bool = False,
    nginx_workers: int = 1,
) -> Iterator[Cluster]:
    """`workers` app processes (`amane run` on 127.0.0.1) behind nginx listening on `listen`
    (host:port), nginx's files in `folder` (see `proxy`). `logs`: each process's output in
    `folder` (else errors in the terminal)."""
    ports = [free_port() for _ in range(workers)]
    with ExitStack() as stack:
        replicas = []
        for port in ports:
            where = ["--address", "127.0.0.1", "--port", str(port)]
            command = [sys.executable, "-m", "amane.cli", "run", *where]
            output = folder / f"app-{port}.log" if logs else None
            replicas.append(stack.enter_context(started(command, env, output)))
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process in zip(urls, replicas, strict=True):
            wait_healthy(url, process)
        addresses = [url.removeprefix("http://") for url in urls]
        public, nginx = stack.enter_context(proxy(listen, addresses, folder, logs, nginx_workers))
        yield Cluster(public, urls, [*replicas, nginx])


def nginx_folder(stack: ExitStack) -> Path:
    """A temporary folder for nginx, removed on leaving. As root it is traversable (0711) and its
    working folders belong to the workers' user, which cannot read anything else in it."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="amane-serve-")))
    if os.geteuid() == 0:
        folder.chmod(0o711)
        nobody = pwd.getpwnam("nobody")
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / kind).mkdir(mode=0o700)
            os.chown(folder / kind, nobody.pw_uid, nobody.pw_gid)
    return folder


def _interrupted(*_: object) -> None:
    raise KeyboardInterrupt


def banner(url: str, workers: int, database: str) -> str:
    from amane.classroom import banner as classroom_banner

    return (
        classroom_banner(url)
        + f"({workers} app processes behind nginx, sticky sessions; database: {database})\n"
    )


def serve(workers: int, address: str | None, port: int) -> int:
    """Prepare the database and the shared settings, start everything, and wait until Ctrl+C or
    until a process ends on its own (then stop the others and return 1)."""
    from sqlalchemy.engine import make_url

    from amane.classroom import NoSchoolNetwork, prepare
    from amane.models.db import upgrade
    from amane.settings import get_settings

    try:
        listen_address, url = prepare(address, port)
    except NoSchoolNetwork as problem:
        print(str(problem).replace("make classroom", "make serve"), file=sys.stderr)
        return 1
    settings = get_settings()  # writes data/cookie.key once, for every process to share
    upgrade(settings.database_url)  # once, before the processes start (docs/deployment.md, 3.)
    env = dict(os.environ)
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_urlsafe(32))
    host = f"[{listen_address}]" if ":" in listen_address else listen_address
    database = make_url(settings.database_url).render_as_string(hide_password=True)
    # Both, explicitly: a launcher started in the background inherits SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        with ExitStack() as stack:
            running = stack.enter_context(cluster(workers, f"{host}:{port}", env, nginx_folder(stack)))
            print(banner(url, workers, database), flush=True)
            while all(process.poll() is None for process in running.processes):
                time.sleep(0.5)
            print("A process of the server ended: stopping the others.", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("\nStopped: nginx and every app process.", flush=True)
        return 0
    except ServeError as problem:
        print(problem, file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="app processes (default: cores)"
    )
    parser.add_argument("--address", help="this computer's address on the school network (default: found)")
    parser.add_argument("--port", type=int, default=8501, help="nginx's port (80 needs root)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be 1 or more")
    return serve(args.workers, args.address, args.port)


if __name__ == "__main__":
    sys.exit(main())
