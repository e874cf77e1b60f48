"""The lock files (`make lock`) pin every package with hashes, follow the hand-edited
requirements*.txt, and are what the test venv holds: a package installed outside the lock,
or at another version, fails here."""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from amane.settings import ROOT

HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")
# pip comes with the interpreter (python -m venv); amane is this checkout, installed editable.
NOT_LOCKED = {"pip", "amane"}


@dataclass(frozen=True)
class Locked:
    requirement: Requirement
    hashes: int

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)

    @property
    def version(self) -> str:
        (specifier,) = self.requirement.specifier
        assert specifier.operator == "==", self.requirement
        return specifier.version

    def applies(self) -> bool:
        """Whether this line is for this interpreter and platform (pip skips the others)."""
        marker = self.requirement.marker
        return marker is None or marker.evaluate()


def read_lock(name: str) -> list[Locked]:
    """The lock's entries: `name==version [; marker] \\` followed by its `--hash=` lines."""
    entries: list[Locked] = []
    for block in re.split(r"\n(?=\S)", (ROOT / name).read_text()):
        if block.startswith("#") or not block.strip():
            continue
        head, _, rest = block.partition("\\\n")
        entries.append(Locked(Requirement(head.strip()), len(HASH.findall(rest))))
    return entries


def read_inputs(name: str) -> dict[str, str]:
    """Top-level pins of a hand-edited requirements file, following `-r` includes."""
    pins: dict[str, str] = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins |= read_inputs(line.removeprefix("-r ").strip())
        elif line:
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


@pytest.mark.parametrize(
    ("lock", "inputs"),
    [
        ("requirements.lock", "requirements.txt"),
        ("requirements-dev.lock", "requirements-dev.txt"),
        ("requirements-tools.lock", "requirements-tools.txt"),
    ],
)
def test_a_lock_pins_every_package_with_hashes_and_follows_its_inputs(lock: str, inputs: str):
    entries = read_lock(lock)
    assert entries, f"{lock} is empty"
    unhashed = [str(entry.requirement) for entry in entries if entry.hashes == 0]
    assert not unhashed, f"{lock}: no hash for {unhashed}"
    locked = {(entry.name, entry.version) for entry in entries}
    stale = {name: version for name, version in read_inputs(inputs).items() if (name, version) not in locked}
    assert not stale, f"{inputs} asks for {stale}, not in {lock}: run `make lock`"


def test_the_dev_lock_holds_the_runtime_lock_at_the_same_versions():
    def pins(lock: str) -> set[tuple[str, str, str]]:
        return {(entry.name, entry.version, str(entry.requirement.marker)) for entry in read_lock(lock)}

    runtime = pins("requirements.lock")
    assert runtime <= pins("requirements-dev.lock"), sorted(runtime - pins("requirements-dev.lock"))


def test_the_venv_holds_exactly_the_dev_lock():
    """`make test` builds the venv from requirements-dev.lock; anything else in it (installed by
    hand, or left from an older lock) is code the lock does not vouch for."""
    locked = {entry.name: entry.version for entry in read_lock("requirements-dev.lock") if entry.applies()}
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in importlib.metadata.distributions()
        if canonicalize_name(dist.metadata["Name"]) not in NOT_LOCKED
    }
    outside = {name: version for name, version in installed.items() if locked.get(name) != version}
    assert not outside, f"not so in requirements-dev.lock (rebuild: rm -rf .venv; make test): {outside}"
    missing = sorted(set(locked) - set(installed))
    assert not missing, f"in requirements-dev.lock but not installed: {missing}"
