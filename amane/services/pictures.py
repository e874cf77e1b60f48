"""Picture passwords: a short sequence of pictures a young child can remember and tap.

Stored with scrypt (n=2**14, r=8, p=1: 16 MiB and about 45 ms a hash on the 2-core development
machine, so adding 30 pupils takes about 1.3 s, and trying all 65,536 passwords of one pupil
offline about 50 minutes a core). The stored text says how many pictures it holds, so the picture
step asks for as many taps as the pupil's card has: `scrypt$<taps>$<n>$<r>$<p>$<salt>$<digest>`.
Passwords from before (`pbkdf2_sha256$...`, 3 pictures from the first 9) still open until the
teacher gives new pictures, and are stored again with scrypt at the next right try.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from amane.services.rules import PICTURE_PASSWORD_LENGTH, PICTURE_SET_SIZE

# Stable ids; the views show each as a picture (emoji) with its name (views/widgets.py). The
# first 9 are those of the 3-picture cards printed before; never reorder or rename an id.
PICTURES: tuple[str, ...] = (
    "sun",
    "moon",
    "star",
    "tree",
    "fish",
    "cat",
    "house",
    "apple",
    "ball",
    "car",
    "flower",
    "bird",
    "boat",
    "key",
    "heart",
    "banana",
)
assert len(PICTURES) == PICTURE_SET_SIZE

SCRYPT = "scrypt"
_N, _R, _P = 2**14, 8, 1
_MAX_MEMORY = 64 * 2**20
OLD_FORMAT = "pbkdf2_sha256"
OLD_LENGTH = 3  # every pbkdf2 password was 3 pictures


def new_picture_password() -> tuple[str, ...]:
    return tuple(secrets.choice(PICTURES) for _ in range(PICTURE_PASSWORD_LENGTH))


def _scrypt(sequence: tuple[str, ...] | list[str], salt: bytes, n: int, r: int, p: int) -> bytes:
    secret = "-".join(sequence).encode()
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=_MAX_MEMORY, dklen=32)


def hash_pictures(sequence: tuple[str, ...] | list[str]) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(sequence, salt, _N, _R, _P)
    return f"{SCRYPT}${len(sequence)}${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def picture_count(stored: str) -> int:
    """How many pictures the password stored as `stored` has (the taps the picture step asks for)."""
    if stored.startswith(OLD_FORMAT + "$"):
        return OLD_LENGTH
    try:
        return int(stored.split("$")[1])
    except (IndexError, ValueError):
        return PICTURE_PASSWORD_LENGTH


def is_old(stored: str) -> bool:
    """A password stored before scrypt: the next right try stores it again."""
    return stored.startswith(OLD_FORMAT + "$")


def check_pictures(sequence: tuple[str, ...] | list[str], stored: str) -> bool:
    try:
        if is_old(stored):
            _, iterations, salt, expected = stored.split("$")
            secret = "-".join(sequence).encode()
            digest = hashlib.pbkdf2_hmac("sha256", secret, bytes.fromhex(salt), int(iterations))
        else:
            kind, taps, n, r, p, salt, expected = stored.split("$")
            if kind != SCRYPT or int(taps) != len(sequence):
                return False
            digest = _scrypt(sequence, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)
