"""The fake WeChat API as its own server, so the product's calls to WeChat cross a real socket."""

from backend.wechat.fake_api import create_fake_wechat_app

app = create_fake_wechat_app()


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
