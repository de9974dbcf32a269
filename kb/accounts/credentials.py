"""How addresses and secrets are kept: normalised addresses, hashed passwords and tokens."""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from werkzeug.security import generate_password_hash

from kb.errors import Invalid


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


# a valid hash of nothing anyone knows, per hash method: checking a wrong secret against it
# when there is nothing to check against costs what a real check costs, so timing does not
# reveal an unknown account or a recovery code that matches no stored one
_STAND_IN_HASHES: dict[str, str] = {}


def stand_in_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _STAND_IN_HASHES:
        _STAND_IN_HASHES[method] = generate_password_hash(secrets.token_hex(8), method=method)
    return _STAND_IN_HASHES[method]


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
