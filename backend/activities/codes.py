"""The sign-in code a retiree shows on the day (a QR code in the mini-program, or read aloud):
`JX` + booking id + a keyed check, so a code cannot be guessed from another one.

Staff scan it with a handheld scanner (which types the code and Enter into the console) or
type it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud without mistakes
_CODE = re.compile(r"^JX(\d{1,12})([A-Z2-9]{6})$")


def _check(secret_key: str, booking_id: int) -> str:
    digest = hmac.new(
        ("attendance:" + secret_key).encode(), str(booking_id).encode(), hashlib.sha256
    ).digest()
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:6])


def code_for(secret_key: str, booking_id: int) -> str:
    return f"JX{booking_id}{_check(secret_key, booking_id)}"


def booking_of(secret_key: str, code: str) -> int | None:
    """The booking id in a code, or None when the code is not one of ours."""
    cleaned = re.sub(r"[\s-]", "", code).upper()
    match = _CODE.match(cleaned)
    if match is None:
        return None
    booking_id = int(match.group(1))
    if not hmac.compare_digest(match.group(2), _check(secret_key, booking_id)):
        return None
    return booking_id


def qr_svg_data_uri(text: str) -> str:
    import qrcode  # on first use: only the code pages draw one
    import qrcode.image.svg

    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
