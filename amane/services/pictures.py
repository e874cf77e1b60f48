"""Picture passwords: a short sequence of pictures a young child can remember and tap."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from amane.services.rules import PICTURE_PASSWORD_LENGTH

# Stable ids; the views show each as a picture (emoji) with its name read aloud/translated.
PICTURES: tuple[str, ...] = ("sun", "moon", "star", "tree", "fish", "cat", "house", "apple", "ball")
_ITERATIONS = 60_000


def new_picture_password() -> tuple[str, ...]:
    return tuple(secrets.choice(PICTURES) for _ in range(PICTURE_PASSWORD_LENGTH))


def hash_pictures(sequence: tuple[str, ...] | list[str]) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", "-".join(sequence).encode(), bytes.fromhex(salt), _ITERATIONS)
    return f"pbkdf2_sha256${_ITERATIONS}${salt}${digest.hex()}"


def check_pictures(sequence: tuple[str, ...] | list[str], stored: str) -> bool:
    try:
        _, iterations, salt, expected = stored.split("$")
        digest = hashlib.pbkdf2_hmac(
            "sha256", "-".join(sequence).encode(), bytes.fromhex(salt), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)
