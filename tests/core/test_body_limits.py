"""Request bodies are limited per route while they arrive: a declared Content-Length over the
limit is refused before anything is read, a chunked body is cut off at the limit, and the
handler is never reached. Raw sockets, so the test controls exactly what the server has received
when it answers."""

from __future__ import annotations

import inspect
import json
import re
import socket
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import UploadFile

from backend.core.bodylimit import DEFAULT_LIMIT, limit_for
from tests.botchat.test_official import NOW, _params

MB = 1024 * 1024


def _connect(base_url: str) -> socket.socket:
    parts = urlsplit(base_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=20)
    return sock


def _read_response(sock: socket.socket) -> tuple[int, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, body


def _declared(base_url: str, path: str, size: int, content_type: str) -> tuple[int, bytes]:
    """Headers announcing `size` bytes, and not one byte of body: the answer must come anyway."""
    with _connect(base_url) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {size}\r\n\r\n".encode()
        )
        return _read_response(sock)


def _chunked(base_url: str, path: str, size: int, content_type: str) -> tuple[int, bytes]:
    """`size` bytes in 64 KB chunks and no final chunk: the body never ends, so an answer
    proves the server stopped reading at its limit."""
    piece = b"x" * 65536
    with _connect(base_url) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: {content_type}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        sent = 0
        try:
            while sent < size:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed while we were still sending
        return _read_response(sock)


@pytest.fixture
def reached(monkeypatch) -> list[str]:
    """Records every call that gets past the body into a handler."""
    from backend.accounts import staff
    from backend.botchat import official

    calls: list[str] = []
    authenticate, reply = staff.authenticate, official._reply_xml

    def record_login(*args: Any, **kwargs: Any) -> Any:
        calls.append("login")
        return authenticate(*args, **kwargs)

    def record_reply(*args: Any, **kwargs: Any) -> Any:
        calls.append("callback")
        return reply(*args, **kwargs)

    monkeypatch.setattr(staff, "authenticate", record_login)
    monkeypatch.setattr(official, "_reply_xml", record_reply)
    return calls


@pytest.mark.parametrize("send", [_declared, _chunked], ids=["content-length", "chunked"])
def test_a_json_body_over_1_mb_is_refused_unread(app_server, reached, send) -> None:
    status, body = send(app_server.base_url, "/api/v1/staff/login", 100 * MB, "application/json")
    assert status == 413
    answer = json.loads(body)
    assert answer["code"] == "too_large" and "太多" in answer["message"]
    assert reached == []


@pytest.mark.parametrize("send", [_declared, _chunked], ids=["content-length", "chunked"])
def test_the_callback_takes_a_few_kilobytes(app_server, reached, send) -> None:
    params = {**_params(NOW, "big"), "encrypt_type": "aes"}
    query = "&".join(f"{k}={v}" for k, v in params.items())
    status, _ = send(app_server.base_url, f"/wechat/official?{query}", 1 * MB, "text/xml")
    assert status == 413
    assert reached == []


def test_the_callback_checks_the_signature_before_reading(app_server, reached) -> None:
    params = {**_params(NOW, "big", forged=True), "encrypt_type": "aes"}
    query = "&".join(f"{k}={v}" for k, v in params.items())
    # Within the callback's size limit but never finished: a forged request is answered anyway.
    status, _ = _chunked(app_server.base_url, f"/wechat/official?{query}", 32 * 1024, "text/xml")
    assert status == 403
    assert reached == []


def test_uploads_have_their_own_limit(client: httpx.Client, app_server) -> None:
    photo = {"file": ("p.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (2 * MB))}
    allowed = client.post("/api/v1/checkin/photo", params={"retiree_id": 1}, files=photo)
    assert allowed.status_code == 401, "2 MB is a fine photo: it reaches the login check"
    status, body = _declared(
        app_server.base_url, "/api/v1/checkin/photo?retiree_id=1", 7 * MB, "multipart/form-data"
    )
    assert status == 413 and "5MB" in json.loads(body)["message"]
    status, body = _declared(app_server.base_url, "/console/import", 11 * MB, "multipart/form-data")
    assert status == 413 and "10MB" in body.decode()


def _takes_a_file(endpoint: Any) -> bool:
    for parameter in inspect.signature(endpoint, eval_str=True).parameters.values():
        annotation = parameter.annotation
        if annotation is UploadFile or UploadFile in getattr(annotation, "__args__", ()):
            return True
    return False


def test_every_upload_route_has_a_limit_of_its_own(app_server) -> None:
    from tests.console.test_console_scope import _routers

    uploads = set()
    for path, operations in app_server.app.openapi()["paths"].items():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            if "multipart/form-data" in content:
                uploads.add(path)
    for page_router in _routers(None):
        for route in page_router.routes:
            if "POST" in route.methods and _takes_a_file(route.endpoint):
                uploads.add(route.path)
    assert len(uploads) >= 5, uploads
    for path in uploads:
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        assert limit_for(concrete)[0] > DEFAULT_LIMIT, f"{path} has no upload limit"
