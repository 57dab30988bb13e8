"""Passwords, opaque tokens, 身份证号 encryption, keyed hashes and masking."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import date

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from cryptography.fernet import Fernet, InvalidToken

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """An opaque bearer token; only its SHA-256 is stored."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_numeric_code(digits: int = 6) -> str:
    return "".join(str(secrets.randbelow(10)) for _ in range(digits))


_INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud


def new_invite_code(length: int = 8) -> str:
    return "".join(secrets.choice(_INVITE_ALPHABET) for _ in range(length))


class PersonalDataCipher:
    """Encrypts 身份证号 at rest and derives a keyed hash for exact search."""

    def __init__(self, secret_key: str, encryption_key: str = "") -> None:
        if encryption_key:
            key = encryption_key.encode()
        else:
            digest = hashlib.sha256(("fernet:" + secret_key).encode()).digest()
            key = base64.urlsafe_b64encode(digest)
        self._fernet = Fernet(key)
        self._hash_key = hashlib.sha256(("search:" + secret_key).encode()).digest()

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, value: str) -> str:
        try:
            return self._fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            return ""

    def search_hash(self, value: str) -> str:
        return hmac.new(self._hash_key, normalise_id_number(value).encode(), "sha256").hexdigest()


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def normalise_id_number(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def id_number_problem(value: str) -> str | None:
    """Why an 18-digit 身份证号 is invalid (GB 11643 checksum and birth date), or None."""
    value = normalise_id_number(value)
    if not _ID_RE.match(value):
        return "身份证号应为18位（最后一位可以是X）"
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        return "身份证号校验位不对，请核对"
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号里的出生日期不对"
    return None


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def mask_id_number(value: str) -> str:
    """110***********1234: the first three and last four characters."""
    value = normalise_id_number(value)
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "****" + value[-4:]


def mask_name(value: str) -> str:
    if len(value) <= 1:
        return value
    return value[0] + "*" * (len(value) - 1)


def mask_address(value: str | None) -> str:
    if not value:
        return ""
    return value[:6] + "****" if len(value) > 6 else "****"
