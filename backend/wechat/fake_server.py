"""Run the fake WeChat API on its own loopback port (tests, benchmarks)."""

from __future__ import annotations

from dataclasses import dataclass

from backend.core.clock import Clock
from backend.core.serving import RunningApp, serve_in_thread
from backend.wechat.fake_api import create_fake_wechat_app
from backend.wechat.fake_state import FakeWeChatState


@dataclass
class RunningFakeServer:
    running: RunningApp
    state: FakeWeChatState

    @property
    def base_url(self) -> str:
        return self.running.base_url

    def stop(self) -> None:
        self.running.stop()


def start_fake_wechat_server(
    state: FakeWeChatState | None = None, clock: Clock | None = None
) -> RunningFakeServer:
    state = state or FakeWeChatState()
    app = create_fake_wechat_app(state, clock=clock)
    return RunningFakeServer(running=serve_in_thread(app), state=state)
