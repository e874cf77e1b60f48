"""`amane classroom` (`make classroom`): a teacher's laptop or a school PC serves the class's tablets
over the school network. It listens on this machine's address on that network (the IPv4 of the
default route's interface, or ADDRESS), sets AMANE_PUBLIC_URL to it so that the sign-in cards and
letters print the address the tablets use, and prints that address with a QR code."""

from __future__ import annotations

import io
import ipaddress
import os
import socket
from collections.abc import MutableMapping
from urllib.parse import urlsplit

import segno

PUBLIC_URL = "AMANE_PUBLIC_URL"
# Any address outside this machine: "connecting" a UDP socket to it only asks the kernel which
# route, hence which of our addresses, it would take; no packet is sent. (TEST-NET-2, RFC 5737.)
_PROBE = ("198.51.100.1", 9)


class NoSchoolNetwork(Exception):
    """No address on the school network to serve on: the message says what to do."""


def route_address() -> str | None:
    """The IPv4 address of the interface of this machine's default route, or None without one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(_PROBE)
        except OSError:  # "Network is unreachable": no default route
            return None
        return probe.getsockname()[0]


def choose_address(override: str | None, detected: str | None) -> str:
    """The address to serve on: the operator's ADDRESS if given, else the default route's
    (`detected`). Refuses an address that is not an IP address, every address at once (0.0.0.0,
    ::), and a machine whose only network is the loopback."""
    if override:
        try:
            chosen = ipaddress.ip_address(override.strip())
        except ValueError:
            raise NoSchoolNetwork(
                f"ADDRESS={override} is not an IP address (e.g. ADDRESS=192.168.1.10)."
            ) from None
        if chosen.is_unspecified:
            raise NoSchoolNetwork(
                f"ADDRESS={override} would listen on every network of this machine; "
                "give its address on the school network (e.g. ADDRESS=192.168.1.10)."
            )
        return str(chosen)
    found = ipaddress.ip_address(detected) if detected else None
    if found is None or found.is_loopback or found.is_unspecified:
        raise NoSchoolNetwork(
            "This computer is on no network other than itself (loopback only), so the tablets cannot "
            "reach it. Connect it to the school network (Wi-Fi or cable) and try again, or give its "
            "address: make classroom ADDRESS=192.168.1.10"
        )
    return detected


def url_for(address: str, port: int) -> str:
    """The address pupils type: http://<address>:<port> (an IPv6 address in brackets)."""
    host = f"[{address}]" if ipaddress.ip_address(address).version == 6 else address
    return f"http://{host}:{port}"


def set_public_url(environ: MutableMapping[str, str], url: str) -> str:
    """AMANE_PUBLIC_URL for the app: `url`, unless the operator has set one (e.g. a name the school
    controls). Returns the address the app prints on cards and letters."""
    if not environ.get(PUBLIC_URL, "").strip():
        environ[PUBLIC_URL] = url
    return environ[PUBLIC_URL].strip().rstrip("/")


def this_computer_only(url: str) -> bool:
    """Whether `url` reaches only the computer it is typed on (localhost, 127.0.0.1, ::1)."""
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def qr_png(url: str) -> bytes:
    """A QR code of `url` as a PNG image, black on white with the standard quiet zone."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def banner(url: str) -> str:
    """What the terminal shows the teacher: the address pupils type, and its QR code."""
    qr = io.StringIO()
    segno.make(url, error="m").terminal(out=qr, compact=True)
    return (
        f"\nAmane serves the school network at:\n\n    {url}\n\n"
        "Pupils type this address in the tablet's browser, or scan this code:\n\n"
        f"{qr.getvalue()}\n"
        "Open it on this computer too: 127.0.0.1 does not answer. Anyone on this network can reach\n"
        "it, without encryption (plain HTTP). Stop it with Ctrl+C.\n"
    )


def prepare(
    override: str | None, port: int, environ: MutableMapping[str, str] = os.environ
) -> tuple[str, str]:
    """Choose the address to listen on and set the app's AMANE_PUBLIC_URL; returns (address to
    listen on, address pupils type). Raises NoSchoolNetwork."""
    address = choose_address(override, None if override else route_address())
    return address, set_public_url(environ, url_for(address, port))
