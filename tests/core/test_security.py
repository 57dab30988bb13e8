from __future__ import annotations

import pytest

from backend.core.security import (
    PersonalDataCipher,
    hash_password,
    id_check_digit,
    id_number_problem,
    mask_id_number,
    mask_phone,
    verify_password,
)


def test_id_number_checksum() -> None:
    first17 = "11010119360312001"
    good = first17 + id_check_digit(first17)
    assert id_number_problem(good) is None
    wrong = first17 + ("0" if good[-1] != "0" else "1")
    assert "校验位" in (id_number_problem(wrong) or "")
    assert "18位" in (id_number_problem("1234") or "")
    bad_date = "11010119361332001"
    assert "出生日期" in (id_number_problem(bad_date + id_check_digit(bad_date)) or "")


def test_lowercase_x_is_accepted() -> None:
    for serial in range(100, 400):
        first17 = f"11010119400101{serial}"
        if id_check_digit(first17) == "X":
            assert id_number_problem(first17 + "x") is None
            return
    pytest.fail("no X check digit found in range")


def test_masking() -> None:
    assert mask_id_number("110101193603120011") == "110***********0011"
    assert mask_phone("13800138000") == "138****8000"


def test_cipher_round_trip_and_keyed_hash() -> None:
    cipher = PersonalDataCipher("k" * 40)
    token = cipher.encrypt("110101193603120011")
    assert "110101193603120011" not in token
    assert cipher.decrypt(token) == "110101193603120011"
    other = PersonalDataCipher("z" * 40)
    assert cipher.search_hash("110101193603120011") != other.search_hash("110101193603120011")
    assert cipher.search_hash("11010119400101123x") == cipher.search_hash("11010119400101123X")
    assert other.decrypt(token) == ""


def test_password_hashing() -> None:
    hashed = hash_password("secret-pass")
    assert verify_password(hashed, "secret-pass")
    assert not verify_password(hashed, "Secret-pass")
    assert not verify_password("garbage", "secret-pass")
    # The product hashes with argon2id's defaults (the tests' factories use a cheap hash of
    # their own; verify reads the parameters from the hash).
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
