"""Photos people upload (check-in, activities): JPEG or PNG judged by content, 5 MB at most,
written under UPLOAD_DIR atomically; the database keeps only the relative path."""

from __future__ import annotations

import uuid
from pathlib import Path

from backend.core.errors import PayloadTooLarge, UnsupportedMedia

PHOTO_MAX_BYTES = 5 * 1024 * 1024
_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def photo_kind(data: bytes) -> str | None:
    for magic, ext in _SIGNATURES.items():
        if data.startswith(magic):
            return ext
    return None


def check_photo(data: bytes) -> str:
    """The file's extension, or a 413/415 in words for the person uploading."""
    if len(data) > PHOTO_MAX_BYTES:
        raise PayloadTooLarge("照片太大了，请换一张小于5MB的照片。", code="photo_too_large")
    ext = photo_kind(data)
    if ext is None:
        raise UnsupportedMedia(
            "只能上传 JPG 或 PNG 照片。请用手机拍照后再上传。", code="photo_type"
        )
    return ext


def store_photo(upload_dir: Path, folder: str, data: bytes) -> str:
    """Check and write the photo; returns its path relative to upload_dir."""
    return _write(upload_dir, folder, data, check_photo(data))


def _write(upload_dir: Path, folder: str, data: bytes, ext: str) -> str:
    """Write a checked file under a fresh name (atomically: a reader never sees half of it)."""
    target = upload_dir / folder
    target.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.{ext}"
    temp = target / f".{name}.part"
    temp.write_bytes(data)
    temp.replace(target / name)
    return f"{folder}/{name}"


def photo_file(upload_dir: Path, relative: str | None) -> tuple[Path, str] | None:
    """(path, media type) of a stored photo, or None when there is none."""
    if not relative:
        return None
    path = upload_dir / relative
    if not path.is_file():
        return None
    return path, "image/png" if path.suffix == ".png" else "image/jpeg"


# Documents (a death certificate photographed or scanned, an approval as PDF): a photo or a PDF.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
_PDF = b"%PDF-"
_MEDIA = {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


def check_document(data: bytes) -> str:
    """The file's extension (jpg, png, pdf), or a 413/415 in words for the person uploading."""
    if len(data) > DOCUMENT_MAX_BYTES:
        raise PayloadTooLarge("文件太大了，请换一个小于10MB的文件。", code="document_too_large")
    ext = "pdf" if data.startswith(_PDF) else photo_kind(data)
    if ext is None:
        raise UnsupportedMedia(
            "只能上传照片（JPG、PNG）或 PDF 文件。请拍照或扫描后再上传。", code="document_type"
        )
    return ext


def store_document(upload_dir: Path, folder: str, data: bytes) -> str:
    """Check and write the document; returns its path relative to upload_dir."""
    return _write(upload_dir, folder, data, check_document(data))


def document_file(upload_dir: Path, relative: str | None) -> tuple[Path, str] | None:
    """(path, media type) of a stored document, or None when there is none."""
    if not relative:
        return None
    path = upload_dir / relative
    if not path.is_file():
        return None
    return path, _MEDIA.get(path.suffix.lstrip("."), "application/octet-stream")
