"""Server relief: the PostgreSQL password is argon2id(typed password, per-login salt).

The typed password never leaves the client. The server stores only a SCRAM verifier of the
derived password, so a stolen verifier costs an argon2 computation per guess. The salt is
``sha256(installation salt ‖ 0 ‖ login)[:16]``: fixed per login and installation, so the same
typed password gives the same derived password on every client of the installation. The
parameters are RFC 9106's second recommended option (low memory): t=3, m=64 MiB, p=4.
Changing the installation salt or the parameters changes every derived password, so it is a
migration of every password (each person sets a new one). The ``test`` profile is cheap and
exists only for the test suite.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

from kernel.errors import ValidationError
from kernel.settings import argon2_profile_name
from kernel.slots import cores, machine_slot

DERIVED_PREFIX = "ej1-"
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class Argon2Profile:
    """argon2id cost parameters."""

    time_cost: int
    memory_kib: int
    parallelism: int


PROFILES: dict[str, Argon2Profile] = {
    "rfc9106-low": Argon2Profile(time_cost=3, memory_kib=64 * 1024, parallelism=4),
    "test": Argon2Profile(time_cost=1, memory_kib=64, parallelism=1),
}

SLOT_WAIT_S = 5.0
"""How long a derivation waits for a free core before it runs anyway (``kernel.slots``)."""


def active_profile(name: str | None = None) -> Argon2Profile:
    """The profile named, or by ``EJOURNAL_ARGON2_PROFILE``, default ``rfc9106-low``."""
    key = name or argon2_profile_name() or "rfc9106-low"
    return PROFILES[key] if key in PROFILES else PROFILES["rfc9106-low"]


def login_salt(login: str, installation_salt: str) -> bytes:
    """The 16-byte argon2 salt of one login in one installation."""
    return hashlib.sha256(f"{installation_salt}\x00{login}".encode()).digest()[:16]


def derive_password(
    login: str, password: str, *, installation_salt: str, profile: Argon2Profile | None = None
) -> str:
    """The PostgreSQL password of ``login`` for the typed ``password``."""
    cost = profile or active_profile()
    with machine_slot("argon2", cores(), SLOT_WAIT_S):   # 30 logins at once: 2 × 64 MiB, not 30
        raw = hash_secret_raw(
            password.encode(),
            login_salt(login, installation_salt),
            time_cost=cost.time_cost,
            memory_cost=cost.memory_kib,
            parallelism=cost.parallelism,
            hash_len=32,
            type=Type.ID,
        )
    return DERIVED_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def one_time_password(length: int = 10) -> str:
    """A random password to hand out on paper: no look-alike characters (0/o, 1/l/i)."""
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(length))


def check_new_password(password: str, login: str) -> None:
    """Refuse a new password that is too weak to keep.

    Raises:
        ValidationError: too short, equal to the login, or all one character.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Пароль должен быть не короче {MIN_PASSWORD_LENGTH} символов.")
    if password.lower() == login.lower():
        raise ValidationError("Пароль не должен совпадать с логином.")
    if len(set(password)) < 3:
        raise ValidationError("Пароль слишком простой: используйте разные символы.")
