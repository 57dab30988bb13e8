"""Headless Debian Chromium through Playwright (no browser download), one browser per session,
a fresh context per test, a screenshot in test-artifacts/ when a test fails."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is not installed (make browser-deps)")
        pytest.skip("chromium is not installed: run `make browser-deps`")
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
    yield browser
    browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None:
            ARTIFACTS.mkdir(exist_ok=True)
            try:
                page.screenshot(path=str(ARTIFACTS / f"{item.name}.png"), full_page=True)
            except Exception:  # the page may be gone; the failure itself matters more
                pass


@pytest.fixture
def page(browser: Browser, app_server) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, base_url=app_server.base_url, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def login(page: Page, username: str, password: str) -> None:
    page.goto("/console/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")


def pick(page: Page, query: str, name: str, picker: str = "#retiree") -> None:
    """Choose a retiree in a picker (templates/_picker.html) the way staff do: type, click."""
    box = page.locator(picker)
    box.locator(".picker-q").fill(query)
    box.locator(".picker-option", has_text=name).first.click()
    box.locator(".chip", has_text=name).wait_for()
