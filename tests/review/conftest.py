"""A headless browser for the review site: Debian's chromium driven by Playwright, never a downloaded browser.

Locally the browser tests skip when chromium or playwright is missing; under ``CI=true`` they fail instead, so a
CI machine without a browser cannot pass by skipping them (``.ci/run`` installs chromium).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Playwright adds --headless and a fresh profile itself; as root chromium needs --no-sandbox, and in a container
# /dev/shm is too small for it. The rest keep the browser from calling home.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason}; CI must run the browser tests (.ci/run installs Debian's chromium)")
    pytest.skip(reason)


def _chromium() -> str | None:
    """``$CHROMIUM`` when it is set (and then only it: a browser named on purpose is never swapped for another),
    else Debian's: the ELF binary, not the /usr/bin/chromium shell wrapper, which adds flags from
    /etc/chromium.d."""
    chosen = os.environ.get("CHROMIUM")
    for candidate in [chosen] if chosen else ["/usr/lib/chromium/chromium", shutil.which("chromium")]:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    executable = _chromium()
    if executable is None:
        _unavailable("no chromium found (apt-get install chromium, or set CHROMIUM)")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        except Error as exc:
            _unavailable(f"chromium at {executable} does not start: {exc.message.splitlines()[0]}")
        yield launched
        launched.close()


@dataclass
class Visit:
    """A fresh browser page, and what it asked for and got wrong while a test used it."""

    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def visit(browser: Browser) -> Iterator[Visit]:
    """A page in its own context with every http(s) request aborted; the test fails if the page made one or had
    a script error or a console error."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    seen = Visit(page)

    def abort(route: Any) -> None:
        route.abort()

    page.route("http*://**", abort)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
    yield seen
    context.close()
    assert [url for url in seen.requests if not url.startswith("file://")] == []
    assert seen.errors == []
