"""/docs and /redoc work without internet: every asset they load is served by this app."""

from __future__ import annotations

import re

import httpx
import pytest


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_every_asset_from_this_server(client: httpx.Client, page: str) -> None:
    html = client.get(page)
    assert html.status_code == 200
    assets = re.findall(r'(?:src|href)=["\']([^"\']+)["\']', html.text)
    assert any(a.endswith(".js") for a in assets), assets
    for asset in assets:
        assert not asset.startswith(("http://", "https://", "//")), f"{page} loads {asset}"
        if asset.endswith((".js", ".css", ".png")):
            assert client.get(asset).status_code == 200, asset
    assert "fonts.googleapis" not in html.text
