"""`amane classroom`: which address it serves on, and the address it gives the app to print."""

import ipaddress
import os
import socket
import struct

import pytest
import segno

from amane.classroom import (
    NoSchoolNetwork,
    choose_address,
    prepare,
    qr_png,
    route_address,
    this_computer_only,
    url_for,
)
from amane.cli import main
from amane.settings import load_settings


def test_the_address_found_on_the_school_network_is_served():
    assert choose_address(None, "192.168.1.10") == "192.168.1.10"


def test_the_operators_address_wins_over_the_one_found():
    assert choose_address(" 127.0.0.2 ", "192.168.1.10") == "127.0.0.2"
    assert choose_address("fe80::1", None) == "fe80::1"


@pytest.mark.parametrize("detected", ["127.0.0.1", "127.0.1.1", None])
def test_a_machine_on_the_loopback_only_is_refused_with_what_to_do(detected):
    with pytest.raises(NoSchoolNetwork, match=r"loopback only.*make classroom ADDRESS=192\.168\.1\.10$"):
        choose_address(None, detected)


@pytest.mark.parametrize("address", ["0.0.0.0", "::"])
def test_every_network_at_once_is_refused(address):
    with pytest.raises(NoSchoolNetwork, match="would listen on every network"):
        choose_address(address, "192.168.1.10")


def test_an_address_that_is_no_ip_address_is_refused():
    with pytest.raises(NoSchoolNetwork, match="^ADDRESS=ecole is not an IP address"):
        choose_address("ecole", "192.168.1.10")


def test_the_default_routes_address_on_this_machine_is_an_ipv4_of_its_own_or_none():
    found = route_address()
    assert found is None or ipaddress.IPv4Address(found).version == 4
    if found:  # one of this machine's own addresses: we can listen on it
        with socket.socket() as sock:
            sock.bind((found, 0))


def test_the_app_prints_the_served_address_on_cards_unless_the_school_set_one(monkeypatch, tmp_path):
    monkeypatch.setenv("AMANE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("AMANE_PUBLIC_URL", raising=False)
    assert prepare("127.0.0.2", 8600, os.environ) == ("127.0.0.2", "http://127.0.0.2:8600")
    assert load_settings().public_url == "http://127.0.0.2:8600"
    monkeypatch.setenv("AMANE_PUBLIC_URL", "http://amane.ecole.ma/")
    assert prepare("127.0.0.2", 8600, os.environ) == ("127.0.0.2", "http://amane.ecole.ma")
    assert load_settings().public_url == "http://amane.ecole.ma"


def test_an_ipv6_address_is_bracketed_in_the_url():
    assert url_for("fe80::1", 8501) == "http://[fe80::1]:8501"


def test_the_command_refuses_a_bad_address_before_serving(capsys):
    assert main(["classroom", "--address", "0.0.0.0", "--port", "8600"]) == 1
    assert "would listen on every network" in capsys.readouterr().err


def test_the_qr_code_is_a_png_of_the_address_at_eight_pixels_a_module():
    url = "http://192.168.1.10:8501"
    png = qr_png(url)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    modules = segno.make(url, error="m").symbol_size(scale=1, border=4)[0]
    assert width == height == modules * 8


@pytest.mark.parametrize(
    ("url", "here_only"),
    [
        ("http://127.0.0.1:8501", True),
        ("http://localhost:8501", True),
        ("http://[::1]:8501", True),
        ("http://192.168.1.10:8501", False),
        ("https://amane.ecole.ma", False),
    ],
)
def test_my_classes_tells_an_address_that_only_this_computer_opens(url, here_only):
    assert this_computer_only(url) is here_only
