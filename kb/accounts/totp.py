"""The authenticator app's side of two-step sign-in: TOTP codes (RFC 6238), the enrolment QR
code, the secret kept encrypted, and recovery codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from markupsafe import Markup

# the previous and the next 30-second window count too (a clock a little off, a slow typist)
ACCEPTED_STEPS = (0, -1, 1)
RECOVERY_CODE_COUNT = 10
# ten characters a person copies easily (no 0/o, 1/l/i), shown as two groups of five
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_CODE = re.compile(r"^[a-z0-9]{5}-?[a-z0-9]{5}$")
# a recovery code's first characters, stored beside its hash, find the one stored code a typed
# code can be (no two of a user's codes share them), so checking a code costs one hash; they
# leave some 40 bits of the code's 50 to the hash
LOOKUP_LENGTH = 2


def new_secret() -> str:
    return pyotp.random_base32()


def _fernet() -> Fernet:
    # the key follows SECRET_KEY: changing it turns every authenticator off in effect (each
    # user then signs in with a recovery code or is reset by an administrator)
    digest = hashlib.sha256(b"kb two-step secret\0" + current_app.secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt_secret(encrypted: str) -> str | None:
    try:
        return _fernet().decrypt(encrypted.encode()).decode()
    except InvalidToken:
        return None


def provisioning_uri(secret: str, email: str) -> str:
    """What the QR code holds: the otpauth:// address authenticator apps read."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=email, issuer_name=current_app.config["PORTAL_NAME"])


def qr_code_svg(uri: str) -> Markup:
    """The QR code of ``uri`` as an inline SVG element, dark on white in any colour scheme
    (markup segno made, escaping the title it was given: safe to show as it is)."""
    return Markup(segno.make(uri, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="qr-code",
        title="QR code for your authenticator app"))


def spaced(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def normalized_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def looks_like_totp(code: str) -> bool:
    return bool(re.fullmatch(r"\d{6}", normalized_code(code)))


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code ``code`` is (this window, the one before or after), or None."""
    code = normalized_code(code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in ACCEPTED_STEPS:
        if hmac.compare_digest(totp.generate_otp(current + offset), code):
            return current + offset
    return None


def new_recovery_codes() -> list[str]:
    """Ten codes, each beginning differently (``recovery_lookup``)."""
    codes: dict[str, str] = {}
    while len(codes) < RECOVERY_CODE_COUNT:
        characters = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        code = f"{characters[:5]}-{characters[5:]}"
        codes.setdefault(recovery_lookup(code), code)
    return list(codes.values())


def recovery_lookup(canonical_code: str) -> str:
    return canonical_code[:LOOKUP_LENGTH]


def canonical_recovery_code(code: str) -> str | None:
    """``code`` as it was hashed ("abcde-fghjk"), whatever case and separator it was typed
    with; None when it cannot be one."""
    code = (code or "").strip().lower().replace(" ", "")
    if not _RECOVERY_CODE.fullmatch(code):
        return None
    code = code.replace("-", "")
    return f"{code[:5]}-{code[5:]}"
